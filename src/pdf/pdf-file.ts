// Opens the PDF Chromium printed for editing without parsing all of it, and writes it back re-serialising only what changed.
import {
  PDFArray,
  PDFContext,
  PDFCrossRefSection,
  PDFDict,
  PDFDocument,
  PDFHeader,
  PDFName,
  PDFObjectParser,
  PDFRef,
  PDFStream,
  PDFTrailer,
  PDFTrailerDict,
  ParseSpeeds,
  type PDFObject,
} from 'pdf-lib'

export interface EditablePdf {
  /** The document: each object is parsed from the printed bytes when something first looks it up. */
  document: PDFDocument
  /** The whole PDF with the document's changes: changed and new objects written anew, the rest copied as printed. */
  save(): Promise<Uint8Array>
  /**
   * An object's text as printed (Latin-1), without parsing it, for a reader that can tell from it whether it needs the
   * object at all; undefined when the file was parsed whole.
   */
  printed(ref: PDFRef): string | undefined
}

/**
 * A book's PDF has some 10^4 objects, four in five of them elements of the structure tree, which nothing here reads;
 * pdf-lib's `load` parses every one and its `save` writes every one again (a third of a second of CPU for a
 * 190-page book). Chromium's PDF (Skia's writer) has one cross-reference table, so each object can be parsed where
 * the table says it is, when first looked up, and saving copies the printed bytes of every object left alone.
 * A PDF without such a table (Chromium prints none) is parsed and written whole by pdf-lib.
 */
export async function openPdf(bytes: Uint8Array): Promise<EditablePdf> {
  let opened: EditablePdf | undefined
  try {
    opened = openByTable(bytes)
  } catch {
    opened = undefined // A table or trailer that does not parse: pdf-lib's whole-file reading copes where it can.
  }
  if (opened) return opened
  const document = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })
  return { document, save: () => document.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY }), printed: () => undefined }
}

interface Entry {
  ref: PDFRef
  /** Where `N G obj` starts. */
  offset: number
  /** Where the object's bytes end: the next object's start, or the table's. */
  end: number
}

interface Table {
  /** In-use objects, in the order of their bytes in the file. */
  entries: Entry[]
  trailer: PDFDict
  /** Where the cross-reference table starts (the end of the last object). */
  offset: number
}

/** An object as parsed: changed when the document holds another object under its number, or this one altered. */
interface Parsed {
  object: PDFObject
  parts: unknown[]
}

/**
 * The objects of a document, each parsed from the printed bytes on its first lookup. pdf-lib's `PDFContext` keeps
 * its objects in a `Map` (its `indirectObjects`, read with `get` and iterated only to save); `openByTable` checks
 * that it is one before putting this one in its place (pdf-lib 1.17.1, its last release, in 2021).
 */
class ObjectsOnDemand extends Map<PDFRef, PDFObject> {
  private readonly parsed = new Map<PDFRef, Parsed>()
  private readonly removed = new Set<PDFRef>()

  constructor(
    private readonly bytes: Uint8Array,
    private readonly printed: ReadonlyMap<PDFRef, Entry>,
    private readonly context: PDFContext,
  ) {
    super()
  }

  override get(ref: PDFRef): PDFObject | undefined {
    const held = super.get(ref)
    if (held !== undefined || this.removed.has(ref)) return held
    const entry = this.printed.get(ref)
    if (entry === undefined) return undefined
    const object = parseObject(this.bytes, entry, this.context)
    super.set(ref, object)
    this.parsed.set(ref, { object, parts: partsOf(object) })
    return object
  }

  override has(ref: PDFRef): boolean {
    return this.get(ref) !== undefined
  }

  override delete(ref: PDFRef): boolean {
    this.removed.add(ref)
    return super.delete(ref)
  }

  /** Whether the printed object `ref` is still as printed (never looked up, or looked up and left alone). */
  unchanged(ref: PDFRef): boolean {
    if (this.removed.has(ref)) return false
    const parsed = this.parsed.get(ref)
    if (parsed === undefined) return !super.has(ref)
    const now = super.get(ref)
    return now === parsed.object && sameParts(partsOf(now), parsed.parts)
  }

  /** The objects held now (parsed or added), without parsing any more. */
  held(): [PDFRef, PDFObject][] {
    return [...super.entries()]
  }
}

/**
 * What an object holds, as the identities of its parts: dictionaries and arrays are what pdf-lib edits in place;
 * names, numbers, strings and references it never changes (a new value is a new object). A stream's bytes are
 * replaced by assigning another stream, so its dictionary is all that can change in place.
 */
function partsOf(object: PDFObject, parts: unknown[] = []): unknown[] {
  if (object instanceof PDFStream) return partsOf(object.dict, parts)
  if (object instanceof PDFDict) {
    parts.push('<<')
    for (const [key, value] of object.entries()) {
      parts.push(key)
      partsOf(value, parts)
    }
    parts.push('>>')
  } else if (object instanceof PDFArray) {
    parts.push('[')
    for (const value of object.asArray()) partsOf(value, parts)
    parts.push(']')
  } else parts.push(object)
  return parts
}

function sameParts(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index])
}

function openByTable(bytes: Uint8Array): EditablePdf | undefined {
  const context = PDFContext.create()
  if (!(Reflect.get(context, 'indirectObjects') instanceof Map)) return undefined
  const table = readTable(bytes, context)
  if (table === undefined) return undefined
  const trailer = (key: string): PDFObject | undefined => table.trailer.get(PDFName.of(key))
  // Encrypted PDFs are pdf-lib's to refuse; Chromium prints none.
  if (trailer('Encrypt') !== undefined || !(trailer('Root') instanceof PDFRef)) return undefined
  const printed = new Map(table.entries.map((entry) => [entry.ref, entry]))
  const objects = new ObjectsOnDemand(bytes, printed, context)
  Reflect.set(context, 'indirectObjects', objects)
  context.largestObjectNumber = table.entries.reduce((largest, entry) => Math.max(largest, entry.ref.objectNumber), 0)
  const root = trailer('Root')
  const info = trailer('Info')
  const id = trailer('ID')
  context.trailerInfo = { ...(root ? { Root: root } : {}), ...(info ? { Info: info } : {}), ...(id ? { ID: id } : {}) }
  // pdf-lib's own constructor (private in its types), as its `load` calls it once it has parsed the whole file.
  const document = Reflect.construct(PDFDocument, [context, false, false]) as PDFDocument
  if (!(document.catalog instanceof PDFDict)) return undefined
  return {
    document,
    save: () => Promise.resolve(write(bytes, table, objects, context)),
    printed: (ref) => {
      const entry = printed.get(ref)
      return entry && latin1(bytes, entry.offset, entry.end)
    },
  }
}

const latin1 = (bytes: Uint8Array, start: number, end: number): string => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1')

/**
 * The file's one cross-reference table (`xref`, subsections of 20-byte entries, `trailer`), or nothing when the file
 * has another kind (a cross-reference stream, an earlier table by `/Prev`) or an entry does not lead to its object.
 */
function readTable(bytes: Uint8Array, context: PDFContext): Table | undefined {
  const tail = latin1(bytes, Math.max(0, bytes.length - 1024), bytes.length)
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)
  const offset = Number(start?.[1] ?? Number.NaN)
  if (!(offset >= 0 && offset < bytes.length)) return undefined
  const text = latin1(bytes, offset, bytes.length)
  if (!text.startsWith('xref')) return undefined
  const subsection = /\s*(\d+) (\d+)[ \t]*\r?\n/y
  const found: { ref: PDFRef; offset: number }[] = []
  // Each entry is 20 bytes, `oooooooooo ggggg n` and an end of line: read as digits, not matched one by one.
  const number = (from: number, length: number): number => {
    let value = 0
    for (let index = offset + from; index < offset + from + length; index++) {
      const digit = (bytes[index] ?? 0) - 0x30
      if (digit < 0 || digit > 9) return Number.NaN
      value = value * 10 + digit
    }
    return value
  }
  let at = 4
  for (;;) {
    subsection.lastIndex = at
    const head = subsection.exec(text)
    if (!head) break
    const first = Number(head[1])
    const count = Number(head[2])
    at = subsection.lastIndex
    if (at + 20 * count > text.length) return undefined
    for (let index = 0; index < count; index++, at += 20) {
      const position = number(at, 10)
      const generation = number(at + 11, 5)
      const kind = text[at + 17]
      if (Number.isNaN(position) || Number.isNaN(generation) || (kind !== 'n' && kind !== 'f')) return undefined
      if (kind === 'n') found.push({ ref: PDFRef.of(first + index, generation), offset: position })
    }
  }
  const keyword = /\s*trailer/y
  keyword.lastIndex = at
  if (!keyword.exec(text)) return undefined
  const trailer = PDFObjectParser.forBytes(bytes.subarray(offset + keyword.lastIndex), context).parseObject()
  if (!(trailer instanceof PDFDict) || trailer.has(PDFName.of('Prev')) || trailer.has(PDFName.of('XRefStm'))) return undefined
  found.sort((a, b) => a.offset - b.offset)
  const entries: Entry[] = []
  for (const [index, entry] of found.entries()) {
    const end = found[index + 1]?.offset ?? offset
    const header = `${entry.ref.objectNumber} ${entry.ref.generationNumber} obj`
    if (end <= entry.offset + header.length) return undefined
    for (let index = 0; index < header.length; index++) if (bytes[entry.offset + index] !== header.charCodeAt(index)) return undefined
    entries.push({ ...entry, end })
  }
  return { entries, trailer, offset }
}

function parseObject(bytes: Uint8Array, entry: Entry, context: PDFContext): PDFObject {
  const header = `${entry.ref.objectNumber} ${entry.ref.generationNumber} obj`.length
  // Parsed from a view that ends where the next object starts: a stream's bytes stay views of the printed PDF.
  return PDFObjectParser.forBytes(bytes.subarray(entry.offset + header, entry.end), context).parseObject()
}

const encoder = new TextEncoder()

/**
 * The PDF as pdf-lib would write it (its header, each changed or new object as `N G obj … endobj`, one
 * cross-reference table and trailer), except that the objects left alone keep their printed bytes, in their order.
 */
function write(bytes: Uint8Array, table: Table, objects: ObjectsOnDemand, context: PDFContext): Uint8Array {
  const pieces: Uint8Array[] = []
  let size = 0
  const add = (piece: Uint8Array): void => {
    pieces.push(piece)
    size += piece.length
  }
  const header = PDFHeader.forVersion(1, 7)
  const headerBytes = new Uint8Array(header.sizeInBytes() + 2)
  header.copyBytesInto(headerBytes, 0)
  headerBytes.set([0x0a, 0x0a], headerBytes.length - 2)
  add(headerBytes)

  const offsets = new Map<PDFRef, number>()
  // Runs of objects left alone are copied as one piece.
  let run: { start: number; end: number } | undefined
  const endRun = (): void => {
    if (run) add(bytes.subarray(run.start, run.end))
    run = undefined
  }
  for (const entry of table.entries) {
    if (!objects.unchanged(entry.ref)) {
      endRun()
      continue
    }
    if (run && run.end === entry.offset) {
      offsets.set(entry.ref, size + (run.end - run.start))
      run.end = entry.end
    } else {
      endRun()
      offsets.set(entry.ref, size)
      run = { start: entry.offset, end: entry.end }
    }
  }
  endRun()
  const last = pieces.at(-1)?.at(-1)
  if (last !== 0x0a && last !== 0x0d) add(encoder.encode('\n'))

  const printed = new Set(table.entries.map((entry) => entry.ref))
  const written = objects
    .held()
    .filter(([ref]) => !printed.has(ref) || !objects.unchanged(ref))
    .sort(([a], [b]) => a.objectNumber - b.objectNumber)
  for (const [ref, object] of written) {
    offsets.set(ref, size)
    const body = new Uint8Array(object.sizeInBytes())
    object.copyBytesInto(body, 0)
    add(encoder.encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`))
    add(body)
    add(encoder.encode('\nendobj\n\n'))
  }

  const xref = PDFCrossRefSection.create()
  for (const [ref, offset] of [...offsets].sort(([a], [b]) => a.objectNumber - b.objectNumber)) xref.addEntry(ref, offset)
  const xrefOffset = size
  const { Root, Encrypt, Info, ID } = context.trailerInfo
  const trailer = PDFTrailerDict.of(
    context.obj({ Size: context.largestObjectNumber + 1, ...(Root ? { Root } : {}), ...(Encrypt ? { Encrypt } : {}), ...(Info ? { Info } : {}), ...(ID ? { ID } : {}) }),
  )
  const end = PDFTrailer.forLastCrossRefSectionOffset(xrefOffset)
  const tail = new Uint8Array(xref.sizeInBytes() + 1 + trailer.sizeInBytes() + 2 + end.sizeInBytes())
  let at = xref.copyBytesInto(tail, 0)
  tail[at++] = 0x0a
  at += trailer.copyBytesInto(tail, at)
  tail[at++] = 0x0a
  tail[at++] = 0x0a
  end.copyBytesInto(tail, at)
  add(tail)

  const out = new Uint8Array(size)
  let position = 0
  for (const piece of pieces) {
    out.set(piece, position)
    position += piece.length
  }
  return out
}
