// One book written as one file and as several: the same chapters, parts and running heads in HTML, PDF and EPUB.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Prose } from '../bench/prose.js'
import { Random } from '../bench/random.js'
import { build, type BuildResult } from '../src/build.js'
import { brokenLinks, parts, partsOf, unpack } from './helpers/epub.js'
import { makeProject, tinyPng } from './helpers/project.js'
import { epubcheck } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const titles = ['The Harbour Archives', 'Grain and Its Brokers', 'A Winter of Petitions', 'After the Treaty']
const families = ['Ames', 'Bell', 'Cole', 'Dunn', 'Egan', 'Ford', 'Gray', 'Hale']
const refs = JSON.stringify(
  families.map((family, n) => ({ id: family.toLowerCase(), type: 'book', title: `Book of ${family}`, author: [{ family, given: 'Ann' }], publisher: 'Press', issued: { 'date-parts': [[2000 + n]] } })),
)
const frontMatter = ['title: Harbours', 'author: Ann Author', 'bibliography: refs.json', 'csl: chicago-author-date', 'reference-section-title: References', 'link-citations: true', 'papersize: a5']

/** Four chapters of about five A5 pages, each with a section, a figure, citations and notes carrying marks (`nq…`). */
function chapters(): string[] {
  const prose = new Prose(new Random(7))
  const paragraph = (): string => Array.from({ length: 6 }, () => `${prose.sentence().body}.`).join(' ')
  return titles.map((title, c) => {
    const key = (n: number): string => (families[(c * 2 + n) % families.length] ?? '').toLowerCase()
    const blocks = [`# ${title}`]
    for (let p = 0; p < 14; p++) {
      if (p === 7) blocks.push(`## Sources ${c + 1}`, `![Figure fq${c + 1} of the harbour](figure.png)`)
      const note = p % 5 === 2 ? `[^c${c + 1}n${p}]` : ''
      blocks.push(`${paragraph()} [@${key(p % 2)}, ${p + 1}]${note} ${paragraph()}`)
      if (note) blocks.push(`${note}: Note nq${c + 1}x${p} on [@${key(1)}].`)
    }
    return `${blocks.join('\n\n')}\n`
  })
}

async function buildBook(files: Record<string, string>, inputs: string[]): Promise<{ result: BuildResult; output: (format: string) => string }> {
  const dir = makeProject({ ...files, 'refs.json': refs, 'figure.png': tinyPng })
  const result = await build({ inputs, to: ['html', 'pdf', 'epub'], cwd: dir, env })
  return { result, output: (format) => result.outputs.find((output) => output.format === format)?.path ?? '' }
}

/** The text of each page as pdftotext reads it, soft hyphens and line-end hyphens taken out. */
function pdfPages(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1)
}

function flat(text: string): string {
  return text.replaceAll('\u00AD', '').replace(/-\n\s*/g, '').replace(/\s+/g, ' ')
}

/** The first line of each page: the running head, or the first line of text where there is none. */
function heads(pages: readonly string[]): string[] {
  return pages.map((page) => page.split('\n').find((line) => line.trim() !== '')?.trim().replace(/\s+/g, ' ') ?? '')
}

/** What a reader must find in each output: headings, bibliography entries, notes and figures, by their marks. */
function marks(text: string): { headings: string[]; entries: string[]; notes: string[]; figures: string[] } {
  return {
    headings: [...titles, ...titles.map((_, c) => `Sources ${c + 1}`), 'References'].filter((heading) => text.includes(heading)),
    entries: families.filter((family) => text.includes(`${family}, Ann. 20`)),
    notes: [...text.matchAll(/\bnq\d+x\d+\b/g)].map((match) => match[0]).filter((mark, index, all) => all.indexOf(mark) === index),
    figures: [...text.matchAll(/\bfq\d\b/g)].map((match) => match[0]).filter((mark, index, all) => all.indexOf(mark) === index),
  }
}

describe('a book in one file and in several', () => {
  it('has the same chapters, bibliography, notes, figures and running heads in HTML, PDF and EPUB', async () => {
    const texts = chapters()
    const several = await buildBook(
      Object.fromEntries(texts.map((text, c) => [`ch${c + 1}.md`, c === 0 ? `---\n${frontMatter.join('\n')}\n---\n\n${text}` : text])),
      texts.map((_, c) => `ch${c + 1}.md`),
    )
    const one = await buildBook({ 'book.md': `---\n${[...frontMatter, 'top-level-division: chapter'].join('\n')}\n---\n\n${texts.join('\n')}` }, ['book.md'])

    const expected = marks(texts.join('\n'))
    expect(expected.notes).toHaveLength(12)
    const all = { ...expected, headings: [...expected.headings, 'References'], entries: families }
    for (const book of [several, one]) {
      const html = readFileSync(book.output('html'), 'utf8')
      expect(marks(flat(html.replace(/<[^>]+>/g, ' ')))).toEqual(all)
      expect(marks(flat(pdfPages(book.output('pdf')).join('\n')))).toEqual(all)
      const epub = unpack(book.output('epub'))
      expect(marks(flat(parts(epub).headings.join('\n') + [...epub.values()].join('\n').replace(/<[^>]+>/g, ' ')))).toEqual(all)
      expect(epubcheck(book.output('epub')).messages).toEqual([])
      expect(brokenLinks(epub)).toEqual([])
      // Every bibliography entry, note and heading of the HTML in the EPUB, in order.
      const inHtml = partsOf(html.slice(html.indexOf('<main')))
      expect(parts(epub)).toEqual({ ...inHtml, headings: inHtml.headings.filter((heading) => heading !== 'Notes') })
      expect([...epub.keys()].filter((name) => name.endsWith('.xhtml')).sort()).toEqual(
        ['EPUB/bibliography.xhtml', 'EPUB/chapter-1.xhtml', 'EPUB/chapter-2.xhtml', 'EPUB/chapter-3.xhtml', 'EPUB/chapter-4.xhtml', 'EPUB/cover.xhtml', 'EPUB/nav.xhtml', 'EPUB/title.xhtml'],
      )
    }

    // The same pages: each chapter opens on a recto and names itself in the recto heads of its other pages.
    const pages = heads(pdfPages(several.output('pdf')))
    expect(heads(pdfPages(one.output('pdf')))).toEqual(pages)
    for (const title of titles) {
      const opening = pages.indexOf(title) + 1
      expect(opening % 2, `${title} opens on page ${opening}`).toBe(1)
      expect(pages.filter((head) => head === title).length, title).toBeGreaterThanOrEqual(3)
    }
    expect(pages.filter((head) => head === 'Ann Author').length).toBeGreaterThanOrEqual(8)
    // Two books of three outputs each, with epubcheck and poppler: minutes on a busy two-core machine.
  }, 300_000)

  it('is an article when one file does not say it is a book: sections, no chapter pages, the same EPUB files', async () => {
    const texts = chapters()
    const article = await buildBook({ 'paper.md': `---\n${frontMatter.join('\n')}\n---\n\n${texts.join('\n')}` }, ['paper.md'])
    const pages = pdfPages(article.output('pdf'))
    // No blank versos, and the recto heads carry the title, not a chapter.
    expect(pages.every((page) => page.trim() !== '')).toBe(true)
    expect(heads(pages).filter((head) => head === 'Harbours').length).toBeGreaterThanOrEqual(6)
    const epub = unpack(article.output('epub'))
    expect(epubcheck(article.output('epub')).messages).toEqual([])
    expect([...epub.keys()].filter((name) => /^EPUB\/(chapter-\d|bibliography)/.test(name))).toHaveLength(5)
  }, 300_000)
})
