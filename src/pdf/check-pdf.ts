// The self-check after every PDF build: reads the finished PDF back and reports what a printer or reader would catch.
import { PDFArray, PDFBool, PDFDict, type PDFDocument, PDFName, PDFNumber, PDFRef } from 'pdf-lib'
import type { RuleId } from '../diagnostics.js'
import { openPageText, type PageText, type TextRun } from './page-text.js'

export interface PdfFinding {
  ruleId: Extract<RuleId, 'font-not-embedded' | 'not-tagged' | 'no-outline' | 'toc-page-mismatch' | 'note-page-mismatch' | 'text-outside-text-area' | 'empty-last-page' | 'layout-stalled'>
  reason: string
  page?: number
  /** What it is about, to find it in the source: the id a link leads to (a heading, a note), or the text that overflows. */
  subject?: string
}

export interface CheckOptions {
  /** Whether notes should sit on the page of their reference (footnote mode). */
  footnotes: boolean
  /** What the layout pass found overflowing the text block (the browser knows the boxes; the PDF only glyphs). */
  overflows?: readonly { page: number; text: string }[]
  /** Reads the text of the pages that need it, from the same PDF; closed when read. pdf.js in this thread if not given. */
  text?: PageText
  /** Where the layout pass stopped making progress, and the text that came next. */
  stalls?: readonly { page: number; text: string }[]
  /**
   * An object's text as printed, unparsed (see `EditablePdf`): a link annotation without a destination in the
   * document (a URL, most of a book's links with its DOIs) is passed over without parsing it.
   */
  printed?: (ref: PDFRef) => string | undefined
}

export interface PdfFacts {
  pages: number
  /** For each TOC entry: its printed number and the page its link leads to. */
  toc: { text: string; printed: number; actual: number }[]
  /** For each note reference: the page it is on and the page of its note. */
  notes: { id: string; referencePage: number; notePage: number }[]
}

interface Link {
  page: number
  dest: string
  rect: number[]
}

/**
 * Checks structure (fonts embedded, tags, outline), links (notes on their reference's page, TOC numbers equal to
 * the pages the entries lead to) and the last page. pdf-lib reads the objects; pdf.js reads text, and only on the
 * pages that need it (contents pages, the last page), which keeps the check cheap on long books.
 */
export async function checkPdf(document: PDFDocument, bytes: Uint8Array, options: CheckOptions): Promise<{ findings: PdfFinding[]; facts: PdfFacts }> {
  const findings: PdfFinding[] = [...checkFonts(document)]
  const catalog = document.catalog
  const markInfo = catalog.lookupMaybe(PDFName.of('MarkInfo'), PDFDict)
  const marked = markInfo?.lookup(PDFName.of('Marked'))
  if (!(marked instanceof PDFBool && marked.asBoolean()) || !catalog.has(PDFName.of('StructTreeRoot'))) {
    findings.push({ ruleId: 'not-tagged', reason: 'The PDF is not tagged (no structure tree): screen readers cannot read it in order' })
  }
  if (!catalog.has(PDFName.of('Outlines'))) findings.push({ ruleId: 'no-outline', reason: 'The PDF has no bookmarks (outline)' })
  for (const overflow of options.overflows ?? []) {
    findings.push({ ruleId: 'text-outside-text-area', page: overflow.page, subject: overflow.text, reason: `Text runs outside the text area on page ${overflow.page}: "${overflow.text}"` })
  }

  for (const stall of options.stalls ?? []) {
    findings.push({
      ruleId: 'layout-stalled',
      page: stall.page,
      subject: stall.text,
      reason: `The page layout made no progress at page ${stall.page} (before "${stall.text}") and stopped there: the pages after it were broken without their footnotes placed`,
    })
  }

  const pages = document.getPages()
  const pageIndex = new Map(pages.map((page, index) => [page.ref.toString(), index + 1]))
  const destinations = new Map<string, number>()
  const dests = catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)
  for (const [name, value] of dests?.entries() ?? []) {
    const array = value instanceof PDFRef ? document.context.lookup(value, PDFArray) : value
    const target = array instanceof PDFArray ? array.get(0) : undefined
    const page = target instanceof PDFRef ? pageIndex.get(target.toString()) : undefined
    if (page !== undefined) destinations.set(name.decodeText(), page)
  }
  const links: Link[] = []
  pages.forEach((page, index) => {
    const annotations = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    for (let i = 0; i < (annotations?.size() ?? 0); i++) {
      const ref = annotations?.get(i)
      if (ref instanceof PDFRef && options.printed?.(ref)?.includes('/Dest') === false) continue
      const annotation = annotations?.lookup(i, PDFDict)
      const dest = annotation?.lookup(PDFName.of('Dest'))
      if (!(dest instanceof PDFName)) continue
      const rect = annotation?.lookupMaybe(PDFName.of('Rect'), PDFArray)
      const numbers = rect ? rect.asArray().map((entry) => (entry instanceof PDFNumber ? entry.asNumber() : 0)) : []
      // Chromium can leave a sliver of a link at the foot of a page when the line it is on starts the next one
      // (a raised note mark): a box less than a point high or wide is nothing a reader sees or clicks.
      const [left = 0, bottom = 0, right = 0, top = 0] = numbers
      if (numbers.length === 4 && (Math.abs(right - left) < 1 || Math.abs(top - bottom) < 1)) continue
      links.push({ page: index + 1, dest: dest.decodeText(), rect: numbers })
    }
  })

  const facts: PdfFacts = { pages: pages.length, toc: [], notes: [] }
  for (const link of links) {
    if (!link.dest.startsWith('fn-')) continue
    const notePage = destinations.get(link.dest)
    if (notePage === undefined) continue
    facts.notes.push({ id: link.dest, referencePage: link.page, notePage })
    if (options.footnotes && notePage !== link.page) {
      findings.push({ ruleId: 'note-page-mismatch', page: link.page, subject: link.dest, reason: `Note ${link.dest} is on page ${notePage}, its reference on page ${link.page}` })
    }
  }

  // Links to headings with a number inside their box are table-of-contents entries: those that run across the text
  // block with their leader, not a cross-reference in running text ("fig. 1", "Figure 1"), which is a word or two.
  const wide = (link: Link): boolean => Math.abs((link.rect[2] ?? 0) - (link.rect[0] ?? 0)) >= (pages[link.page - 1]?.getWidth() ?? 0) / 2
  const headingLinks = links.filter((link) => !/^(fn-|fnref-|ref-|refs$)/.test(link.dest) && destinations.has(link.dest) && wide(link))
  const textPages = new Set(headingLinks.map((link) => link.page))
  textPages.add(pages.length)
  const text = options.text ?? openPageText(bytes)
  let read: Map<number, TextRun[]>
  try {
    read = await text.read([...textPages])
  } finally {
    await text.close()
  }
  for (const [number, items] of [...read].sort(([a], [b]) => a - b)) {
    for (const link of headingLinks.filter((candidate) => candidate.page === number)) {
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = link.rect
      const inside = items.filter((item) => item.x >= x1 - 1 && item.x <= x2 + 1 && item.y >= y1 - 3 && item.y <= y2 + 1)
      const numberItem = inside.filter((item) => /^\d+$/.test(item.str.trim())).at(-1)
      const actual = destinations.get(link.dest)
      if (!numberItem || actual === undefined) continue
      const printed = Number(numberItem.str.trim())
      const text = inside.filter((item) => item !== numberItem).map((item) => item.str).join('').replaceAll('\u00AD', '').trim()
      facts.toc.push({ text, printed, actual })
      if (printed !== actual) {
        findings.push({ ruleId: 'toc-page-mismatch', page: number, subject: link.dest, reason: `Contents say "${text}" is on page ${printed}; it is on page ${actual}` })
      }
    }
    if (number === pages.length && pages.length > 1) {
      // A folio alone does not make a page.
      const text = items.map((item) => item.str).join('').replace(/\d+/g, '').trim()
      if (text === '') findings.push({ ruleId: 'empty-last-page', page: number, reason: `The last page (${number}) is empty` })
    }
  }
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
      // A Type 3 font is its glyphs' own drawings, in the file by definition (Chromium writes one for a font it cannot
      // embed as TrueType, such as a colour emoji's).
      if (font.lookup(PDFName.of('Subtype'))?.toString() === '/Type3') continue
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
