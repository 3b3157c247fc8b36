// The PDF self-check on a PDF made here (no browser): what it finds, and that loading pdf.js for it leaves puppeteer's
// base64 decoding to Node (pdf.js's legacy build installs a slow `Uint8Array.fromBase64` that puppeteer would use).
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { checkPdf } from '../src/pdf/check-pdf.js'
import { openPdf } from '../src/pdf/pdf-file.js'

/** Node's own (Node 25 on) or none: `check-pdf.ts` loads pdf.js only when a check runs. */
const nodeFromBase64: unknown = Reflect.get(Uint8Array, 'fromBase64')

async function twoPages(): Promise<Uint8Array> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  document.addPage().drawText('First page', { x: 72, y: 720, font })
  document.addPage().drawText('12', { x: 300, y: 40, font })
  return document.save()
}

describe('the PDF self-check', () => {
  it('finds a standard font not embedded, no tags, no outline, an empty last page', async () => {
    const bytes = await twoPages()
    const check = await checkPdf(await PDFDocument.load(bytes), bytes, { footnotes: true })
    expect(check.findings.map((finding) => finding.ruleId).sort()).toEqual(['empty-last-page', 'font-not-embedded', 'no-outline', 'not-tagged'])
    expect(check.facts.pages).toBe(2)
  })

  it('takes a Type 3 font (its glyphs drawn in the file, as Chromium writes some) as embedded', async () => {
    const document = await PDFDocument.create()
    const page = document.addPage()
    const glyph = document.context.stream('0 0 0 0 10 10 d1 0 0 10 10 re f')
    const type3 = document.context.obj({
      Type: 'Font',
      Subtype: 'Type3',
      FontBBox: [0, 0, 10, 10],
      FontMatrix: [0.1, 0, 0, 0.1, 0, 0],
      CharProcs: { g: document.context.register(glyph) },
      Encoding: { Type: 'Encoding', Differences: [65, 'g'] },
      FirstChar: 65,
      LastChar: 65,
      Widths: [10],
    })
    page.node.setFontDictionary(PDFName.of('F3'), document.context.register(type3))
    const bytes = await document.save()
    const check = await checkPdf(await PDFDocument.load(bytes), bytes, { footnotes: false })
    expect(check.findings.map((finding) => finding.ruleId)).not.toContain('font-not-embedded')
  })

  it('reads the same links whether it parses every annotation or passes over those without a destination unparsed', async () => {
    // A note reference on page 1 whose note is on page 2, and a link to a URL beside it (as a book's DOIs are).
    const document = await PDFDocument.create()
    const [first, second] = [document.addPage(), document.addPage()]
    const { context } = document
    const link = (dict: Record<string, unknown>): ReturnType<typeof context.register> => context.register(context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [72, 700, 80, 710], ...dict }))
    const url = link({ A: { S: 'URI', URI: PDFString.of('https://doi.org/10.1000/1') } })
    first.node.set(PDFName.of('Annots'), context.obj([url, link({ Dest: 'fn-1' }), url]))
    document.catalog.set(PDFName.of('Dests'), context.obj({ 'fn-1': [second.ref, 'XYZ', 0, 700, 0] }))
    const bytes = await document.save({ useObjectStreams: false })
    const opened = await openPdf(bytes)
    const seen: string[] = []
    const printed = (ref: Parameters<typeof opened.printed>[0]): string | undefined => {
      const text = opened.printed(ref)
      seen.push(text ?? '')
      return text
    }
    const [parsed, peeked] = [await checkPdf(await PDFDocument.load(bytes), bytes, { footnotes: true }), await checkPdf(opened.document, bytes, { footnotes: true, printed })]
    expect(peeked).toEqual(parsed)
    expect(parsed.facts.notes).toEqual([{ id: 'fn-1', referencePage: 1, notePage: 2 }])
    expect(parsed.findings.map((finding) => finding.ruleId)).toContain('note-page-mismatch')
    // Each annotation was read as printed first: the two URL links need nothing more.
    expect(seen.map((text) => (text.includes('/URI') ? 'url' : text.includes('/Dest') ? 'dest' : 'other'))).toEqual(['url', 'dest', 'url'])
  })

  it('leaves Uint8Array.fromBase64 as Node has it, after pdf.js is loaded and has read a PDF', async () => {
    for (let round = 0; round < 2; round++) {
      const bytes = await twoPages()
      await checkPdf(await PDFDocument.load(bytes), bytes, { footnotes: false })
      // (core-js makes its polyfill's source read as native code: compared by identity.)
      expect(Reflect.get(Uint8Array, 'fromBase64')).toBe(nodeFromBase64)
    }
  })
})
