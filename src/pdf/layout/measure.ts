// Measuring in the page: which page (column) a box fell on and how far down, the box of one character, and the first
// line below a height.
import { isContainer } from './segments.js'
import type { Layout } from './state.js'

/** Space between the columns a segment is laid out in (one column = one page). */
export const GAP = 48

/** A character of a text node. */
export interface Position {
  node: Text
  offset: number
}

export interface Place {
  column: number
  top: number
  bottom: number
}

export function columnOf(layout: Layout, rect: DOMRect): number {
  const { frame, width } = layout
  return frame.pagesBefore + Math.max(0, Math.floor((rect.left - frame.left + GAP / 2) / (width + GAP)))
}

export function place(layout: Layout, rect: DOMRect): Place {
  return { column: columnOf(layout, rect), top: rect.top - layout.frame.top, bottom: rect.bottom - layout.frame.top }
}

export function lineHeightOf(element: Element): number {
  return parseFloat(getComputedStyle(element).lineHeight) || 16
}

/** An element's height with its vertical margins. */
export function heightOf(element: HTMLElement): number {
  const rect = element.getBoundingClientRect()
  const computed = getComputedStyle(element)
  return rect.height + parseFloat(computed.marginTop) + parseFloat(computed.marginBottom)
}

/** The box of one character; a character just after a line break can report an empty box at the end of the line before first. */
export function charRect(range: Range, node: Text, offset: number): DOMRect | undefined {
  range.setStart(node, offset)
  range.setEnd(node, offset + 1)
  const rects = range.getClientRects()
  for (let i = rects.length - 1; i >= 0; i--) {
    const rect = rects[i]
    if (rect && rect.width > 0) return rect
  }
  return rects.length > 0 ? rects[rects.length - 1] : undefined
}

/** The non-empty text nodes under `root`, in order. */
export function textNodes(root: Node): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  const nodes: Text[] = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.length > 0) nodes.push(node as Text)
  return nodes
}

/**
 * The first character at or after which everything is below `cut` on `page` (or on a later page), moved back to
 * the start of its line. Characters are in flow order, so (column, bottom) only grows: binary search.
 */
export function firstLineBelow(layout: Layout, root: Node, page: number, cut: number): Position | undefined {
  const { range } = layout
  // Character `index` of the root's text, found by binary search over where each text node starts (a list of
  // every character would cost a chapter's worth of objects on every call).
  const nodes = textNodes(root)
  const starts: number[] = []
  let length = 0
  for (const node of nodes) {
    starts.push(length)
    length += node.data.length
  }
  const at = (index: number): Position | undefined => {
    if (index < 0 || index >= length) return undefined
    let low = 0
    let high = nodes.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if ((starts[mid] as number) <= index) low = mid
      else high = mid - 1
    }
    return { node: nodes[low] as Text, offset: index - (starts[low] as number) }
  }
  // Spaces (and soft hyphens) report the whole line box, glyphs only their own height: judge by glyphs alone.
  const visible = (index: number): boolean => {
    const position = at(index)
    return position !== undefined && /[^\s\u00AD]/.test(position.node.data[position.offset] ?? '')
  }
  const below = (index: number): boolean => {
    const position = at(index)
    const rect = position ? charRect(range, position.node, position.offset) : undefined
    if (!rect || (rect.width === 0 && rect.height === 0) || !visible(index)) return false
    const fell = place(layout, rect)
    return fell.column > page || (fell.column === page && fell.bottom > cut)
  }
  let low = 0
  let high = length
  while (low < high) {
    const mid = (low + high) >> 1
    // Characters without a box (collapsed spaces) take the verdict of the next visible one.
    let probeIndex = mid
    while (probeIndex < length) {
      const position = at(probeIndex)
      const rect = position ? charRect(range, position.node, position.offset) : undefined
      if (rect && (rect.width > 0 || rect.height > 0) && visible(probeIndex)) break
      probeIndex += 1
    }
    if (probeIndex >= length || below(probeIndex)) high = mid
    else low = mid + 1
  }
  // The search lands on the first character of the verdict's run; step over collapsed white space to a visible one.
  while (low < length) {
    const position = at(low)
    const rect = position ? charRect(range, position.node, position.offset) : undefined
    if (rect && (rect.width > 0 || rect.height > 0) && visible(low) && position?.node.parentElement && !isContainer(layout, position.node.parentElement)) break
    low += 1
  }
  return at(low)
}

/** Counts columns from the segment's box, after the pages set aside before it. */
export function frameSegment(layout: Layout, segment: HTMLElement, pagesBefore: number): void {
  const rect = segment.getBoundingClientRect()
  layout.frame = { left: rect.left, top: rect.top, pagesBefore }
}

/** The elements matching `selector` in `blocks` (each block itself included), in document order. */
export function within(blocks: readonly Element[], selector: string): HTMLElement[] {
  return blocks.flatMap((block) => [...(block.matches(selector) ? [block] : []), ...block.querySelectorAll(selector)] as HTMLElement[])
}
