// The PDF as a reader gets it: footnotes on their page, TOC numbers true, running heads, paper sizes, self-check.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import puppeteer from 'puppeteer-core'
import { PDFDocument } from 'pdf-lib'
import { generateBook } from '../bench/generate.js'
import { build } from '../src/build.js'
import { checkPdf } from '../src/pdf/check-pdf.js'
import { findBrowser } from '../src/pdf/browser.js'
import { renderPdf } from '../src/pdf/render-pdf.js'
import { makeProject } from './helpers/project.js'
import { pdfInfo, pdfText } from './helpers/tools.js'
import { fromHtml } from 'hast-util-from-html'
import type { Element } from 'hast'
import { visit } from 'unist-util-visit'
import { resolveMetadata } from '../src/config/metadata.js'
import { textBlock } from '../src/html/page-css.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

/** Thirty paragraphs with a note each; `varied`: paragraphs of one to five sentences, so that pages end in many ways. */
function longChapter(varied = false): string {
  const sentence = 'The committee revisited the ledger of the harbour authority, and each revision left a trace in the minutes. '
  const parts = ['---\ntitle: Notes in Depth\nauthor: Ann Author\n---\n', '# A Long Chapter\n']
  for (let i = 1; i <= 30; i++) {
    const after = varied ? (i * 7) % 5 : 2
    parts.push(`${sentence.repeat(3)}This is claim number ${i}.[^n${i}] ${sentence.repeat(after)}\n`)
  }
  for (let i = 1; i <= 30; i++) {
    // Every seventh note is long enough to need more than a third of a page.
    const body = i % 7 === 0 ? `Long note ${i}. ${sentence.repeat(14)}\n\n    ${sentence.repeat(8)}` : `Short note ${i}. ${sentence}`
    parts.push(`[^n${i}]: ${body}\n`)
  }
  return parts.join('\n')
}

describe('footnotes at the foot of the page', () => {
  it('puts every note on the page of its reference and splits long ones', async () => {
    const dir = makeProject({ 'long.md': longChapter() })
    const result = await build({ inputs: ['long.md'], to: ['pdf'], cwd: dir, env })
    expect(result.files.flatMap((file) => file.messages.map((message) => message.reason))).toEqual([])
    const facts = result.pdf
    expect(facts?.notes).toHaveLength(30)
    expect(facts?.notes.filter((note) => note.notePage !== note.referencePage)).toEqual([])
    const file = path.join(dir, 'dist/long.pdf')
    // A long note runs on to the next page: its continuation sits at the foot of the following page.
    const note7 = facts?.notes.find((note) => note.id === 'fn-n7')
    expect(note7).toBeDefined()
    const next = pdfText(file, (note7?.notePage ?? 0) + 1).replaceAll('\u00AD', '')
    const split = pdfText(file, note7?.notePage ?? 0).replaceAll('\u00AD', '')
    expect(split).toContain('7. Long note 7.')
    expect(next.indexOf('Long note 7.')).toBe(-1)
    expect(Number(pdfInfo(file)['Pages'])).toBeGreaterThan(8)
  })

  it('the self-check catches notes that are not on their page (printing without the layout pass)', async () => {
    const dir = makeProject({ 'long.md': longChapter() })
    await build({ inputs: ['long.md'], to: ['html'], cwd: dir, env })
    const html = readFileSync(path.join(dir, 'dist/long.html'), 'utf8')
    const browser = await puppeteer.launch({ executablePath: findBrowser(undefined), args: ['--no-sandbox', '--disable-gpu'] })
    try {
      const plain = await renderPdf(browser, { html, baseDir: dir })
      const document = await PDFDocument.load(plain.pdf)
      const check = await checkPdf(document, plain.pdf, { footnotes: true })
      expect(check.findings.filter((finding) => finding.ruleId === 'note-page-mismatch').length).toBeGreaterThan(20)
    } finally {
      await browser.close()
    }
  })
})

describe('paragraphs at a page break', () => {
  it('keep their first-line indent when a new paragraph opens the page', async () => {
    const dir = makeProject({ 'long.md': longChapter(true) })
    await build({ inputs: ['long.md'], to: ['html'], cwd: dir, env })
    const html = readFileSync(path.join(dir, 'dist/long.html'), 'utf8')
    const browser = await puppeteer.launch({ executablePath: findBrowser(undefined), args: ['--no-sandbox', '--disable-gpu'] })
    let finalHtml = ''
    try {
      const layout = { ...textBlock(resolveMetadata([])), notes: 'footnotes' as const, book: false, bookTitle: '' }
      finalHtml = (await renderPdf(browser, { html, baseDir: dir, layout, keepFinalHtml: true })).finalHtml ?? ''
    } finally {
      await browser.close()
    }
    // Every paragraph that follows a paragraph across what the pass put between them (a page break, a notes block).
    const classes = (element: Element | undefined): string[] => (Array.isArray(element?.properties['className']) ? element.properties['className'].map(String) : [])
    const opening: string[][] = []
    visit(fromHtml(finalHtml), 'element', (node) => {
      const elements = node.children.filter((child): child is Element => child.type === 'element')
      elements.forEach((element, index) => {
        const between = elements[index - 1]
        const before = elements[index - 2]
        const added = classes(between).some((name) => name === 'galley-page-break' || name === 'galley-page-notes')
        if (element.tagName === 'p' && added && before?.tagName === 'p' && !classes(element).includes('galley-continued')) opening.push(classes(element))
      })
    })
    expect(opening.length).toBeGreaterThan(0)
    expect(opening.filter((names) => !names.includes('galley-indent'))).toEqual([])
  })
})

describe('a book laid out in two parts at once', () => {
  it('prints the same pages as laid out whole: text, notes, heads, contents numbers, the blank verso at the join', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-parts-'))
    await generateBook('small', dir)
    const result = await build({ inputs: [], to: ['html'], cwd: dir, env })
    const html = readFileSync(path.join(dir, 'dist/chapter-01.html'), 'utf8')
    const browser = await puppeteer.launch({ executablePath: findBrowser(undefined), args: ['--no-sandbox', '--disable-gpu'] })
    try {
      // Notes at the foot of their page (each part places its own), and as endnotes (in the back matter, the second part's).
      for (const notes of ['footnotes', 'endnotes'] as const) {
        const layout = { ...textBlock(result.metadata), notes, book: true, bookTitle: result.metadata.title }
        const [whole, parted] = [await renderPdf(browser, { html, baseDir: dir, layout, parts: false, pageStarts: true }), await renderPdf(browser, { html, baseDir: dir, layout, parts: true, pageStarts: true })]
        expect([whole.parts, parted.parts], notes).toEqual([1, 2])
        expect(parted.layout, notes).toEqual(whole.layout)
        expect(parted.pageStarts, notes).toEqual(whole.pageStarts)
        expect(parted.lines, notes).toEqual(whole.lines)
        const texts = [whole, parted].map((rendered, index) => {
          const file = path.join(dir, `dist/${notes}-${index}.pdf`)
          writeFileSync(file, rendered.pdf)
          return pdfText(file)
        })
        expect(texts[1], notes).toBe(texts[0])
        expect(texts[0]?.split('\f').length).toBeGreaterThan(10)
        // Chapter one ends on page 7: the second part, chapter two on, opens after a blank verso the join puts in.
        if (notes === 'footnotes') expect(parted.layout?.css).toContain('@page galley-blank')
      }
    } finally {
      await browser.close()
    }
  })
})

describe('a book of several chapters', () => {
  it('has a contents page whose numbers are the pages the chapters are on', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-book-'))
    const book = await generateBook('small', dir)
    const result = await build({ inputs: [], to: ['pdf'], cwd: dir, env })
    expect(book.chapters.length).toBe(2)
    expect(result.files.flatMap((file) => file.messages.filter((message) => message.source === 'galley:pdf-check'))).toEqual([])
    const toc = result.pdf?.toc ?? []
    expect(toc.length).toBeGreaterThanOrEqual(6)
    expect(toc.filter((entry) => entry.printed !== entry.actual)).toEqual([])
    // Title page, contents, then chapter one on page 3.
    expect(toc[0]).toMatchObject({ printed: 3, actual: 3 })
    const file = path.join(dir, 'dist/chapter-01.pdf')
    const contents = pdfText(file, 2)
    expect(contents).toContain('Contents')
    // Chapter openings carry no running head; the next verso carries the book's author, the recto the chapter.
    // With -layout a running head sits far right (leading spaces); the chapter heading at the left margin.
    const chapterTitle = toc[0]?.text ?? ''
    const firstLine = (page: number): string => pdfText(file, page).split('\n').find((line) => line.trim() !== '')?.replaceAll('\u00AD', '') ?? ''
    expect(firstLine(3)).toBe(chapterTitle) // The heading itself, no head above it.
    expect(firstLine(5)).toMatch(new RegExp(`^\\s{20,}${chapterTitle}$`)) // A recto: the chapter's title as its head.
    expect(firstLine(4).trim()).toBe('Thomas Yang') // A verso: the author.
    expect(result.pdf?.notes.filter((note) => note.notePage !== note.referencePage)).toEqual([])
    // Every chapter opens on a recto; a blank verso (no head, no folio) fills in where needed.
    for (const chapter of book.chapters) {
      const title = /^# (.+)$/m.exec(readFileSync(chapter, 'utf8'))?.[1] ?? ''
      const entry = toc.find((candidate) => candidate.text.replaceAll('\u00AD', '') === title)
      expect(entry, title).toBeDefined()
      expect((entry?.actual ?? 0) % 2, title).toBe(1)
    }
    const second = toc.find((candidate) => candidate.text.replaceAll('\u00AD', '') === /^# (.+)$/m.exec(readFileSync(book.chapters[1] ?? '', 'utf8'))?.[1])
    // Chapter one ends on page 7 here, so page 8 is the blank verso: no text, no head, no folio.
    expect(second?.actual).toBe(9)
    expect(pdfText(file, 8).trim()).toBe('')
  })
})

describe('handouts', () => {
  for (const [papersize, size] of [['a4', 'A4'], ['letter', 'letter'], ['a5', 'A5'], ['b5', '498.96 x 708.96 pts']] as const) {
    it(`prints the sample on ${papersize} with clean self-check`, async () => {
      const out = mkdtempSync(path.join(tmpdir(), 'galley-handout-'))
      const result = await build({
        inputs: ['manuscript/china-north-korea.md'],
        to: ['pdf'],
        metadata: [`papersize=${papersize}`],
        outputDir: out,
        cwd: path.resolve(import.meta.dirname, '..'),
        env,
      })
      expect(result.files.flatMap((file) => file.messages.map((message) => message.reason))).toEqual([])
      const info = pdfInfo(path.join(out, 'china-north-korea.pdf'))
      expect(info['Page size']).toContain(size)
      expect(result.pdf?.notes).toHaveLength(18)
      expect(result.pdf?.notes.every((note) => note.notePage === note.referencePage)).toBe(true)
    })
  }
})
