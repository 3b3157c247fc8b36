// The self-check after every PDF build: reads the finished PDF back and reports what a printer or reader would catch.
import { PDFDict, PDFDocument, PDFName, PDFArray, PDFRef, PDFBool } from 'pdf-lib'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

export interface PdfFinding {
  ruleId: 'font-not-embedded' | 'not-tagged' | 'no-outline' | 'toc-page-mismatch' | 'note-page-mismatch' | 'text-outside-text-area' | 'empty-last-page'
  reason: string
  page?: number
}

export interface CheckOptions {
  /** Margins in PDF points; the text block on an odd (recto) page runs from `inner` to width − `outer`. */
  margin: { top: number; bottom: number; inner: number; outer: number }
  /** Whether notes should sit on the page of their reference (footnote mode). */
  footnotes: boolean
}

export interface PdfFacts {
  pages: number
  /** For each TOC entry: its printed number and the page its link leads to. */
  toc: { text: string; printed: number | undefined; actual: number }[]
  /** For each note reference: the page it is on and the page of its note. */
  notes: { id: string; referencePage: number; notePage: number }[]
}

/** Reads the PDF with pdf-lib (structure) and pdf.js (text, links) and lists what is wrong. */
export async function checkPdf(bytes: Uint8Array, options: CheckOptions): Promise<{ findings: PdfFinding[]; facts: PdfFacts }> {
  const findings: PdfFinding[] = []
  const structure = await PDFDocument.load(bytes, { updateMetadata: false })
  findings.push(...checkFonts(structure))
  const catalog = structure.catalog
  const markInfo = catalog.lookupMaybe(PDFName.of('MarkInfo'), PDFDict)
  const marked = markInfo?.lookup(PDFName.of('Marked'))
  if (!(marked instanceof PDFBool && marked.asBoolean()) || !catalog.has(PDFName.of('StructTreeRoot'))) {
    findings.push({ ruleId: 'not-tagged', reason: 'The PDF is not tagged (no structure tree): screen readers cannot read it in order' })
  }
  if (!catalog.has(PDFName.of('Outlines'))) {
    findings.push({ ruleId: 'no-outline', reason: 'The PDF has no bookmarks (outline)' })
  }

  const pdf = await getDocument({ data: bytes.slice(), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise
  const facts: PdfFacts = { pages: pdf.numPages, toc: [], notes: [] }
  const destinationPages = new Map<string, number>()
  const pageOfDestination = async (name: string): Promise<number | undefined> => {
    if (destinationPages.has(name)) return destinationPages.get(name)
    const destination = await pdf.getDestination(name)
    const reference = destination?.[0] as { num: number; gen: number } | undefined
    const page = reference ? (await pdf.getPageIndex(reference)) + 1 : undefined
    if (page !== undefined) destinationPages.set(name, page)
    return page
  }
  let lastPageText = ''
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number)
    const [, , width = 0, height = 0] = page.view
    const content = await page.getTextContent()
    const items = content.items.flatMap((item) => ('str' in item && item.str.trim() !== '' ? [item] : []))
    const bodyItems = items.filter((item) => {
      const y = item.transform[5] ?? 0
      return y > options.margin.bottom - 2 && y < height - options.margin.top + 2
    })
    if (number === pdf.numPages) lastPageText = bodyItems.map((item) => item.str).join('')
    // Odd pages are rectos: inner margin on the left.
    const left = number % 2 === 1 ? options.margin.inner : options.margin.outer
    const right = width - (number % 2 === 1 ? options.margin.outer : options.margin.inner)
    for (const item of bodyItems) {
      const x = item.transform[4] ?? 0
      if (x < left - 3 || x + item.width > right + 3) {
        findings.push({ ruleId: 'text-outside-text-area', page: number, reason: `Text runs outside the text area on page ${number}: "${item.str.slice(0, 40)}"` })
        break
      }
    }
    for (const annotation of await page.getAnnotations()) {
      const dest = (annotation as { dest?: unknown }).dest
      if (annotation.subtype !== 'Link' || typeof dest !== 'string') continue
      const target = await pageOfDestination(dest)
      if (target === undefined) continue
      if (dest.startsWith('fn-')) {
        facts.notes.push({ id: dest, referencePage: number, notePage: target })
        if (options.footnotes && target !== number) {
          findings.push({ ruleId: 'note-page-mismatch', page: number, reason: `Note ${dest} is on page ${target}, its reference on page ${number}` })
        }
      } else if (dest !== 'refs' && !dest.startsWith('ref-') && !dest.startsWith('fnref-')) {
        const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = annotation.rect as number[]
        const inside = items.filter((item) => {
          const x = item.transform[4] ?? 0
          const y = item.transform[5] ?? 0
          return x >= x1 - 1 && x <= x2 + 1 && y >= y1 - 3 && y <= y2 + 1
        })
        const numberItem = inside.filter((item) => /^\d+$/.test(item.str.trim())).at(-1)
        if (!numberItem) continue
        const printed = Number(numberItem.str.trim())
        const text = inside.filter((item) => item !== numberItem).map((item) => item.str).join('').trim()
        facts.toc.push({ text, printed, actual: target })
        if (printed !== target) {
          findings.push({ ruleId: 'toc-page-mismatch', page: number, reason: `Contents say "${text}" is on page ${printed}; it is on page ${target}` })
        }
      }
    }
    page.cleanup()
  }
  if (pdf.numPages > 1 && lastPageText.replace(/\d+/g, '').trim() === '') {
    findings.push({ ruleId: 'empty-last-page', page: pdf.numPages, reason: `The last page (${pdf.numPages}) is empty` })
  }
  await pdf.destroy()
  return { findings, facts }
}

/** Every font a page uses must carry its font file, or the printer substitutes one. */
function checkFonts(document: PDFDocument): PdfFinding[] {
  const findings: PdfFinding[] = []
  const seen = new Set<string>()
  document.getPages().forEach((page, index) => {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict)
    if (!fonts) return
    for (const [, value] of fonts.entries()) {
      const font = value instanceof PDFRef ? document.context.lookup(value, PDFDict) : value
      if (!(font instanceof PDFDict)) continue
      const name = font.lookup(PDFName.of('BaseFont'))?.toString() ?? 'unnamed font'
      if (seen.has(name)) continue
      seen.add(name)
      const descendants = font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)
      const described = descendants ? descendants.lookup(0, PDFDict) : font
      const descriptor = described.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict)
      const embedded = ['FontFile', 'FontFile2', 'FontFile3'].some((key) => descriptor?.has(PDFName.of(key)))
      if (!embedded) findings.push({ ruleId: 'font-not-embedded', page: index + 1, reason: `Font ${name} is not embedded` })
    }
  })
  return findings
}
