// The layout pass that runs inside the page before printing: footnotes at the foot of their page, TOC page numbers,
// chapter running heads. Chromium lays the text out in columns the size of the text block (one column = one page),
// the pass reads where things fell and reshapes the document so that printing gives the same pages.
import { breakAt, insertBefore, pageBreakMarker, pinBreak } from './breaks.js'
import { charRect, columnOf, firstLineBelow, frameSegment, GAP, within } from './measure.js'
import { fullBleedMeasuringCss, finishFullBleedBoxes } from './full-bleed.js'
import { markPageStarts, readPageStarts } from './page-starts.js'
import { noteProbe, notesOfPage, placeNotes, recordNotePages, separatorHeight, sizeNoteAreas, takeNotes } from './notes.js'
import { reportOverflows } from './overflow.js'
import { namePages, openOnRecto } from './running-heads.js'
import { dropEmptyPageBreaks, readHeights, segmentsOf, type Heights } from './segments.js'
import { createLayout, type Layout, type SegmentState } from './state.js'
import { listTargets, recordPages, writeTocNumbers } from './toc-numbers.js'
import type { PaginateParams, PaginateResult } from './types.js'
import { closeWindow, fillWindow, lastPage, openWindow, outOfWindow, setAsideBefore, windowBlocks } from './window.js'

/**
 * Lays the document out in pages. It is modified in place; the figures returned describe the pages as they will print.
 * `heights`: the document's, read before the line pass changed its text (see `readHeights`).
 */
export function paginate(params: PaginateParams, heights: Heights = readHeights()): PaginateResult {
  const style = document.createElement('style')
  style.textContent = measuringCss(params.width, params.height)
  document.head.append(style)
  document.body.classList.add('galley-measuring')

  const segments = segmentsOf(params)
  // Each segment is laid out in its turn, in its window only: until then it is out of the layout, so that no measuring
  // lays out the whole document (again, after the line pass changed its text). An article's one segment is the body.
  for (const segment of segments) if (segment !== document.body) segment.classList.add(outOfWindow)
  const noteItems = takeNotes(params)
  if (params.book) listsStartPages()
  dropEmptyPageBreaks(segments)
  const { area: probeArea, probe } = noteProbe()
  const layout = createLayout(params, { segments, probe, separator: separatorHeight(probe), noteItems, heights })
  const targets = params.part?.targets ?? listTargets()
  const first = params.part?.from ?? 0
  segments.forEach((segment, index) => layOutSegment(layout, segment, first + index, targets))
  for (const segment of segments) segment.classList.remove(outOfWindow)
  // A part's numbers are written when the parts are joined, with the other part's pages.
  if (!params.part) writeTocNumbers(layout.found)

  probeArea.remove()
  document.body.classList.remove('galley-measuring')
  style.remove()
  const { headings, notes, pageRules, areas, overflows, stalls, startMarks } = layout.found
  const pageList = params.pageList ? { pageList: readPageStarts(startMarks) } : {}
  return { pages: layout.pageBase, headings, notes, css: pageRules.join('\n'), areas, overflows, stalls, targetPages: Object.fromEntries(layout.found.targetPages), ...pageList }
}

/**
 * In a book, a list of figures, tables or listings starts a page, as LaTeX's `\listoffigures` (a chapter of its own)
 * starts one: where the text asks for it, or after the contents. One that a page starts anyway loses its break with
 * the other breaks that would make an empty page.
 */
function listsStartPages(): void {
  for (const list of document.querySelectorAll('section.crossref-list')) {
    if (!list.previousElementSibling?.matches('.galley-page-break')) list.before(pageBreakMarker())
  }
}

/** Empty pages in a row (not asked for by the manuscript) after which the pass is taken to be stuck. */
const STALLED = 3

/** Boxes a reader sees on a page without text. */
const pictures = 'img, svg, video, canvas, object, iframe, math, hr, table'

/**
 * Whether a page of the window (not set aside yet) has nothing on it: no character, no picture, and is not one the
 * manuscript asked for (`asked`: its own page breaks, which may follow each other to leave pages blank).
 */
function isEmpty(layout: Layout, state: SegmentState, page: number, asked: ReadonlySet<Element>): boolean {
  const first = firstLineBelow(layout, state.segment, page, -1)
  const rect = first ? charRect(layout.range, first.node, first.offset) : undefined
  if (rect && columnOf(layout, rect) === page) return false
  const onPage = (element: Element): boolean => [...element.getClientRects()].some((box) => box.width > 0 && columnOf(layout, box) === page)
  if (within(windowBlocks(state), pictures).some(onPage)) return false
  return ![...asked].some((marker) => state.segment.contains(marker) && columnOf(layout, marker.getBoundingClientRect()) === page)
}

/** The text from the first character on `page` or after, to find the place in the source. */
function textFrom(layout: Layout, state: SegmentState, page: number): string {
  const first = firstLineBelow(layout, state.segment, page, -1)
  return (first ? first.node.data.slice(first.offset) : '').replaceAll('\u00AD', '').replace(/\s+/g, ' ').trim().slice(0, 40)
}

/** The styles the pass measures with: a segment in columns the size of the text block, forced breaks, the notes probe. */
export function measuringCss(W: number, H: number): string {
  return `
    .galley-measure { column-width: ${W}px; column-gap: ${GAP}px; column-fill: auto; height: ${H}px; width: ${W}px;
      max-width: none; margin: 0 !important; padding: 0 !important; overflow: visible; orphans: 2; widows: 2; }
    body.galley-measuring { width: ${W}px; max-width: none; margin: 0; padding: 0; }
    .galley-measure .galley-page-break { break-before: column; }
    .galley-measure .galley-page-notes { break-after: column; }
    .${outOfWindow} { display: none !important; }
    .galley-note-probe { position: absolute; left: -100000px; top: 0; width: ${W}px; }
    ${fullBleedMeasuringCss(W, H)}`
}

/** One segment, page by page: its notes placed and every page break pinned; then what fell where. */
function layOutSegment(layout: Layout, segment: HTMLElement, index: number, targets: readonly string[]): void {
  const { params, height: H } = layout
  openOnRecto(layout, segment)
  const asked = new Set(segment.querySelectorAll('.galley-page-break')) // The manuscript's: the pass has put in none yet.
  const state = openWindow(layout, segment)
  // What fell where is read from blocks as their pages become final, while they are in the window: laying the whole
  // segment out in columns again at the end would cost a fifth of the pass.
  const final = (blocks: readonly Element[]): void => {
    recordPages(layout, blocks, targets)
    recordNotePages(layout, blocks)
    reportOverflows(layout, blocks)
    finishFullBleedBoxes(layout, blocks)
    if (params.pageList) markPageStarts(layout, segment, blocks)
    sizeNoteAreas(state, blocks)
  }
  let page = 0
  let emptyPages = 0 // Pages just made final with nothing on them, one after another.
  let last = 0 // The window's last page, as read for the loop's test.
  for (; (page <= (last = lastPage(layout, state)) || state.carry || state.heldBack.firstChild) && page < state.limit; page++) {
    if (params.progress) console.debug(`galley-page ${layout.pageBase + page + 1}`)
    frameSegment(layout, segment, state.pagesBefore)
    if (page > 0) {
      emptyPages = isEmpty(layout, state, page - 1, asked) ? emptyPages + 1 : 0
      if (emptyPages >= STALLED) break
      setAsideBefore(layout, state, page, final)
    }
    fillWindow(layout, state, page, last)
    frameSegment(layout, segment, state.pagesBefore)
    const foot = notesOfPage(layout, state, page)
    if (foot.accepted.length === 0) {
      // No note fits under its reference here: the page ends above the reference's line.
      const point = foot.cut < H ? breakAt(layout, segment, page, foot.cut) : undefined
      if (point) insertBefore(pageBreakMarker(), point.parent, point.before)
      else pinBreak(layout, segment, page)
      continue
    }
    placeNotes(layout, state, page, foot)
  }

  // A pass that no longer makes progress would go on making empty pages up to its limit: it stops, and printing
  // breaks the rest of the segment's pages itself (without notes at their feet), which the build reports.
  if (emptyPages >= STALLED || page >= state.limit) {
    layout.found.stalls.push({ page: layout.pageBase + page - emptyPages + 1, text: textFrom(layout, state, page) })
  }
  // The last pages are final too.
  const count = lastPage(layout, state) + 1
  final(windowBlocks(state))
  closeWindow(state)
  namePages(layout, segment, index)
  state.endMarker.remove()
  // Out of the layout until the pass is done: laying a finished chapter out again in one column is work that
  // printing does anyway.
  segment.classList.replace('galley-measure', outOfWindow)
  layout.pageBase += count
}
