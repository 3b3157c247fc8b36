// The state the layout pass hands from module to module, instead of variables shared by closures.
import type { StartMark } from './page-starts.js'
import type { Heights } from './segments.js'
import type { PaginateParams, PaginateResult } from './types.js'

/**
 * Where columns are counted from: the top left of the box being measured, and the pages of its segment before the
 * box's first column (pages set aside, see `window.ts`). It follows the pass from a segment to the notes probe and back.
 */
export interface Frame {
  left: number
  top: number
  pagesBefore: number
}

/** What the whole pass shares: the page size, the segments, the notes, the measuring frame, and what it reports. */
export interface Layout {
  readonly params: Readonly<PaginateParams>
  /** The text block: the width and height of one page's column. */
  readonly width: number
  readonly height: number
  /** Runs of content between forced page breaks, each laid out as its own row of columns (see `segments.ts`). */
  readonly segments: readonly HTMLElement[]
  frame: Frame
  /** One range for every character measured. */
  readonly range: Range
  /** An off-page notes block (`div.galley-notes-inner`) where a note is measured as it will sit. */
  readonly probe: HTMLElement
  /** Height the rule and gap above the notes take. */
  readonly separator: number
  /** The one-column heights of what segments are made of, as the document was before the passes. */
  readonly heights: Heights
  /** The notes by id, taken out of the endnote list (footnote mode). */
  readonly noteItems: ReadonlyMap<string, HTMLElement>
  /** Pages of the segments already laid out. */
  pageBase: number
  /** What the pass reports, filled in as it goes. */
  readonly found: Found
}

export interface Found {
  headings: PaginateResult['headings']
  notes: PaginateResult['notes']
  areas: PaginateResult['areas']
  overflows: PaginateResult['overflows']
  stalls: PaginateResult['stalls']
  /** Where each page's text starts (with `pageList`), and the last page that has a mark. */
  startMarks: StartMark[]
  lastStartPage: number
  /** `@page` rules for the named pages (see `running-heads.ts`). */
  pageRules: string[]
  /** Pages of the figures and tables the lists of figures and tables point at. */
  targetPages: Map<string, number>
}

/** One segment as its pages are laid out: the window onto it (see `window.ts`) and the notes still to place. */
export interface SegmentState {
  readonly segment: HTMLElement
  /** Ends the segment's content (so that its last page is known even when the last block is a page break). */
  readonly endMarker: HTMLElement
  /** Out of the layout: children before the window (their pages are final) and after it (more than a page ahead). */
  readonly setAside: HTMLElement
  readonly heldBack: HTMLElement
  /** Pages set aside before the window. */
  pagesBefore: number
  /** The segment's note references in order, and the first whose note is not placed yet. */
  readonly references: readonly HTMLElement[]
  nextReference: number
  /** The part of a note that runs on to the next page's foot. */
  carry: HTMLElement | undefined
  /** Notes blocks placed, and the height each takes once its page is final (see `sizeNoteAreas`). */
  readonly unsized: Map<HTMLElement, number>
}

/** A layout with nothing found yet, framed at the top left of the viewport. */
export function createLayout(params: Readonly<PaginateParams>, parts: Pick<Layout, 'segments' | 'probe' | 'separator' | 'noteItems' | 'heights'>): Layout {
  return {
    params,
    width: params.width,
    height: params.height,
    ...parts,
    frame: { left: 0, top: 0, pagesBefore: 0 },
    range: document.createRange(),
    pageBase: 0,
    found: { headings: [], notes: [], areas: [], overflows: [], stalls: [], startMarks: [], lastStartPage: 0, pageRules: [], targetPages: new Map() },
  }
}
