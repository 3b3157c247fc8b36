// A student copy and an answer key from one run, read back from the PDF's text layer and the EPUB: what a profile or
// an output hides is in neither, with its note and its bibliography entry; the EPUBs pass epubcheck.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { unpack } from './helpers/epub.js'
import { makeProject, runCli } from './helpers/project.js'
import { epubcheck, pdfText } from './helpers/tools.js'

const references = JSON.stringify([
  { id: 'seen', type: 'book', title: 'Seen Everywhere', author: [{ family: 'Visible', given: 'Vera' }], issued: { 'date-parts': [[2001]] } },
  { id: 'keyonly', type: 'book', title: 'Cited In The Key', author: [{ family: 'Keyholder', given: 'Kim' }], issued: { 'date-parts': [[2002]] } },
])

const manuscript = `---
title: Problem Set
bibliography: refs.json
---

Question one, after @seen.

::: {.content-visible when-profile="key"}
Answer: keyanswer, as @keyonly shows.[^hint]

![keyalttext](pic.svg)

[^hint]: keynote in a note.

:::

::: {.content-hidden when-profile="key"}
Write here: studentline.
:::

::: {.content-visible when-format="pdf"}
Print only: pdfonly.
:::

::: {.content-hidden when-format="pdf"}
Screens only: screensonly.
:::

::: {.content-visible unless-format="html"}
Not HTML: printonly.
:::
`

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
const words = ['keyanswer', 'keyalttext', 'keynote', 'studentline', 'pdfonly', 'screensonly', 'printonly', 'Keyholder', 'Visible']
const present = (text: string): string[] => words.filter((word) => text.replace(/\u00ad|&shy;/g, '').includes(word))

describe('student and key copies', () => {
  it('writes both copies of every output in one run, each with only its own content', async () => {
    const dir = makeProject({ 'ps.md': manuscript, 'refs.json': references, 'pic.svg': svg })
    const run = await runCli(dir, ['build', 'ps.md', '--variants', 'student,key'])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    const dist = (name: string): string => path.join(dir, 'dist', name)
    expect(present(pdfText(dist('ps.pdf')))).toEqual(['studentline', 'pdfonly', 'printonly', 'Visible'])
    expect(present(pdfText(dist('ps-key.pdf')))).toEqual(['keyanswer', 'keyalttext', 'keynote', 'pdfonly', 'printonly', 'Keyholder', 'Visible'])
    expect(present(readFileSync(dist('ps.html'), 'utf8'))).toEqual(['studentline', 'screensonly', 'Visible'])
    expect(present(readFileSync(dist('ps-key.html'), 'utf8'))).toEqual(['keyanswer', 'keyalttext', 'keynote', 'screensonly', 'Keyholder', 'Visible'])
    const epub = (name: string): string => [...unpack(dist(name)).values()].join('\n')
    // Quarto counts an EPUB as HTML: `unless-format="html"` leaves it out of the EPUB too.
    expect(present(epub('ps.epub'))).toEqual(['studentline', 'screensonly', 'Visible'])
    expect(present(epub('ps-key.epub'))).toEqual(['keyanswer', 'keyalttext', 'keynote', 'screensonly', 'Keyholder', 'Visible'])
    for (const name of ['ps.epub', 'ps-key.epub']) expect(epubcheck(dist(name)).messages, name).toEqual([])
    // Six outputs and two epubcheck runs: room on a busy two-core machine.
  }, 300_000)

  it('takes the profile from galley.yaml unless the command line names one (as --profile replaces the default profile of Quarto)', async () => {
    const dir = makeProject({ 'ps.md': manuscript, 'refs.json': references, 'pic.svg': svg, 'galley.yaml': 'input-files: [ps.md]\nprofile: key\n' })
    const run = await runCli(dir, ['build', '--to', 'pdf'])
    expect(run.exitCode).toBe(0)
    expect(present(pdfText(path.join(dir, 'dist', 'ps.pdf')))).toContain('keyanswer')
    const overridden = await runCli(dir, ['build', '--to', 'pdf', '--profile', 'student'])
    expect(overridden.exitCode).toBe(0)
    expect(present(pdfText(path.join(dir, 'dist', 'ps.pdf')))).not.toContain('keyanswer')
  })
})
