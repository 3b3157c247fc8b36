// Print-shop boxes and marks: the TrimBox inside the page as printed (which holds the bleed), the BleedBox around it, a larger MediaBox with crop and registration marks outside.
import { cmyk, type PDFDocument, type PDFPage } from 'pdf-lib'

export interface PrintMarksOptions {
  /** How far the BleedBox reaches beyond the trim, in points; the page as printed holds it on every side, rounded up to a whole CSS pixel (`printedBleed`). */
  bleed: number
  /** Whether to draw crop marks at the corners, outside the bleed. */
  cropMarks: boolean
  /** Whether to draw registration marks (a circled cross) at the middle of each side, outside the bleed. */
  registrationMarks?: boolean
}

const mm = (millimetres: number): number => (millimetres / 25.4) * 72

/** Crop marks are 5 mm long, start at least 3 mm from the trim and always outside the bleed (a mark in the bleed would be printed on the page). */
const markLength = mm(5)
const markOffset = (bleed: number): number => Math.max(bleed + mm(1), mm(3))

/**
 * Turns each page of a printed PDF into a print-shop page. Galley prints a bleed build on pages grown by the bleed
 * on every side (`html/page-css.ts`: Chromium paints nothing outside a page, so what bleeds must be on it), so the
 * TrimBox is that much inside the page as printed, the BleedBox `bleed` beyond the trim, and the MediaBox (and
 * CropBox, so that viewers show it) is the page as printed, or grows to hold the marks. The page's content is not
 * moved: the boxes grow into negative coordinates around it.
 */
export function addPrintMarks(document: PDFDocument, options: Readonly<PrintMarksOptions>): void {
  for (const page of document.getPages()) markPage(page, options)
}

function markPage(page: PDFPage, { bleed, cropMarks, registrationMarks = false }: Readonly<PrintMarksOptions>): void {
  const printed = page.getMediaBox()
  const inset = printedBleed(bleed)
  const trim = { x: printed.x + inset, y: printed.y + inset, width: printed.width - 2 * inset, height: printed.height - 2 * inset }
  const offset = markOffset(bleed)
  const outer = cropMarks || registrationMarks ? offset + markLength + mm(1) : inset
  const grow = (by: number): [number, number, number, number] => [trim.x - by, trim.y - by, trim.width + 2 * by, trim.height + 2 * by]
  page.setMediaBox(...grow(outer))
  page.setCropBox(...grow(outer))
  page.setBleedBox(...grow(bleed))
  page.setTrimBox(trim.x, trim.y, trim.width, trim.height)
  // In all four inks, as registration marks are, so that every plate carries them.
  const line = { thickness: 0.25, color: cmyk(1, 1, 1, 1) }
  if (registrationMarks) drawRegistrationMarks(page, trim, offset, line)
  if (!cropMarks) return
  const left = trim.x
  const right = trim.x + trim.width
  const bottom = trim.y
  const top = trim.y + trim.height
  for (const x of [left, right]) {
    for (const [y, away] of [[bottom, -1], [top, 1]] as const) {
      page.drawLine({ start: { x, y: y + away * offset }, end: { x, y: y + away * (offset + markLength) }, ...line })
    }
  }
  for (const y of [bottom, top]) {
    for (const [x, away] of [[left, -1], [right, 1]] as const) {
      page.drawLine({ start: { x: x + away * offset, y }, end: { x: x + away * (offset + markLength), y }, ...line })
    }
  }
}

/**
 * A registration mark at the middle of each side, in the band the crop marks use (from `offset` to `offset` + 5 mm
 * beyond the trim, so outside the bleed): a circle of 3.5 mm with a cross through it, in all four inks, which the
 * printer lines up plate over plate.
 */
function drawRegistrationMarks(page: PDFPage, trim: { x: number; y: number; width: number; height: number }, offset: number, line: { thickness: number; color: ReturnType<typeof cmyk> }): void {
  const reach = markLength / 2
  const away = offset + reach
  const centres = [
    { x: trim.x + trim.width / 2, y: trim.y + trim.height + away },
    { x: trim.x + trim.width / 2, y: trim.y - away },
    { x: trim.x - away, y: trim.y + trim.height / 2 },
    { x: trim.x + trim.width + away, y: trim.y + trim.height / 2 },
  ]
  for (const { x, y } of centres) {
    page.drawCircle({ x, y, size: mm(1.75), borderWidth: line.thickness, borderColor: line.color })
    page.drawLine({ start: { x: x - reach, y }, end: { x: x + reach, y }, ...line })
    page.drawLine({ start: { x, y: y - reach }, end: { x, y: y + reach }, ...line })
  }
}

/**
 * How far the page as printed reaches beyond the trim, in points: the bleed rounded up to a whole CSS pixel (0.75 pt),
 * as `html/page-css.ts` grows the page (Chromium rounds page margins to whole pixels). The BleedBox itself stays at
 * the bleed asked for.
 */
export function printedBleed(bleed: number): number {
  return Math.max(0, Math.ceil(bleed / 0.75 - 1e-6) * 0.75)
}

/** A CSS length from the metadata (`3mm`, `0.125in`, `9pt`) in PostScript points. */
export function lengthInPoints(length: string): number {
  const match = /^(\d+(?:\.\d+)?)(mm|cm|in|pt|pc|px)$/.exec(length.trim())
  if (!match) return 0
  const per: Record<string, number> = { mm: 72 / 25.4, cm: 72 / 2.54, in: 72, pt: 1, pc: 12, px: 0.75 }
  return Number(match[1]) * (per[match[2] ?? 'pt'] ?? 1)
}
