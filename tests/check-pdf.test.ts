// The PDF self-check on a PDF made here (no browser): what it finds, and that loading pdf.js for it leaves puppeteer's
// base64 decoding to Node (pdf.js's legacy build installs a slow `Uint8Array.fromBase64` that puppeteer would use).
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { checkPdf } from '../src/pdf/check-pdf.js'

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

  it('leaves Uint8Array.fromBase64 as Node has it, after pdf.js is loaded and has read a PDF', async () => {
    for (let round = 0; round < 2; round++) {
      const bytes = await twoPages()
      await checkPdf(await PDFDocument.load(bytes), bytes, { footnotes: false })
      // (core-js makes its polyfill's source read as native code: compared by identity.)
      expect(Reflect.get(Uint8Array, 'fromBase64')).toBe(nodeFromBase64)
    }
  })
})
