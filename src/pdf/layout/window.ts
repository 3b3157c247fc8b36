// The layout window. Chromium lays a whole segment out again after every change the pass makes, so a chapter would
// cost the square of its pages. Only a window of it is laid out: pages already final are set aside, and what is more
// than a page ahead is held back; both are out of the layout (`display: none`) and come back at the end.
import { opensWithBreak } from './breaks.js'
import { columnOf, frameSegment } from './measure.js'
import { segmentHeight } from './segments.js'
import type { Layout, SegmentState } from './state.js'

/**
 * A segment out of its window, so out of the layout: before its turn (laid out in its window only, not again in one
 * column after the line pass changed its text) and after it (laid out again in one column by printing anyway).
 */
export const outOfWindow = 'galley-out-of-window'

/** Blocks in the window when a segment opens. */
const WINDOW_START = 40

/**
 * A container whose pages break between its own blocks, a bibliography: in the window, a block like any other, so
 * all its pages would be laid out again at every page. The window splits it into pieces of a few entries (copies of
 * it without the id), which it takes in and sets aside like blocks, and joins it again when the segment is done.
 */
const pieced = 'div#refs'
const windowPiece = 'galley-window-piece'
/** Entries in a piece: two thirds of a page of a bibliography. */
const PIECE = 8

/** Starts laying out a segment in columns, with all but its first blocks held back. */
export function openWindow(layout: Layout, segment: HTMLElement): SegmentState & { limit: number } {
  // A guard against a loop, from the segment's height in one column: notes can add pages, not multiply them, and a
  // block can waste at most the rest of a page. (Counting the pages of the whole segment laid out in columns would
  // cost that layout, a tenth of the pass.)
  const blocks = segment.children.length + segment.querySelectorAll('.galley-page-break').length
  const limit = (Math.ceil(segmentHeight(layout.heights, segment) / layout.height) + blocks + 1) * 4 + 20
  segment.classList.add('galley-measure')
  const endMarker = document.createElement('div')
  endMarker.className = 'galley-end'
  segment.append(endMarker)
  const setAside = document.createElement('div')
  const heldBack = document.createElement('div')
  for (const outside of [setAside, heldBack]) {
    outside.style.display = 'none'
    document.documentElement.append(outside)
  }
  const references = layout.params.notes === 'footnotes' ? ([...segment.querySelectorAll('a[data-footnote-ref]')] as HTMLElement[]) : []
  const state: SegmentState = { segment, endMarker, setAside, heldBack, pagesBefore: 0, references, nextReference: 0, carry: undefined, unsized: new Map() }
  for (const container of segment.querySelectorAll(`:scope > ${pieced}`)) splitIntoPieces(container)
  while (segment.children.length > WINDOW_START + 1) heldBack.prepend(endMarker.previousSibling as ChildNode)
  // Laid out from now on, the window only.
  segment.classList.remove(outOfWindow)
  return Object.assign(state, { limit })
}

/** The page the window's last content is on (a zero-height marker can spill into an empty next column). */
export function lastPage(layout: Layout, state: SegmentState): number {
  frameSegment(layout, state.segment, state.pagesBefore)
  let last = state.endMarker.previousElementSibling
  while (last && last.matches('.galley-page-break') && last.previousElementSibling) last = last.previousElementSibling
  const rects = last ? last.getClientRects() : undefined
  const rect = rects && rects.length > 0 ? rects[rects.length - 1] : state.endMarker.getBoundingClientRect()
  return columnOf(layout, rect as DOMRect)
}

/**
 * Sets aside the segment's children up to the last forced break at or before the start of `page`: a pinned
 * break, or a notes block (which ends its page). What follows then starts the layout as it started that page.
 * `final` is shown them first, while they are still laid out: their pages will not change.
 *
 * Never between two page breaks in a row (`\newpage` twice, which asks for an empty page): Chromium ignores a forced
 * break at the very start of a row of columns, so the second, left first, would lose its page, which printing keeps.
 */
export function setAsideBefore(layout: Layout, state: SegmentState, page: number, final: (blocks: readonly Element[]) => void): void {
  const { segment, endMarker, setAside } = state
  liftBreaks(segment)
  let boundary: Element | undefined
  let startsAt = state.pagesBefore
  for (let child = segment.firstElementChild; child && child !== endMarker; child = child.nextElementSibling) {
    const column = columnOf(layout, child.getBoundingClientRect())
    if (child.matches('.galley-page-break') && column <= page) {
      if (opensWithBreak(child.nextElementSibling)) continue
      boundary = child
      startsAt = column
    } else if (child.matches('.galley-page-notes') && (child as HTMLElement).style.breakAfter !== 'auto' && column < page) {
      boundary = child
      startsAt = column + 1
    } else if (column >= page) {
      break
    }
  }
  if (!boundary) return
  const blocks: Element[] = []
  for (let child = segment.firstElementChild; child && child !== boundary; child = child.nextElementSibling) blocks.push(child)
  final([...blocks, boundary])
  while (segment.firstChild && segment.firstChild !== boundary) setAside.append(segment.firstChild)
  setAside.append(boundary)
  state.pagesBefore = startsAt
  // Not framed here: the next reader frames the segment as it reads, and reading now would lay the window out only
  // for `fillWindow` to change it again.
}

/**
 * Brings held-back content in until it reaches the page after `page`: the block crossing into it is then whole.
 * `last`: the window's last page if known, read before pages were set aside (which moves no page, since what follows
 * a forced break starts its page as it did), so that the window is laid out once, after both changes.
 */
export function fillWindow(layout: Layout, state: SegmentState, page: number, last = lastPage(layout, state)): void {
  const { heldBack, endMarker } = state
  let reached = last
  while (heldBack.firstChild && reached < page + 1) {
    for (let count = 0; count < 12 && heldBack.firstChild; count++) endMarker.before(heldBack.firstChild)
    reached = lastPage(layout, state)
  }
}

/** The blocks in the window now (after the last page: the segment's last pages). */
export function windowBlocks(state: SegmentState): Element[] {
  return [...state.segment.children].filter((child) => child !== state.endMarker)
}

/** Puts everything back in the segment, which then counts its columns from its start. */
export function closeWindow(state: SegmentState): void {
  const { segment, endMarker, setAside, heldBack } = state
  segment.prepend(...setAside.childNodes)
  endMarker.before(...heldBack.childNodes)
  setAside.remove()
  heldBack.remove()
  for (const container of segment.querySelectorAll(`:scope > ${pieced}`)) joinPieces(container)
  state.pagesBefore = 0
}

/**
 * Splits a container into pieces of `PIECE` blocks: it keeps the first, and copies of it (a `windowPiece`, without the
 * id) follow with the rest. With no margin, padding or border above or below, a piece's edges move nothing: the
 * blocks' margins meet across them as between siblings. A container with them stays whole.
 */
function splitIntoPieces(container: Element): void {
  const style = getComputedStyle(container)
  const edges = [style.marginTop, style.marginBottom, style.paddingTop, style.paddingBottom, style.borderTopWidth, style.borderBottomWidth]
  if (edges.some((edge) => parseFloat(edge) !== 0)) return
  const blocks = [...container.children]
  let last = container
  for (let from = PIECE; from < blocks.length; from += PIECE) {
    const piece = emptyPiece(container)
    piece.append(...blocks.slice(from, from + PIECE))
    last.after(piece)
    last = piece
  }
}

function emptyPiece(container: Element): Element {
  const piece = container.cloneNode(false) as Element
  piece.removeAttribute('id')
  piece.classList.add(windowPiece)
  return piece
}

/**
 * The page breaks the pass pinned inside a container's pieces, each moved out between two pieces (the piece cut in
 * two there), where `setAsideBefore` finds it: an empty forced break ends its page the same inside or between them.
 */
function liftBreaks(segment: HTMLElement): void {
  for (const marker of segment.querySelectorAll(`:scope > :is(${pieced}, .${windowPiece}) > .galley-page-break`)) {
    const piece = marker.parentElement as Element
    const rest = emptyPiece(piece)
    while (marker.nextSibling) rest.append(marker.nextSibling)
    piece.after(marker, ...(rest.firstChild ? [rest] : []))
    if (!piece.firstChild && piece.matches(`.${windowPiece}`)) piece.remove()
  }
}

/** Joins a container's pieces, and the breaks between them, into it again. */
function joinPieces(container: Element): void {
  for (let next = container.nextElementSibling; next; next = container.nextElementSibling) {
    const after = next.nextElementSibling
    if (next.matches('.galley-page-break') && after?.matches(`.${windowPiece}`)) {
      container.append(next, ...after.childNodes)
      after.remove()
    } else if (next.matches(`.${windowPiece}`)) {
      container.append(...next.childNodes)
      next.remove()
    } else {
      break
    }
  }
}
