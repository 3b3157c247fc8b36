// The @page rules for one document: paper size, duplex margins, folios and running heads from its metadata.
import type { Metadata, PaperSize } from '../config/schema.js'
import { termsFor } from '../config/translations.js'
import { fullBleedAfter, fullBleedBoxes } from '../pdf/layout/full-bleed.js'

const paperSizes: Record<Exclude<PaperSize, object>, string> = {
  a4: '210mm 297mm',
  a5: '148mm 210mm',
  b5: '176mm 250mm',
  letter: '8.5in 11in',
  legal: '8.5in 14in',
}

export function pageSize(size: PaperSize): string {
  return typeof size === 'string' ? paperSizes[size] : `${size.width} ${size.height}`
}

const pxPer: Record<string, number> = { mm: 96 / 25.4, cm: 96 / 2.54, in: 96, pt: 96 / 72, pc: 16, px: 1 }

/** A CSS length in CSS pixels (96 per inch). */
export function toPx(length: string): number {
  const match = /^(\d+(?:\.\d+)?)(mm|cm|in|pt|pc|px)$/.exec(length.trim())
  if (!match) throw new Error(`not a length: ${length}`)
  return Number(match[1]) * (pxPer[match[2] ?? 'px'] ?? 1)
}

/**
 * The text block (page minus margins) in CSS pixels: the size of one page for the layout pass. Its width is the one
 * Chromium prints at, the page area's width rounded up to a whole pixel (measured on Chromium 156: 130 mm, 491.34 px,
 * prints 492 px wide), since lines measured even half a pixel narrower than they print break elsewhere. The height is
 * rounded up in print too (242 mm, 914.65 px, holds 915 px); it is left exact, so a page the pass fills fits in print.
 */
export function textBlock(metadata: Metadata): { width: number; height: number } {
  const [width = '0mm', height = '0mm'] = pageSize(metadata.papersize).split(' ')
  const { margin } = metadata
  return {
    width: printedWidth(toPx(width) - toPx(margin.inner) - toPx(margin.outer)),
    height: toPx(height) - toPx(margin.top) - toPx(margin.bottom),
  }
}

/** A page area's width as Chromium lays it out in print: rounded up to a whole CSS pixel (a hair below one stays). */
function printedWidth(width: number): number {
  return Math.ceil(width - 1e-6)
}

/**
 * A CSS string literal that cannot end its string or its `<style>` element: quotes and backslashes escaped, and `<`,
 * `>` and `&` as CSS hex escapes, line breaks as spaces (an HTML parser ends `<style>` at `</style>` even inside a string).
 */
export function cssString(text: string): string {
  return `"${text.replace(/[\r\n\f]+/g, ' ').replace(/[\\"<>&]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`
}

export interface PageCssOptions {
  /** The book has `.full-bleed` images or blocks: add the rules that give each a page of its own, to the bleed edge. Default false. */
  fullBleed?: boolean
}

/**
 * The page Chromium prints on: the paper, grown by the bleed on every side when there is one. Chromium paints a
 * page's content only inside its page area (the margins are clipped), so the bleed has to be part of the page for
 * anything to reach it; `print-marks.ts` then puts the TrimBox back at the paper.
 */
function sheetSize(metadata: Metadata): string {
  if (metadata.bleed === undefined) return pageSize(metadata.papersize)
  const [width = '0mm', height = '0mm'] = pageSize(metadata.papersize).split(' ')
  return `${grown(width, metadata.bleed, 2)} ${grown(height, metadata.bleed, 2)}`
}

/** The page as printed (the paper and the bleed around it) in CSS pixels: what a full-bleed image covers. */
export function sheet(metadata: Metadata): { width: number; height: number } {
  const [width = '0mm', height = '0mm'] = sheetSize(metadata).split(' ')
  return { width: toPx(width), height: toPx(height) }
}

/** The page margins, each grown by the bleed, so that the text block, heads and folios keep their place on the trimmed page. */
function bleedMargins(metadata: Metadata): Metadata['margin'] {
  const { margin, bleed } = metadata
  if (bleed === undefined) return margin
  return { top: grown(margin.top, bleed), bottom: grown(margin.bottom, bleed), inner: grown(margin.inner, bleed), outer: grown(margin.outer, bleed) }
}

/**
 * A length and the bleed added up, in CSS pixels. Chromium rounds each page margin to a whole CSS pixel, so the
 * bleed is taken as a whole number of pixels (rounded up: 3 mm is 12 px, 3.175 mm) for the text block to keep its
 * place to the pixel; the page as printed then holds at least the bleed asked for (`print-marks.ts` rounds alike).
 */
function grown(length: string, bleed: string, times = 1): string {
  return `${toPx(length) + times * printedBleed(bleed)}px`
}

/** The bleed as printed around each page, in CSS pixels: the length asked for, rounded up to a whole pixel. */
export function printedBleed(bleed: string): number {
  return Math.max(0, Math.ceil(toPx(bleed) - 1e-6))
}

/**
 * A `.full-bleed` image (its figure or paragraph) or block fills a page of its own, a named page with no margins:
 * the image covers the whole sheet, to the bleed edge; a block's background (`background-color` attribute, Quarto's
 * name for it; only a CSS colour is taken, by `attr()`'s type) covers the sheet while its text, black or white as
 * contrasts more with it, keeps the text block's place, on the side the layout pass names (`data-galley-side`).
 * A figure's caption sits at the foot of the text block. No running head or folio, as on a plate. The image covers
 * the page (cropped, not distorted).
 */
function fullBleedCss(metadata: Metadata): string {
  const margin = bleedMargins(metadata)
  const [width = '0mm', height = '0mm'] = sheetSize(metadata).split(' ')
  // A handout has the same margins on both sides: no verso rules.
  const verso = metadata.layout === 'handout' ? '' : `
div.full-bleed[data-galley-side="verso"] { padding-left: ${margin.outer}; padding-right: ${margin.inner}; }
figure[data-galley-side="verso"]:has(> img.full-bleed) > figcaption { left: ${margin.outer}; right: ${margin.inner}; }`
  const none = ['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'].map((box) => `@${box} { content: none; }`).join(' ')
  return `
@page galley-full-bleed { margin: 0; ${none} }
@media print {
${fullBleedBoxes} {
  page: galley-full-bleed; box-sizing: border-box;
  width: ${width}; height: ${height}; max-width: none; margin: 0; position: relative; overflow: hidden;
}
.galley-page-break:has(${fullBleedAfter}) { page: galley-full-bleed; }
img.full-bleed { display: block; width: 100%; height: 100%; max-width: none; max-height: none; margin: 0; object-fit: cover; }
div.full-bleed {
  padding: ${margin.top} ${margin.outer} ${margin.bottom} ${margin.inner};
  background-color: attr(data-background-color type(<color>), transparent);
}
div.full-bleed[data-background-color] { color: contrast-color(attr(data-background-color type(<color>), white)); }
figure:has(> img.full-bleed) > figcaption {
  position: absolute; bottom: ${margin.bottom}; left: ${margin.inner}; right: ${margin.outer};
  margin: 0; padding: 0.4em 0.6em; background: rgb(255 255 255 / 0.85);
}
${verso}
}
`
}

/**
 * Verso pages carry the author(s), recto pages the title, in letter-spaced small caps; folios sit at the outer
 * corner of the foot; the first page has neither head (it opens the document).
 */
export function pageCss(metadata: Metadata, options: Readonly<PageCssOptions> = {}): string {
  const fullBleed = options.fullBleed ? fullBleedCss(metadata) : ''
  if (metadata.layout === 'handout') return handoutPageCss(metadata) + fullBleed
  const margin = bleedMargins(metadata)
  // A course pack's readings have authors of their own: its versos name the pack, and a reading's versos its
  // authors (the layout pass's named pages, `running-heads.ts`).
  const verso = (metadata.layout === 'course-pack' ? '' : metadata.author.map((author) => author.name).join(', ')) || metadata.title
  const head = `font-size: 8.5pt; font-variant-caps: all-small-caps; letter-spacing: 0.08em; color: #333; vertical-align: bottom; padding-bottom: 5mm;`
  const folio = `font-size: 9pt; font-variant-numeric: oldstyle-nums; vertical-align: top; padding-top: 6mm;`
  return `
:root { --text-size: ${metadata.fontsize}; --page-area-height: ${textBlock(metadata).height}px; }
@page {
  size: ${sheetSize(metadata)};
  margin: ${margin.top} ${margin.outer} ${margin.bottom} ${margin.inner};
}
@page :left {
  margin-left: ${margin.outer};
  margin-right: ${margin.inner};
  @top-left { content: ${cssString(verso)}; ${head} }
  @bottom-left { content: counter(page); ${folio} }
}
@page :right {
  margin-left: ${margin.inner};
  margin-right: ${margin.outer};
  @top-right { content: ${cssString(metadata.title)}; ${head} }
  @bottom-right { content: counter(page); ${folio} }
}
@page :first {
  @top-left { content: none; }
  @top-right { content: none; }
}
${overflowGuard(metadata)}` + fullBleed
}

/**
 * A handout's pages: the same margins on every page (printed one-sided; an A5 handout's sides are equal, so its
 * booklet folds true), "Page n of N" centred at the foot so that a loose sheet says where it belongs, and the title
 * small at the head from the second page on.
 */
function handoutPageCss(metadata: Metadata): string {
  const margin = bleedMargins(metadata)
  const [before = '', between = '', after = ''] = termsFor(metadata.lang).pageOf.split(/\{n\}|\{N\}/)
  const counters = `${cssString(before)} counter(page) ${cssString(between)} counter(pages) ${cssString(after)}`
  return `
:root { --text-size: ${metadata.fontsize}; --page-area-height: ${textBlock(metadata).height}px; }
@page {
  size: ${sheetSize(metadata)};
  margin: ${margin.top} ${margin.outer} ${margin.bottom} ${margin.inner};
  @top-left { content: ${cssString(metadata.title)}; font-size: 8.5pt; font-style: italic; color: #444; vertical-align: bottom; padding-bottom: 4mm; }
  @bottom-center { content: ${counters}; font-size: 8.5pt; color: #444; vertical-align: top; padding-top: 5mm; }
}
@page :first {
  @top-left { content: none; }
}
${overflowGuard(metadata)}`
}

/**
 * What runs wider than the text block (a long formula, a wide table) shows in the margin and is cut at the paper's
 * edge, as in LaTeX's output. Without the cut, Chromium prints the whole document shrunk to fit its widest line:
 * smaller type on every page, and pages that end early, since the layout pass measured them at full size. The
 * self-check still reports the text outside the text area.
 */
function overflowGuard(metadata: Metadata): string {
  const { inner, outer } = metadata.margin
  // On each block, not on `main`: a full-bleed page runs past the text block by design, and a clip is inherited.
  return `main > :not(.chapter), main > .chapter > * { overflow-x: clip; overflow-clip-margin: min(${inner}, ${outer}); }
main > .chapter > :is(.full-bleed, :has(.full-bleed)) { overflow-x: visible; }
`
}
