// Full-bleed pages in the layout pass: each `.full-bleed` image or block is measured as one whole page, and told
// which side of the spread it prints on (its text and caption keep the text block's place there).
import { charRect, columnOf, textNodes, within } from './measure.js'
import type { Layout } from './state.js'

/**
 * The boxes that take a page of their own, to the bleed edge: a figure of a `.full-bleed` image, a paragraph holding
 * only one (an image without a caption), and a `.full-bleed` div. The print styles (`html/page-css.ts`) use it too.
 */
export const fullBleedBoxes = 'figure:has(> img.full-bleed), p:has(> img.full-bleed:only-child), div.full-bleed'

/** The same boxes as the next sibling, for `:has()` (which cannot hold another `:has()`). */
export const fullBleedAfter = '+ figure > img.full-bleed, + p > img.full-bleed:only-child, + div.full-bleed'

/**
 * Measured as one page: exactly one column, the text block's size, kept whole, with a break after it. No forced
 * break before it: a box that does not fit goes to the next column on its own, and the pass pins that break with
 * a marker as it pins any other, which then carries the box's page name (`fullBleedCss`), so that printing breaks
 * there once (a forced break and a change of page name at two places would print an empty page between them).
 */
export function fullBleedMeasuringCss(width: number, height: number): string {
  return `.galley-measure :is(${fullBleedBoxes}) { break-before: auto !important; break-after: column; break-inside: avoid;
      width: ${width}px !important; height: ${height}px !important; margin: 0 !important; padding: 0 !important; }`
}

/** The page break the pass pinned just before a full-bleed box: it takes the box's page name (see above). */
export function breaksBeforeFullBleed(element: Element): boolean {
  return element.matches('.galley-page-break') && element.nextElementSibling?.matches(fullBleedBoxes) === true
}

/**
 * Once the pages of a segment's `blocks` are final: each full-bleed box learns its side (page 1 is a recto), and a
 * block whose text does not fit its page (the rest would be cut off) is reported as text outside the text area.
 */
export function finishFullBleedBoxes(layout: Layout, blocks: readonly Element[]): void {
  for (const box of within(blocks, fullBleedBoxes)) {
    const rect = box.getClientRects()[0]
    if (!rect) continue
    const page = layout.pageBase + columnOf(layout, rect) + 1
    box.dataset['galleySide'] = page % 2 === 0 ? 'verso' : 'recto'
    // By where its last character fell, as the pass places lines (a box's `scrollHeight` counts margins and rules).
    const last = box.matches('div') ? textNodes(box).at(-1) : undefined
    const end = last ? charRect(layout.range, last, last.data.length - 1) : undefined
    if (end && (end.bottom > rect.bottom + 1 || columnOf(layout, end) !== columnOf(layout, rect))) {
      layout.found.overflows.push({ page, text: (box.textContent ?? '').replaceAll('\u00AD', '').trim().slice(0, 40) })
    }
  }
}
