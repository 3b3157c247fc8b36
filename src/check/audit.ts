// The publication audit `galley check` adds to what the build reports: links, images, long tokens, headings, unused entries.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Root as HastRoot } from 'hast'
import type { Heading, Image, InlineCode, Link, Nodes, Root, Text } from 'mdast'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import { rules, type RuleId } from '../diagnostics.js'
import { trueTypeFaces } from '../html/fonts.js'
import { sheet, textBlock, toPx } from '../html/page-css.js'
import { hyphenates } from '../html/rehype-hyphenate.js'
import type { Chapter } from '../markdown/types.js'
import { visit } from '../tree-visit.js'
import { characterAdvances } from './font-metrics.js'
import { imageSize } from './image-size.js'

export interface AuditInput {
  /** The book after the citations stage: chapters holding their files, nodes their source positions. */
  book: Root
  /** The HTML tree made from it: the ids a link may lead to. */
  tree: HastRoot
  metadata: Metadata
  projectDir: string
  /** Bibliography entries by id, and the keys the book cites or lists (`nocite`). */
  entries: ReadonlyMap<string, unknown>
  citedKeys: readonly string[]
  /** The VFile for messages about a file other than a chapter (a bibliography), by its path. */
  fileFor: (file: string) => VFile
}

/**
 * DejaVu Sans Mono's cell (1233/2048 em), which every character of the code face has. The text face's advances are read
 * from its own files (`font-metrics.ts`): they match Chromium's widths of the print's WOFF2 files to a hundredth of a
 * pixel, before kerning (which narrows a long word by about 0.3%).
 */
const codeAdvance = 0.602
/** A character the text face lacks is set in a fallback face: about half an em. */
const fallbackAdvance = 0.5
/** `pre, code { font-size: 0.85em }` and the headings' sizes in `styles/print.css`. */
const codeSize = 0.85
const headingSize: Record<number, number> = { 1: 1.3, 2: 1.12 }

/** The text face's weight and style, as `styles/print.css` sets them: headings 1–2 semibold, 3 italic; emphasis, strong. */
type Face = { weight: number; style: 'normal' | 'italic' }

function faceOf(heading: number | undefined, parent: string | undefined): Face {
  if (heading !== undefined) return heading <= 2 ? { weight: 600, style: 'normal' } : { weight: 400, style: heading === 3 ? 'italic' : 'normal' }
  return { weight: parent === 'strong' ? 600 : 400, style: parent === 'emphasis' ? 'italic' : 'normal' }
}

/** The width of a text in em, in a face of Source Serif 4; each face's file is read the first time it is needed. */
function textWidths(): (text: string, face: Face) => number {
  const read = new Map<string, Map<number, number>>()
  return (text, face) => {
    const key = `${face.weight} ${face.style}`
    let advances = read.get(key)
    if (!advances) {
      const file = trueTypeFaces.find((candidate) => candidate.weight === face.weight && candidate.style === face.style)?.file
      advances = file ? characterAdvances(readFileSync(file)) : new Map<number, number>()
      read.set(key, advances)
    }
    let width = 0
    for (const character of text) width += advances.get(character.codePointAt(0) ?? 0) ?? fallbackAdvance
    return width
  }
}

/** Runs every audit; each finding is a message on the file it is about. */
export function audit(input: Readonly<AuditInput>): void {
  const chapters = input.book.children.filter((node): node is Chapter => node.type === 'chapter')
  const ids = new Set<string>()
  visit(input.tree, 'element', (element) => {
    const id = element.properties['id']
    if (typeof id === 'string') ids.add(id)
  })
  const block = textBlock(input.metadata)
  const fontSize = toPx(input.metadata.fontsize)
  let previous: number | undefined
  const width = textWidths()
  for (const chapter of chapters) {
    const file = chapter.data.file
    const source = String(file.value)
    visit(chapter, (node, _index, parent) => {
      if (node.type === 'link') missingTarget(node, ids, file)
      if (node.type === 'image') {
        if (!node.alt?.trim()) report(file, 'missing-alt-text', `Image ${shortUrl(node.url)} has no description: give it one in ![…] for readers who cannot see it`, node)
        if (isFullBleed(node)) fullBleedResolution(node, input.projectDir, sheet(input.metadata), file)
        else resolution(node, input.projectDir, block, fontSize, file)
      }
      if (node.type === 'heading' && node.position) {
        if (previous !== undefined && node.depth > previous + 1) {
          report(file, 'heading-level-skip', `Heading level ${node.depth} follows level ${previous}: a level is skipped (use ${'#'.repeat(previous + 1)})`, node)
        }
        previous = node.depth
      }
      if (node.type === 'text' || node.type === 'inlineCode') {
        const heading = parent?.type === 'heading' ? (parent as Heading).depth : undefined
        longTokens(node, source, { measure: block.width, fontSize, heading, face: faceOf(heading, parent?.type), width }, file)
      }
      return undefined
    })
  }
  unusedEntries(input)
}

function report(file: VFile, ruleId: RuleId, reason: string, node?: Nodes, place?: { line: number; column: number }): void {
  file.message(reason, { ruleId, source: rules[ruleId].source, ...(place ? { place } : node?.position ? { place: node.position } : {}) })
}

function missingTarget(link: Link, ids: ReadonlySet<string>, file: VFile): void {
  if (!link.url.startsWith('#') || link.url === '#') return
  let id = link.url.slice(1)
  try {
    id = decodeURIComponent(id)
  } catch {
    // Not percent-encoded text: the id as written.
  }
  if (!ids.has(id)) report(file, 'missing-link-target', `Link to #${id} leads nowhere: no heading, figure, note or element has the id "${id}"`, link)
}

/** The image's size in pixels, read from its file; undefined when it has none to read (reported when the file is there but unreadable). */
function imagePixels(image: Image, projectDir: string, file: VFile): ReturnType<typeof imageSize> | undefined {
  const bytes = imageBytes(image.url, projectDir)
  if (bytes === undefined) return undefined
  const pixels = imageSize(bytes)
  if (!pixels) report(file, 'unreadable-image', `Image ${shortUrl(image.url)}: its size cannot be read from the file, so its resolution is not checked`, image)
  return pixels
}

function isFullBleed(image: Image): boolean {
  const className: unknown = image.data?.hProperties?.['className']
  return Array.isArray(className) ? className.includes('full-bleed') : typeof className === 'string' && className.split(' ').includes('full-bleed')
}

/** A full-bleed image covers the page as printed, bleed and all (`object-fit: cover`): scaled until both sides fill it. */
function fullBleedResolution(image: Image, projectDir: string, page: { width: number; height: number }, file: VFile): void {
  const pixels = imagePixels(image, projectDir, file)
  if (!pixels) return
  const dpi = 96 / Math.max(page.width / pixels.width, page.height / pixels.height)
  if (dpi >= 300) return
  const cm = (length: number): string => ((length / 96) * 2.54).toFixed(1)
  const target = dpi < 150 ? 150 : 300
  const needed = `${Math.ceil((page.width / 96) * target)} × ${Math.ceil((page.height / 96) * target)} px`
  const what = `Image ${shortUrl(image.url)} (${pixels.width} × ${pixels.height} px) fills a page of ${cm(page.width)} × ${cm(page.height)} cm to the bleed, at ${Math.round(dpi)} dpi`
  if (dpi < 150) report(file, 'image-under-150dpi', `${what}: coarse in print; give it at least ${needed}`, image)
  else report(file, 'image-under-300dpi', `${what}: fine for line art, under the 300 dpi a print shop asks for photographs (${needed})`, image)
}

/**
 * An image prints at its CSS size (a pixel of the image a CSS pixel, 96 to the inch) unless a `width` or `height`
 * says otherwise, and never wider than the text block (`max-width: 100%`) or taller than 60% of it (`max-height:
 * 60vh`: in print, a vh is a hundredth of the page area). Checked against `pdfimages -list` on Galley's PDFs.
 */
function resolution(image: Image, projectDir: string, block: { width: number; height: number }, fontSize: number, file: VFile): void {
  const pixels = imagePixels(image, projectDir, file)
  if (!pixels) return
  const style = String(image.data?.hProperties?.['style'] ?? '')
  const given = (key: string, relativeTo: number): number | undefined => {
    const value = new RegExp(`(?:^|;)\\s*${key}:\\s*([^;]+)`).exec(style)?.[1]?.trim()
    return value === undefined ? undefined : cssLength(value, relativeTo, fontSize)
  }
  const width = given('width', block.width)
  // A percentage height of an image in a block of no set height is `auto` in CSS: Chromium ignores Pandoc's `height=50%`.
  const height = /(?:^|;)\s*height:\s*[\d.]+%/.test(style) ? undefined : given('height', block.height)
  let printedWidth: number
  let printedHeight: number
  if (width !== undefined) {
    printedWidth = Math.min(width, block.width)
    printedHeight = height ?? (printedWidth * pixels.height) / pixels.width
  } else if (height !== undefined) {
    printedHeight = height
    printedWidth = Math.min(block.width, (height * pixels.width) / pixels.height)
  } else {
    const scale = Math.min(1, block.width / pixels.width, (0.6 * block.height) / pixels.height)
    printedWidth = pixels.width * scale
    printedHeight = pixels.height * scale
  }
  const dpi = Math.min(pixels.width / (printedWidth / 96), pixels.height / (printedHeight / 96))
  if (dpi >= 300) return
  const centimetres = (printedWidth / 96) * 2.54
  const needed = Math.ceil((printedWidth / 96) * (dpi < 150 ? 150 : 300))
  const what = `Image ${shortUrl(image.url)} (${pixels.width} × ${pixels.height} px) prints ${centimetres.toFixed(1)} cm wide, at ${Math.round(dpi)} dpi`
  if (dpi < 150) report(file, 'image-under-150dpi', `${what}: coarse in print; give it at least ${needed} px across, or print it smaller`, image)
  else report(file, 'image-under-300dpi', `${what}: fine for line art, under the 300 dpi a print shop asks for photographs (${needed} px across)`, image)
}

function imageBytes(url: string, projectDir: string): Uint8Array | undefined {
  const data = /^data:image\/(?:png|jpeg|gif|webp);base64,(.*)$/is.exec(url)
  if (data) return Buffer.from(data[1] ?? '', 'base64')
  if (/\.svg$/i.test(url) || /^[a-z][a-z\d+.-]*:/i.test(url)) return undefined
  try {
    // The resources stage made the URL project-relative, and only for a file it allowed.
    return readFileSync(path.join(projectDir, decodeURI(url)))
  } catch {
    return undefined
  }
}

/** A CSS length in CSS pixels; `%` of `relativeTo`; undefined for units that depend on the viewport. */
function cssLength(value: string, relativeTo: number, fontSize: number): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(%|px|cm|mm|in|pt|pc|em|rem|ex|ch)?$/.exec(value)
  if (!match) return undefined
  const amount = Number(match[1])
  const unit = match[2] ?? 'px'
  if (unit === '%') return (amount / 100) * relativeTo
  if (unit === 'em' || unit === 'rem') return amount * fontSize
  if (unit === 'ex' || unit === 'ch') return amount * fontSize * 0.5
  return toPx(`${amount}${unit}`)
}

const urlPattern = /^(?:https?:\/\/|www\.|doi:)/

/**
 * Pieces of text no line can break: the print HTML breaks lines at spaces, after hyphens and dashes, inside URLs
 * (at their slashes and dots) and, by hyphenation, inside words of six letters or more outside headings.
 */
interface TokenContext {
  measure: number
  fontSize: number
  heading: number | undefined
  face: Face
  width: (text: string, face: Face) => number
}

function longTokens(node: Text | InlineCode, source: string, context: Readonly<TokenContext>, file: VFile): void {
  const code = node.type === 'inlineCode'
  const em = context.fontSize * (code ? codeSize : (headingSize[context.heading ?? 0] ?? 1))
  /** Width in CSS pixels. */
  const wide = (text: string): number => em * (code ? [...text].length * codeAdvance : context.width(text, context.face))
  if (wide(node.value) <= context.measure) return
  for (const match of node.value.matchAll(/\S+/g)) {
    const token = match[0]
    if (wide(token) <= context.measure) continue
    const pieces = code ? [token] : urlPattern.test(token) ? token.split(/(?<=\/+)(?!\/)|(?=[.?&=\-_#])/) : token.split(/(?<=[-–—])/)
    const unbreakable = pieces.find((piece) => wide(piece) > context.measure && (code || context.heading !== undefined || !hyphenates(piece)))
    if (unbreakable === undefined) continue
    const width = (wide(unbreakable) * 25.4) / 96
    const place = pointAt(node, source, match.index + token.indexOf(unbreakable))
    const shown = unbreakable.length > 40 ? `${unbreakable.slice(0, 37)}…` : unbreakable
    report(file, 'long-unbreakable-token', `"${shown}" cannot break and is about ${Math.round(width)} mm wide, wider than the ${Math.round((context.measure * 25.4) / 96)} mm text measure: it will run into the margin`, undefined, place)
  }
}

/** The source point of `offset` in a text node or code span: exact when its source holds the text as it is, else the node's start. */
function pointAt(node: { value: string; position?: Text['position'] }, source: string, offset: number): { line: number; column: number } {
  const start = node.position?.start
  if (!start) return { line: 1, column: 1 }
  const written = start.offset === undefined ? undefined : source.slice(start.offset, node.position?.end.offset)
  // A code span's text is its source less the backticks; other text may differ from its source (escapes, entities).
  const at = written?.indexOf(node.value) ?? -1
  if (at === -1 || start.offset === undefined) return { line: start.line, column: start.column }
  const before = source.slice(start.offset, start.offset + at + offset)
  const lines = before.split('\n')
  return lines.length === 1 ? { line: start.line, column: start.column + at + offset } : { line: start.line + lines.length - 1, column: (lines.at(-1)?.length ?? 0) + 1 }
}

/** Entries nobody cites, at their place in the bibliography file (found by their id as each format writes it). */
function unusedEntries(input: Readonly<AuditInput>): void {
  const cited = new Set(input.citedKeys)
  const unused = [...input.entries.keys()].filter((key) => !cited.has(key))
  if (unused.length === 0) return
  const texts = input.metadata.bibliography.map((file) => ({ file, text: readText(file) }))
  for (const key of unused) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const pattern = new RegExp(`"id"\\s*:\\s*"${escaped}"|\\bid:\\s*["']?${escaped}["']?\\s*$|@\\w+\\s*[{(]\\s*${escaped}\\s*,`, 'm')
    const found = texts.find(({ text }) => pattern.test(text))
    const reason = `Bibliography entry "${key}" is never cited; list it with nocite if it belongs in the bibliography`
    if (!found) {
      report(input.fileFor(input.metadata.bibliography[0] ?? 'references'), 'unused-bibliography-entry', reason)
      continue
    }
    const at = found.text.search(pattern)
    const before = found.text.slice(0, at)
    report(input.fileFor(found.file), 'unused-bibliography-entry', reason, undefined, { line: before.split('\n').length, column: at - before.lastIndexOf('\n') })
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function shortUrl(url: string): string {
  return url.startsWith('data:') ? 'given as a data: URL' : url
}
