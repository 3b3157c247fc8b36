// Cross-references in the PDF and the EPUB: list page numbers filled in by the layout pass, equation numbers as
// searchable text, no false alarms from the PDF self-check, and an EPUB whose links across files pass epubcheck.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'
import { epubcheck, pdfText } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#88f"/></svg>'
const filler = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} of running text that fills the page so that later figures fall on later pages of the book.`).join('\n\n')
const book = `---
title: Cross-references in print
toc: true
lof: true
lot: true
chapters: true
top-level-division: chapter
---

# Figures

As @fig:first shows, and [@fig:first; @fig:second] and @Tbl:values agree; by @eq:area and \\eqref{eq:area}.

![The first](a.svg){#fig:first}

${filler}

$$ A = \\pi r^2 $$ {#eq:area}

# Tables

![The second](a.svg){#fig:second}

| r | A |
|---|---|
| 1 | 3.14 |

: Values {#tbl:values}

See @sec:none and @fig:first.
`

describe('cross-references in print and EPUB', () => {
  it('fills in the pages of the lists of figures and tables, prints equation numbers as text, and the self-check agrees', async () => {
    const dir = makeProject({ 'book.md': book, 'a.svg': svg })
    const result = await build({ inputs: ['book.md'], to: ['pdf'], cwd: dir, env })
    const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId}: ${message.reason}`))
    expect(messages).toEqual(['crossref-undefined: Cross-reference label "sec:none" is not defined'])
    const pdf = path.join(dir, 'dist', 'book.pdf')
    const contents = pdfText(pdf, 1, 3)
    expect(contents).toContain('List of Figures')
    const text = pdfText(pdf).replaceAll('\u00ad', '')
    // Each list entry's page is the page its figure or table is on.
    const pageOf = (needle: string): number => {
      const pages = text.split('\f')
      const start = pages.findIndex((page) => page.includes('List of Tables')) + 1
      return pages.findIndex((page, index) => index >= start && page.includes(needle)) + 1
    }
    const listed = (caption: string): number => Number(new RegExp(`${caption}[ .]*\\n?[^\\d]*?(\\d+)\\s*$`, 'm').exec(contents)?.[1])
    expect(listed('1.1. The first')).toBe(pageOf('Figure 1.1: The first'))
    expect(listed('2.1. The second')).toBe(pageOf('Figure 2.1: The second'))
    expect(pageOf('Figure 2.1: The second')).toBeGreaterThan(pageOf('Figure 1.1: The first'))
    expect(text).toContain('(1.1)')
    expect(text).toMatch(/Tbl\.\s2\.1/)
  })

  it('makes an EPUB whose links to figures in other files pass epubcheck', async () => {
    const dir = makeProject({ 'book.md': book, 'a.svg': svg })
    await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env })
    const file = path.join(dir, 'dist', 'book.epub')
    expect(epubcheck(file).messages).toEqual([])
    const files = unzipSync(readFileSync(file))
    const second = strFromU8(files['EPUB/text/chapter-2.xhtml'] ?? files['EPUB/chapter-2.xhtml'] ?? new Uint8Array())
    expect(second).toMatch(/href="chapter-1\.xhtml#fig:first"/)
  })
})
