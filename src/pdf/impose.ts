// Imposition: a PDF's pages laid out as a saddle-stitched booklet, 2-up or 4-up on larger sheets, kept as vectors.
import {
  decodePDFRawStream,
  drawObject,
  PDFArray,
  PDFDocument,
  PDFFlateStream,
  PDFName,
  type PDFObject,
  PDFObjectCopier,
  type PDFPage,
  PDFRawStream,
  type PDFRef,
  type PDFStream,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  rotateDegrees,
  scale as scaleBy,
  translate,
} from 'pdf-lib'
import { InputError, UsageError } from '../errors.js'

export const layouts = ['booklet', '2up', '4up'] as const
export type Layout = (typeof layouts)[number]

/** Portrait sheet sizes in PostScript points; the larger of each pair holds two of the smaller side by side. */
export const sheets = {
  a4: { width: 595.28, height: 841.89 },
  a3: { width: 841.89, height: 1190.55 },
  letter: { width: 612, height: 792 },
  tabloid: { width: 792, height: 1224 },
} as const
export type SheetName = keyof typeof sheets

/** One side of a sheet: the source pages (0-based) in its cells in reading order; null is a blank cell. */
export type Side = readonly (number | null)[]

interface Size {
  width: number
  height: number
}

/**
 * The sides of a saddle-stitched booklet, front then back of each sheet, for duplex printing flipped on the short
 * edge (the back is printed the same way up as the front). The pages are padded with blanks at the end to a multiple
 * of 4. With `signature` (a multiple of 4), the pages are cut into stitched signatures of that many pages, each folded
 * on its own and then stacked; the last one holds what is left (still a multiple of 4).
 */
export function bookletOrder(pageCount: number, signature?: number): Side[] {
  if (signature !== undefined && (!Number.isInteger(signature) || signature < 4 || signature % 4 !== 0)) {
    throw new UsageError(`--signature must be a multiple of 4 (4, 8, 12, 16…), got ${signature}`)
  }
  const padded = Math.ceil(pageCount / 4) * 4
  const size = signature ?? padded
  const page = (index: number): number | null => (index < pageCount ? index : null)
  const sides: Side[] = []
  for (let start = 0; start < padded; start += size) {
    const count = Math.min(size, padded - start)
    // Sheet i of a signature carries its outermost pages still free: the last and first outside, the next inside.
    for (let sheet = 0; sheet < count / 4; sheet += 1) {
      const last = start + count - 1 - 2 * sheet
      const first = start + 2 * sheet
      sides.push([page(last), page(first)], [page(first + 1), page(last - 1)])
    }
  }
  return sides
}

/** Pages in reading order, `perSide` to a side; the last side's free cells are blank. */
export function nUpOrder(pageCount: number, perSide: number): Side[] {
  const sides: Side[] = []
  for (let start = 0; start < pageCount; start += perSide) {
    sides.push(Array.from({ length: perSide }, (_, cell) => (start + cell < pageCount ? start + cell : null)))
  }
  return sides
}

/** Columns and rows of cells on a side. */
function grid(layout: Layout): { columns: number; rows: number } {
  return layout === '4up' ? { columns: 2, rows: 2 } : { columns: 2, rows: 1 }
}

// A point and a half of slack: page sizes in points are rounded differently by different programs.
const slack = 1.5

/**
 * The sheet Galley picks when none is given: the smallest that holds the cells' pages at full size (A5 pages make
 * an A4 booklet, A4 pages an A3 one, Letter pages a Tabloid one; for 2-up and 4-up, one page of the same size), in
 * the paper family of the page (ISO proportions first, then US); if none does, the one that shrinks them least.
 */
export function defaultSheet(layout: Layout, page: Size): SheetName {
  const iso = Math.abs(Math.min(page.width, page.height) / Math.max(page.width, page.height) - Math.SQRT1_2) < 0.01
  const order: SheetName[] = iso ? ['a4', 'a3', 'letter', 'tabloid'] : ['letter', 'tabloid', 'a4', 'a3']
  const cells = layout === 'booklet' ? grid(layout) : { columns: 1, rows: 1 }
  const fits = order.find((name) => placement(sheets[name], cells, page).scale >= 1 - slack / Math.max(page.width, page.height))
  if (fits) return fits
  return order.reduce((best, name) => (placement(sheets[name], grid(layout), page).scale > placement(sheets[best], grid(layout), page).scale ? name : best))
}

/** The orientation of the sheet in which pages of this size are shrunk least, and by how much. */
function placement(sheet: Size, cells: { columns: number; rows: number }, page: Size): { sheet: Size; scale: number } {
  const scaleOn = (side: Size): number => Math.min(side.width / cells.columns / page.width, side.height / cells.rows / page.height)
  const portrait = { width: sheet.width, height: sheet.height }
  const landscape = { width: sheet.height, height: sheet.width }
  const [a, b] = [scaleOn(portrait), scaleOn(landscape)]
  return b > a ? { sheet: landscape, scale: b } : { sheet: portrait, scale: a }
}

export interface ImposeOptions {
  layout: Layout
  /** Default: `defaultSheet(layout, largest page)`. */
  sheet?: SheetName | undefined
  /** Pages per stitched signature, booklet only. Default: one signature. */
  signature?: number | undefined
  /** Draw a dashed fold line (booklet) or cut lines (2-up, 4-up). Default false. */
  guides?: boolean | undefined
  /** The dates written in the document's Info. Default: the time of the call. */
  date?: Date | undefined
}

export interface Imposed {
  document: PDFDocument
  sheet: SheetName
  landscape: boolean
  /** Sides of sheets (PDF pages) written. */
  sides: number
  /** Blank cells added to fill the booklet or the last side. */
  blanks: number
  /** The smallest scale a page was drawn at (1 = full size). */
  scale: number
}

/**
 * Lays the pages of `source` out on sheets. Each page is embedded once as a form XObject (its text, fonts and
 * vector drawing unchanged), trimmed, scaled to fit its cell and centred in it; a booklet's pages meet at the fold instead,
 * so that the margins each page was designed with hold when it is folded. Pages' `/Rotate` is honoured.
 */
export async function impose(source: PDFDocument, options: Readonly<ImposeOptions>): Promise<Imposed> {
  // A document made in memory writes its fonts and images only when saved; the copy needs them now.
  await source.flush()
  const pages = source.getPages()
  if (pages.length === 0) throw new InputError('The PDF has no pages to impose')
  if (options.signature !== undefined && options.layout !== 'booklet') {
    throw new UsageError(`--signature is for booklets; the ${options.layout} layout has no signatures`)
  }
  const sizes = pages.map(shownSize)
  const largest = { width: Math.max(...sizes.map((size) => size.width)), height: Math.max(...sizes.map((size) => size.height)) }
  const sheetName = options.sheet ?? defaultSheet(options.layout, largest)
  const paper = sheets[sheetName]
  if (placement(paper, { columns: 1, rows: 1 }, largest).scale < 1 - slack / Math.max(largest.width, largest.height)) {
    throw new UsageError(
      `The ${sheetName} sheet is smaller than the pages (${millimetres(largest)}); choose a larger --sheet or leave it out`,
    )
  }
  const cells = grid(options.layout)
  const { sheet } = placement(paper, cells, largest)
  const order = options.layout === 'booklet' ? bookletOrder(pages.length, options.signature) : nUpOrder(pages.length, cells.columns * cells.rows)

  const date = options.date ?? new Date()
  const document = await PDFDocument.create({ updateMetadata: false })
  document.setProducer('Galley (pdf-lib)')
  document.setCreator('galley impose')
  document.setCreationDate(date)
  document.setModificationDate(date)
  const title = source.getTitle()
  if (title !== undefined) document.setTitle(title)
  const author = source.getAuthor()
  if (author !== undefined) document.setAuthor(author)

  // One copier for all pages, so that the fonts and images pages share are copied once.
  const copier = PDFObjectCopier.for(source.context, document.context)
  const forms = pages.map((page, index) => {
    try {
      return formOf(page, document, copier)
    } catch (error) {
      throw new InputError(`Page ${index + 1} of the PDF cannot be copied: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error })
    }
  })
  const cellWidth = sheet.width / cells.columns
  const cellHeight = sheet.height / cells.rows
  let blanks = 0
  let smallest = Number.POSITIVE_INFINITY
  for (const side of order) {
    const out = document.addPage([sheet.width, sheet.height])
    side.forEach((index, cell) => {
      if (index === null) {
        blanks += 1
        return
      }
      const size = sizes[index] as Size
      const scale = Math.min(cellWidth / size.width, cellHeight / size.height)
      smallest = Math.min(smallest, scale)
      const column = cell % cells.columns
      const row = Math.floor(cell / cells.columns)
      const free = cellWidth - size.width * scale
      // A booklet's left page ends at the fold and its right page starts there.
      const inset = options.layout === 'booklet' ? (column === 0 ? free : 0) : free / 2
      const left = column * cellWidth + inset
      const bottom = sheet.height - (row + 1) * cellHeight + (cellHeight - size.height * scale) / 2
      const form = forms[index]
      if (form) drawForm(out, form, rotation(pages[index] as PDFPage), { left, bottom, width: size.width * scale, height: size.height * scale, scale })
    })
    if (options.guides) drawGuides(out, options.layout)
  }
  return { document, sheet: sheetName, landscape: sheet.width > sheet.height, sides: order.length, blanks, scale: Number.isFinite(smallest) ? smallest : 1 }
}

/**
 * Reads PDF bytes for imposition; `name` is how the file is named in messages. Throws `InputError` for bytes that
 * are not a PDF, an encrypted PDF, or one pdf-lib cannot read.
 */
export async function readPdf(bytes: Uint8Array, name: string): Promise<PDFDocument> {
  // The header may follow some junk, within the first 1024 bytes (PDF 32000-1, annex H).
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024))
  if (!head.includes('%PDF-')) throw new InputError(`${name} is not a PDF (no %PDF- header)`, { file: name })
  let document: PDFDocument
  let pages: number
  try {
    // Loaded even when encrypted, to say so below (pdf-lib's EncryptedPDFError fails `instanceof`: an ES5 class).
    // A damaged object is an error, not a guess: pdf-lib's repair attempts print to the console.
    document = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: true })
    pages = document.getPageCount() // Throws when there is no page tree.
  } catch (error) {
    // A TypeError is pdf-lib reaching for a catalog or page tree that is not there.
    const message = error instanceof Error ? error.message : String(error)
    const damaged = /"offset":(\d+)/.exec(message)
    const reason = error instanceof TypeError ? 'it has no page tree' : damaged ? `damaged at byte ${damaged[1] ?? ''}` : message
    throw new InputError(`${name} cannot be read as a PDF (${reason}); repair it first, for example with qpdf ${name} repaired.pdf`, { file: name })
  }
  if (document.isEncrypted) throw new InputError(`${name} is encrypted; decrypt it first (for example qpdf --decrypt ${name} plain.pdf)`, { file: name })
  if (pages === 0) throw new InputError(`${name} has no pages to impose`, { file: name })
  return document
}

/** The PDF a build just made, imposed on the default sheet: the bytes of the copy for printing. */
export async function imposePdf(bytes: Uint8Array, layout: Layout, date: Date): Promise<Uint8Array> {
  const imposed = await impose(await PDFDocument.load(bytes, { updateMetadata: false }), { layout, date })
  return imposed.document.save()
}

/** Where `galley build` writes the imposed copy of `pdf`: beside it, `name-booklet.pdf`, `name-2up.pdf`. */
export function imposedPath(pdf: string, layout: Layout): string {
  return pdf.replace(/(\.pdf)?$/i, `-${layout}.pdf`)
}

/**
 * The page as a form XObject in `document`: its content and its resources (copied once however many pages share
 * them), and nothing else of the page (links, structure), which the sheets cannot use. A page's single content
 * stream is kept as it is stored, filters and all, rather than inflated and deflated again. A page without content
 * (a blank page may have none) has no form.
 */
function formOf(page: PDFPage, document: PDFDocument, copier: PDFObjectCopier): PDFRef | undefined {
  const contents = page.node.Contents()
  if (contents === undefined) return undefined
  const streams = contents instanceof PDFArray ? contents.asArray().map((item) => page.doc.context.lookup(item)) : [contents]
  const box = visibleBox(page)
  const resources = page.node.Resources()
  const form = {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: [box.left, box.bottom, box.right, box.top],
    // The crop box's lower left corner at the form's origin.
    Matrix: [1, 0, 0, 1, -box.left, -box.bottom],
    Resources: resources ? copier.copy(resources) : {},
  }
  const [only] = streams
  if (streams.length === 1 && only instanceof PDFRawStream) {
    const kept: Record<string, PDFObject> = {}
    for (const key of ['Filter', 'DecodeParms']) {
      const value = only.dict.get(PDFName.of(key))
      if (value !== undefined) kept[key] = copier.copy(value)
    }
    return document.context.register(document.context.stream(only.getContents(), { ...form, ...kept }))
  }
  const parts = streams.map((stream) => decoded(stream as PDFStream))
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length + 1, 0))
  let at = 0
  for (const part of parts) {
    joined.set(part, at)
    joined[at + part.length] = 0x0a // Streams are joined by a line break, as a reader joins them.
    at += part.length + 1
  }
  return document.context.register(document.context.flateStream(joined, form))
}

function decoded(stream: PDFStream): Uint8Array {
  if (stream instanceof PDFRawStream) return decodePDFRawStream(stream).decode()
  if (stream instanceof PDFFlateStream) return stream.getUnencodedContents()
  return stream.getContents()
}

/** The page as trimmed (its TrimBox, else its CropBox, else its MediaBox): no bleed, no crop marks. */
function visibleBox(page: PDFPage): { left: number; bottom: number; right: number; top: number } {
  const box = page.getTrimBox()
  return { left: box.x, bottom: box.y, right: box.x + box.width, top: box.y + box.height }
}

function rotation(page: PDFPage): 0 | 90 | 180 | 270 {
  const angle = (((Math.round(page.getRotation().angle / 90) * 90) % 360) + 360) % 360
  return angle as 0 | 90 | 180 | 270
}

/** The page's size as shown: its trimmed box, turned by its `/Rotate`. */
function shownSize(page: PDFPage): Size {
  const box = page.getTrimBox()
  const turned = rotation(page) % 180 !== 0
  return turned ? { width: box.height, height: box.width } : { width: box.width, height: box.height }
}

/**
 * Draws a page's form with its lower left corner, as shown, at (left, bottom). `/Rotate` turns a page clockwise;
 * the turn is about the drawing origin, so the origin moves to the corner the turn brings to the lower left.
 */
function drawForm(out: PDFPage, form: PDFRef, turn: 0 | 90 | 180 | 270, at: { left: number; bottom: number; width: number; height: number; scale: number }): void {
  const origin =
    turn === 90 ? { x: at.left, y: at.bottom + at.height }
    : turn === 180 ? { x: at.left + at.width, y: at.bottom + at.height }
    : turn === 270 ? { x: at.left + at.width, y: at.bottom }
    : { x: at.left, y: at.bottom }
  const name = out.node.newXObject('Page', form)
  out.pushOperators(pushGraphicsState(), translate(origin.x, origin.y), rotateDegrees(-turn), scaleBy(at.scale, at.scale), drawObject(name), popGraphicsState())
}

/** A thin dashed grey line where the sheet is folded (booklet) or cut (2-up, 4-up). */
function drawGuides(out: PDFPage, layout: Layout): void {
  const { width, height } = out.getSize()
  const line = { thickness: 0.4, color: rgb(0.55, 0.55, 0.55), dashArray: [4, 3] }
  out.drawLine({ start: { x: width / 2, y: 0 }, end: { x: width / 2, y: height }, ...line })
  if (layout === '4up') out.drawLine({ start: { x: 0, y: height / 2 }, end: { x: width, y: height / 2 }, ...line })
}

function millimetres(size: Size): string {
  const mm = (points: number): number => Math.round((points / 72) * 25.4)
  return `${mm(size.width)} × ${mm(size.height)} mm`
}
