// Cross-references in the PDF and the EPUB: list page numbers filled in by the layout pass, equation numbers as
// searchable text, no false alarms from the PDF self-check, and an EPUB whose links across files (its lists' too) pass
// epubcheck.
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
lol: true
codeBlockCaptions: true
chapters: true
top-level-division: chapter
---

# Figures

As @fig:first shows, and [@fig:first; @fig:second] and @Tbl:values agree; by @eq:area and \\eqref{eq:area}.

![The first](a.svg){#fig:first}

\`\`\`{#lst:hello .python caption="Saying hello"}
print("hello")
\`\`\`

${filler}

$$ A = \\pi r^2 $$ {#eq:area}

# Tables

![The second](a.svg){#fig:second}

| r | A |
|---|---|
| 1 | 3.14 |

: Values {#tbl:values}

See @sec:none and @fig:first.

${filler}

Listing: Loading the data

\`\`\`{#lst:load .r}
x <- read.csv("data.csv")
\`\`\`

See [@lst:hello; @lst:load].
`

describe('cross-references in print and EPUB', () => {
  it('fills in the pages of the lists of figures, tables and listings, prints equation numbers as text, and the self-check agrees', async () => {
    const dir = makeProject({ 'book.md': book, 'a.svg': svg })
    const result = await build({ inputs: ['book.md'], to: ['pdf'], cwd: dir, env })
    const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId}: ${message.reason}`))
    expect(messages).toEqual(['crossref-undefined: Cross-reference label "sec:none" is not defined'])
    const pdf = path.join(dir, 'dist', 'book.pdf')
    // The contents, then each list on a page of its own, as LaTeX sets a book's \\listoffigures and its kin.
    const front = pdfText(pdf).split('\f')
    const listPages = ['List of Figures', 'List of Tables', 'List of Listings'].map((title) => front.findIndex((page) => page.includes(title)) + 1)
    expect(listPages.every((page) => page > 1)).toBe(true)
    expect(new Set(listPages).size).toBe(3)
    const contents = front.slice(0, Math.max(...listPages)).join('\f')
    expect(contents).toContain('List of Figures')
    const text = pdfText(pdf).replaceAll('\u00ad', '')
    // Each list entry's page is the page its figure or table is on.
    const pageOf = (needle: string): number => {
      const pages = text.split('\f')
      const start = pages.findIndex((page) => page.includes('List of Listings')) + 1
      return pages.findIndex((page, index) => index >= start && page.includes(needle)) + 1
    }
    const listed = (caption: string): number => Number(new RegExp(`${caption}[ .]*\\n?[^\\d]*?(\\d+)\\s*$`, 'm').exec(contents)?.[1])
    expect(listed('1.1. The first')).toBe(pageOf('Figure 1.1: The first'))
    expect(listed('2.1. The second')).toBe(pageOf('Figure 2.1: The second'))
    expect(pageOf('Figure 2.1: The second')).toBeGreaterThan(pageOf('Figure 1.1: The first'))
    expect(contents).toContain('List of Listings')
    expect(listed('1.1. Saying hello')).toBe(pageOf('Listing 1.1: Saying hello'))
    expect(listed('2.1. Loading the data')).toBe(pageOf('Listing 2.1: Loading the data'))
    expect(pageOf('Listing 2.1: Loading the data')).toBeGreaterThan(pageOf('Figure 2.1: The second'))
    expect(text).toContain('(1.1)')
    expect(text).toMatch(/Tbl\.\s2\.1/)
  })

  it('fills in the pages of a list the text places (\\listoffigures), in the PDF, and keeps it in the EPUB without them', async () => {
    const placed = book.replace('lof: true\n', '').replace('lol: true\n', '') + '\n# Lists\n\n\\listoffigures\n\n\\listoflistings\n'
    const dir = makeProject({ 'book.md': placed, 'a.svg': svg })
    const result = await build({ inputs: ['book.md'], to: ['pdf', 'epub'], cwd: dir, env })
    const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId}: ${message.reason}`))
    expect(messages).toEqual(['crossref-undefined: Cross-reference label "sec:none" is not defined'])
    const pages = pdfText(path.join(dir, 'dist', 'book.pdf')).replaceAll('\u00ad', '').split('\f')
    const listPage = pages.findIndex((page) => page.includes('List of Listings'))
    const pageOf = (needle: string): number => pages.findIndex((page, index) => index < listPage && page.includes(needle)) + 1
    const listed = (caption: string): number => Number(new RegExp(`${caption}[ .]*\\n?[^\\d]*?(\\d+)\\s*$`, 'm').exec(pages.slice(listPage - 1).join('\n'))?.[1])
    expect(listPage).toBeGreaterThan(0)
    expect(listed('1.1. The first')).toBe(pageOf('Figure 1.1: The first'))
    expect(listed('2.1. The second')).toBe(pageOf('Figure 2.1: The second'))
    expect(listed('2.1. Loading the data')).toBe(pageOf('Listing 2.1: Loading the data'))
    const file = path.join(dir, 'dist', 'book.epub')
    expect(epubcheck(file).messages).toEqual([])
    const files = unzipSync(readFileSync(file))
    const lists = Object.entries(files).find(([name, bytes]) => name.endsWith('.xhtml') && name !== 'EPUB/nav.xhtml' && strFromU8(bytes).includes('id="lof"'))
    const text = strFromU8(lists?.[1] ?? new Uint8Array())
    expect(text).toContain('<a href="chapter-1.xhtml#fig:first" id="lof-fig:first"><span class="toc-text"><span class="list-number">1.1.</span> The first</span></a>')
    expect(text).not.toContain('toc-page')
    expect(strFromU8(files['EPUB/nav.xhtml'] ?? new Uint8Array())).toContain('<nav epub:type="loi" id="lof"')
  })

  it('makes an EPUB whose links to figures in other files pass epubcheck, its lists in the navigation document', async () => {
    const dir = makeProject({ 'book.md': book, 'a.svg': svg })
    await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env })
    const file = path.join(dir, 'dist', 'book.epub')
    expect(epubcheck(file).messages).toEqual([])
    const files = unzipSync(readFileSync(file))
    const second = strFromU8(files['EPUB/text/chapter-2.xhtml'] ?? files['EPUB/chapter-2.xhtml'] ?? new Uint8Array())
    expect(second).toMatch(/href="chapter-1\.xhtml#fig:first"/)
    // The lists are in the navigation document, each entry linked into the chapter file that holds it.
    const nav = strFromU8(files['EPUB/nav.xhtml'] ?? new Uint8Array())
    const listNav = (type: string): string => new RegExp(`<nav epub:type="${type}"[^]*?</nav>`).exec(nav)?.[0] ?? ''
    expect(listNav('loi')).toContain('<h1 id="lof-title">List of Figures</h1>')
    expect(listNav('loi')).toContain('<a href="chapter-1.xhtml#fig:first"><span class="list-number">1.1.</span> The first</a>')
    expect(listNav('loi')).toContain('<a href="chapter-2.xhtml#fig:second"><span class="list-number">2.1.</span> The second</a>')
    expect(listNav('lot')).toContain('<a href="chapter-2.xhtml#tbl:values"><span class="list-number">2.1.</span> Values</a>')
    expect(listNav('lol')).toContain('<a href="chapter-1.xhtml#lst:hello"><span class="list-number">1.1.</span> Saying hello</a>')
    expect(listNav('lol')).toContain('<a href="chapter-2.xhtml#lst:load"><span class="list-number">2.1.</span> Loading the data</a>')
    expect(nav.indexOf('epub:type="toc"')).toBeLessThan(nav.indexOf('epub:type="loi"'))
    // Every entry's target is in the file it names.
    const entries = [...nav.matchAll(/<li><a href="(chapter-\d+\.xhtml)#((?:fig|tbl|lst):[^"]+)"/g)]
    expect(entries).toHaveLength(5)
    for (const [, file, id] of entries) {
      expect(strFromU8(files[`EPUB/${file}`] ?? new Uint8Array()), `${file}#${id}`).toContain(`id="${id}"`)
    }
    // Figures and tables get landmarks; listings, which EPUB's vocabulary has no word for, do not.
    expect(nav).toContain('<a href="nav.xhtml#lof" epub:type="loi">List of Figures</a>')
    expect(nav).toContain('<a href="nav.xhtml#lot" epub:type="lot">List of Tables</a>')
    expect(nav).not.toContain('href="nav.xhtml#lol"')
  })
})
