// Segments: runs of content between forced page breaks, each laid out as its own row of columns. In a book, the
// title block, the contents and each chapter; what lies between chapters is gathered in a `div.galley-back-matter`.
import type { Layout } from './state.js'
import type { PaginateParams } from './types.js'

export function segmentsOf(params: Readonly<PaginateParams>): HTMLElement[] {
  const main = document.getElementById('main')
  const segments: HTMLElement[] = []
  if (!params.book || !main) return [document.body]
  const header = document.getElementById('title-block-header')
  const toc = document.getElementById('TOC')
  if (header) segments.push(header)
  if (toc && !main.contains(toc)) segments.push(toc)
  let rest: HTMLElement | undefined
  for (const child of [...main.children] as HTMLElement[]) {
    // The chapters, and the contents where the text placed them (`\tableofcontents`), in the order of the text; and
    // back matter gathered by an earlier call (a page laying out part of a book finds its segments first).
    if (child.classList.contains('chapter') || child === toc || child.classList.contains('galley-back-matter')) {
      segments.push(child)
      rest = undefined
    } else if (!(params.notes === 'footnotes' && child.matches('section[data-footnotes]'))) {
      if (!rest) {
        rest = document.createElement('div')
        rest.className = 'galley-back-matter'
        child.before(rest)
        segments.push(rest)
      }
      rest.append(child)
    }
  }
  return segments
}

/** Heights of the blocks segments are made of, in one column (see `readHeights`). */
export type Heights = WeakMap<Element, number>

/**
 * The heights of the document's top-level blocks as it is laid out now, in one column, for the guard that bounds each
 * segment's pages (see `openWindow`). Read before the passes change the text, reading them costs no layout; read
 * after, it would lay the whole document out again, which the layout pass avoids (it lays a segment out only in its
 * window, see `paginate`).
 */
export function readHeights(): Heights {
  const heights: Heights = new WeakMap()
  const main = document.getElementById('main')
  for (const element of [document.body, ...document.body.children, ...(main?.children ?? [])]) heights.set(element, element.getBoundingClientRect().height)
  return heights
}

/** A segment's height in one column, from the heights of what it is made of (a gathered back matter, its children's). */
export function segmentHeight(heights: Heights, segment: Element): number {
  return heights.get(segment) ?? [...segment.children].reduce((sum, child) => sum + (heights.get(child) ?? 0), 0)
}

/**
 * Drops the page breaks the manuscript asked for (`\newpage`) that would make an empty page: with nothing after them
 * in their segment, or at a chapter's start (a chapter starts a page anyway). Call it before the pass puts in any
 * break of its own, so that every one found is the manuscript's.
 */
export function dropEmptyPageBreaks(segments: readonly HTMLElement[]): void {
  for (const segment of segments) {
    const markers = [...segment.querySelectorAll('.galley-page-break')]
    // From the end backwards, so that of several breaks in a row at the end, each is last once the next is gone.
    for (const marker of markers.toReversed()) if (atEdge(marker, segment, true)) marker.remove()
    if (segment !== document.body) for (const marker of markers) if (marker.isConnected && atEdge(marker, segment, false)) marker.remove()
  }
}

function atEdge(element: Element, segment: Element, end: boolean): boolean {
  for (let node: Element | null = element; node && node !== segment; node = node.parentElement) {
    if (end ? node.nextElementSibling : node.previousElementSibling) return false
  }
  return true
}

/** Elements whose children are blocks the pass may put a page break between (a bibliography's pieces too, see `window.ts`). */
export function isContainer(layout: Pick<Layout, 'segments'>, element: Element): boolean {
  return (
    element === document.body ||
    layout.segments.includes(element as HTMLElement) ||
    element.matches('main, section.chapter, div#refs, div.galley-back-matter, nav, header, .galley-window-piece')
  )
}

/** The top-level block (child of a container) holding a node. */
export function topBlockOf(layout: Pick<Layout, 'segments'>, node: Node): HTMLElement | undefined {
  let current: Node | null = node
  while (current && current.parentElement) {
    if (isContainer(layout, current.parentElement)) return current instanceof HTMLElement ? current : undefined
    current = current.parentElement
  }
  return undefined
}
