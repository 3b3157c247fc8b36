// The overflow report: boxes wider than the text block (long URLs, wide tables, big images), with their page.
import { columnOf, within } from './measure.js'
import type { Layout } from './state.js'

const boxes = 'p, li, pre, table, figure, img, blockquote, .csl-entry, h1, h2, h3, h4, h5, h6, .footnote'

/** Once the pages of a segment's `blocks` are final: the boxes in them whose content is wider than they are. */
export function reportOverflows(layout: Layout, blocks: readonly Element[]): void {
  for (const element of within(blocks, boxes)) {
    if (element.scrollWidth <= element.clientWidth + 1 || element.clientWidth === 0) continue
    const rect = element.getClientRects()[0]
    const text = (element.textContent ?? element.getAttribute('alt') ?? element.tagName).replaceAll('\u00AD', '').trim().slice(0, 40)
    if (rect) layout.found.overflows.push({ page: layout.pageBase + columnOf(layout, rect) + 1, text })
  }
}
