// The printed PDF opened by its cross-reference table: objects parsed on lookup, and saved with only changed ones
// written anew. Compared with pdf-lib reading and writing the whole file, as the PDF step did before.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, StandardFonts, type PDFPage } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { openPdf } from '../src/pdf/pdf-file.js'
import { addPrintMarks } from '../src/pdf/print-marks.js'

/** Three pages of text, each object in the file body and one cross-reference table, as Chromium's PDFs are. */
async function threePages(useObjectStreams = false): Promise<Uint8Array> {
  const document = await PDFDocument.create({ updateMetadata: false })
  const font = await document.embedFont(StandardFonts.Helvetica)
  for (const text of ['First page', 'Second page', 'Third page']) document.addPage([300, 400]).drawText(text, { x: 40, y: 300, font })
  return document.save({ useObjectStreams })
}

/** The first content stream of a page (pdf-lib writes `Contents` as an array). */
function firstContents(page: PDFPage | undefined): PDFRef | undefined {
  const contents = page?.node.get(PDFName.of('Contents'))
  const first = contents instanceof PDFArray ? contents.get(0) : contents
  return first instanceof PDFRef ? first : undefined
}

/** A content stream that shows `words` in the page's first font. */
function showing(page: PDFPage | undefined, words: string): string {
  const fonts = page?.node.Resources()?.lookup(PDFName.of('Font'))
  const font = fonts instanceof PDFDict ? fonts.keys()[0]?.toString() : undefined
  return `BT ${font ?? '/F1'} 12 Tf 40 200 Td (${words}) Tj ET`
}

/** The same edits a build makes: a title, a new object, one page's content stream replaced, print marks. */
function edit(document: PDFDocument): void {
  document.setTitle('Edited')
  document.catalog.set(PDFName.of('Lang'), document.context.obj('en'))
  const extra = document.context.register(document.context.obj({ Made: 'here' }))
  document.catalog.set(PDFName.of('Extra'), extra)
  const contents = firstContents(document.getPages()[1])
  if (contents) document.context.assign(contents, document.context.flateStream(showing(document.getPages()[1], 'Replaced')))
  addPrintMarks(document, { bleed: 9, cropMarks: true })
}

const text = (bytes: Uint8Array): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'galley-pdf-file-')), 'out.pdf')
  writeFileSync(file, bytes)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

describe('opening the printed PDF by its cross-reference table', () => {
  it('saves the same document as pdf-lib reading and writing it whole', async () => {
    const printed = await threePages()
    const whole = await PDFDocument.load(printed, { updateMetadata: false })
    edit(whole)
    const opened = await openPdf(printed)
    edit(opened.document)
    const saved = await opened.save()
    const reread = await PDFDocument.load(saved, { updateMetadata: false })
    expect(reread.getTitle()).toBe('Edited')
    expect(reread.getPageCount()).toBe(3)
    expect(reread.getPages().map((page) => page.getTrimBox())).toEqual(whole.getPages().map((page) => page.getTrimBox()))
    expect(reread.getPages().map((page) => page.getMediaBox())).toEqual(whole.getPages().map((page) => page.getMediaBox()))
    expect(reread.catalog.lookup(PDFName.of('Extra'))?.toString()).toBe('<<\n/Made /here\n>>')
    const expected = text(await whole.save())
    expect(expected).toContain('Replaced')
    expect(text(saved)).toBe(expected)
  })

  it('copies the objects it did not change byte for byte, with one table that leads to every object', async () => {
    const printed = await threePages()
    const opened = await openPdf(printed)
    opened.document.setTitle('Edited')
    const saved = await opened.save()
    // The fonts and page contents were never looked up: the printed bytes of each are in the output unchanged.
    const source = Buffer.from(printed).toString('latin1')
    const output = Buffer.from(saved).toString('latin1')
    const streams = [...source.matchAll(/\d+ 0 obj\n<<[^]*?endstream/g)].map((match) => match[0])
    expect(streams.length).toBeGreaterThan(2)
    for (const stream of streams) expect(output).toContain(stream)
    // One cross-reference table whose entries all lead to their objects.
    const reread = await PDFDocument.load(saved, { updateMetadata: false, throwOnInvalidObject: true })
    expect(reread.getTitle()).toBe('Edited')
    expect(reread.getPages().map((page) => page.getWidth())).toEqual([300, 300, 300])
    const entries = /xref\n0 (\d+)\n([^]*?)trailer/.exec(output)
    for (const [number, line] of (entries?.[2]?.trim().split('\n') ?? []).entries()) {
      if (/ f\s*$/.test(line)) continue
      expect(output.slice(Number(line.slice(0, 10)))).toMatch(new RegExp(`^${number} 0 obj`))
    }
    expect(Number(entries?.[1])).toBe(reread.context.largestObjectNumber + 1)
  })

  it('reads a PDF without a plain cross-reference table (objects in streams) whole, as pdf-lib does', async () => {
    const printed = await threePages(true)
    const opened = await openPdf(printed)
    edit(opened.document)
    const reread = await PDFDocument.load(await opened.save())
    expect(reread.getTitle()).toBe('Edited')
    expect(reread.getPageCount()).toBe(3)
  })

  it('reads a PDF whose table does not lead to its objects whole, as pdf-lib does', async () => {
    const source = Buffer.from(await threePages()).toString('latin1')
    // The entry of object 1 sent to the file's first byte, where no object starts.
    const broken = source.replace(/(xref\n0 \d+\n0000000000 65535 f \n)\d{10}/, '$10000000000')
    expect(broken).not.toBe(source)
    const opened = await openPdf(new Uint8Array(Buffer.from(broken, 'latin1')))
    edit(opened.document)
    const reread = await PDFDocument.load(await opened.save())
    expect(reread.getTitle()).toBe('Edited')
    expect(reread.getPageCount()).toBe(3)
  })

  it('gives a stream replaced under its number, not the printed one', async () => {
    const printed = await threePages()
    const opened = await openPdf(printed)
    const contents = firstContents(opened.document.getPages()[0])
    expect(contents).toBeInstanceOf(PDFRef)
    expect(opened.document.context.lookup(contents)).toBeInstanceOf(PDFRawStream)
    opened.document.context.assign(contents as PDFRef, opened.document.context.flateStream(showing(opened.document.getPages()[0], 'Swapped')))
    const saved = await opened.save()
    expect(text(saved)).toMatch(/^\s*Swapped/)
  })
})
