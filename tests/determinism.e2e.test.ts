// Reproducible builds: the same input with SOURCE_DATE_EPOCH gives byte-identical HTML, PDF and EPUB.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

const manuscript = `---
title: Twice the Same
author: [Ann Author, Bo Writer]
bibliography: refs.json
csl: chicago-fullnote-bibliography
toc: true
---

# One

Text with a note [@doe, 12] and a figure.[^1]

![A figure](dot.png)

# Two

More text [@doe, 13].

[^1]: A note.
`

const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] }, publisher: 'Press' }])

describe('determinism', () => {
  it('gives byte-identical outputs for the same input and SOURCE_DATE_EPOCH', async () => {
    const builds = []
    for (let i = 0; i < 2; i++) {
      const dir = makeProject({ 'book.md': manuscript, 'refs.json': refs, 'dot.png': tinyPng })
      // A cold and a cached build must agree too.
      const run = await runCli(dir, ['build', 'book.md', ...(i === 0 ? ['--no-cache'] : [])], { SOURCE_DATE_EPOCH: '1700000000' })
      expect(run.exitCode, run.stderr).toBe(0)
      builds.push(Object.fromEntries(['html', 'pdf', 'epub'].map((format) => [format, readFileSync(path.join(dir, `dist/book.${format}`))])))
    }
    const [first, second] = builds
    for (const format of ['html', 'pdf', 'epub']) {
      expect(first?.[format]?.byteLength, format).toBeGreaterThan(1000)
      expect(Buffer.compare(first?.[format] ?? Buffer.alloc(0), second?.[format] ?? Buffer.alloc(1)), format).toBe(0)
    }
    // The dates inside come from SOURCE_DATE_EPOCH, not the clock.
    expect(first?.['pdf']?.toString('latin1')).toContain('/CreationDate (D:20231114221320Z')
  })
})
