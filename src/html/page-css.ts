// The @page rules for one document: paper size, duplex margins, folios and running heads from its metadata.
import type { Metadata, PaperSize } from '../config/schema.js'
import { termsFor } from '../config/translations.js'

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

/**
 * Verso pages carry the author(s), recto pages the title, in letter-spaced small caps; folios sit at the outer
 * corner of the foot; the first page has neither head (it opens the document).
 */
export function pageCss(metadata: Metadata): string {
  if (metadata.layout === 'handout') return handoutPageCss(metadata)
  const { margin } = metadata
  // A course pack's readings have authors of their own: its versos name the pack.
  const verso = (metadata.layout === 'course-pack' ? '' : metadata.author.map((author) => author.name).join(', ')) || metadata.title
  const head = `font-size: 8.5pt; font-variant-caps: all-small-caps; letter-spacing: 0.08em; color: #333; vertical-align: bottom; padding-bottom: 5mm;`
  const folio = `font-size: 9pt; font-variant-numeric: oldstyle-nums; vertical-align: top; padding-top: 6mm;`
  return `
:root { --text-size: ${metadata.fontsize}; }
@page {
  size: ${pageSize(metadata.papersize)};
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
`
}

/**
 * A handout's pages: the same margins on every page (printed one-sided; an A5 handout's sides are equal, so its
 * booklet folds true), "Page n of N" centred at the foot so that a loose sheet says where it belongs, and the title
 * small at the head from the second page on.
 */
function handoutPageCss(metadata: Metadata): string {
  const { margin } = metadata
  const [before = '', between = '', after = ''] = termsFor(metadata.lang).pageOf.split(/\{n\}|\{N\}/)
  const counters = `${cssString(before)} counter(page) ${cssString(between)} counter(pages) ${cssString(after)}`
  return `
:root { --text-size: ${metadata.fontsize}; }
@page {
  size: ${pageSize(metadata.papersize)};
  margin: ${margin.top} ${margin.outer} ${margin.bottom} ${margin.inner};
  @top-left { content: ${cssString(metadata.title)}; font-size: 8.5pt; font-style: italic; color: #444; vertical-align: bottom; padding-bottom: 4mm; }
  @bottom-center { content: ${counters}; font-size: 8.5pt; color: #444; vertical-align: top; padding-top: 5mm; }
}
@page :first {
  @top-left { content: none; }
}
`
}
