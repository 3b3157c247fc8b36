// The overflow report: boxes wider than the text block (long URLs, wide tables, big images), with their page.
import { columnOf, within } from './measure.js'
import type { Layout } from './state.js'

const boxes = 'p, li, pre, table, figure, img, blockquote, .csl-entry, h1, h2, h3, h4, h5, h6, .footnote'

/**
 * Once the pages of a segment's `blocks` are final: the boxes in them whose content is wider than they are, or that
 * are wider than the text block themselves (a table too wide runs into the margin, where print cuts it).
 */
export function reportOverflows(layout: Layout, blocks: readonly Element[]): void {
  const reported: Element[] = []
  for (const element of within(blocks, boxes)) {
    // A full-bleed plate is as wide as the sheet by design; what is inside a box reported already is that box's.
    if (element.closest('.full-bleed, :has(> .full-bleed)') || reported.some((box) => box.contains(element))) continue
    const rect = element.getClientRects()[0]
    const tooWide = rect !== undefined && rect.width > layout.width + 1
    if (!tooWide && (element.scrollWidth <= element.clientWidth + 1 || element.clientWidth === 0)) continue
    reported.push(element)
    const text = (element.textContent ?? element.getAttribute('alt') ?? element.tagName).replaceAll('\u00AD', '').trim().slice(0, 40)
    if (rect) layout.found.overflows.push({ page: layout.pageBase + columnOf(layout, rect) + 1, text })
  }
}
