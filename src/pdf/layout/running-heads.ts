// Running heads and chapter openings in a book: named pages (Chromium has no `string-set`), a chapter's title in
// its recto heads (and a course pack reading's authors in its verso heads), no head on an opening page, and a blank
// verso before a chapter that would open on one.
import { opensWithBreak } from './breaks.js'
import { breaksBeforeFullBleed, fullBleedBoxes } from './full-bleed.js'
import { isContainer } from './segments.js'
import type { Layout } from './state.js'
import type { PaginateParams } from './types.js'

const blankPageRule = '@page galley-blank { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }'

/** A book's chapters open on a recto: after an odd number of pages so far, a blank verso (no head, no folio). */
export function openOnRecto(layout: Layout, segment: HTMLElement): void {
  if (!needsBlankVerso(layout.params, segment, layout.pageBase)) return
  putBlankVerso(segment, layout.found.pageRules)
  layout.pageBase += 1
}

/** Whether `segment`, after `pagesBefore` pages, would open a chapter of a book on a verso. */
export function needsBlankVerso(params: Readonly<PaginateParams>, segment: Element, pagesBefore: number): boolean {
  return params.book && segment.matches('section.chapter') && pagesBefore % 2 === 1
}

/** A blank verso before `segment`, and the page rule that keeps it blank (added to `pageRules` once). */
export function putBlankVerso(segment: Element, pageRules: string[]): void {
  const blank = document.createElement('div')
  blank.className = 'galley-blank-page'
  segment.before(blank)
  if (!pageRules.some((rule) => rule.startsWith('@page galley-blank '))) pageRules.push(blankPageRule)
}

/**
 * Names the pages of a laid-out segment of a book (the `index`th). A chapter's (or the back matter's) opening page
 * has a name of its own, with no running head, the rest the chapter's name. The names change exactly at the first
 * pinned page break, so they add none.
 */
export function namePages(layout: Layout, segment: HTMLElement, index: number): void {
  if (!layout.params.book) return
  const { pageRules } = layout.found
  const name = `galley-${index + 1}`
  // The heading that opens the chapter (`h2` for a chapter of a part); none for text before a book's first heading.
  const heading = segment.matches('section.chapter') ? segment.querySelector(':scope > :is(h1, h2):first-child') : null
  const title = heading?.textContent?.replaceAll('\u00AD', '') ?? ''
  const quoted = JSON.stringify(title)
  if (segment.matches('section.chapter, .galley-back-matter')) {
    nameBlocks(layout, segment, name, { opening: true })
    pageRules.push(`@page ${name}-open { @top-left { content: none; } @top-right { content: none; } }`)
    if (title) pageRules.push(`@page ${name}:right { @top-right { content: ${quoted}; } }`)
    // A course pack's reading (an anthology's piece) names its authors on its versos, as an edited volume does
    // (the Chicago Manual of Style's verso author, recto title for a multiauthor book): the pack's title there tells
    // the reader holding it nothing.
    const byline = heading?.matches('.reading-title') ? heading.getAttribute('data-byline') : null
    if (byline) pageRules.push(`@page ${name}:left { @top-left { content: ${JSON.stringify(byline)}; } }`)
  } else {
    segment.style.setProperty('page', `${name}-open`)
    pageRules.push(`@page ${name}-open { @top-left { content: none; } @top-right { content: none; } }`)
  }
}

/**
 * Names a segment's blocks: the opening page's, up to the first page break, and the others'. A block the pass breaks
 * pages inside (the bibliography, `div#refs`) is named block by block when the break is in it, so that only the
 * opening page of the back matter goes without a head, not all its pages.
 */
function nameBlocks(layout: Layout, parent: Element, name: string, state: { opening: boolean }): void {
  for (const child of [...parent.children] as HTMLElement[]) {
    if (opensWithBreak(child)) state.opening = false // A pinned break, or one the manuscript put first in a block.
    // A full-bleed page keeps its own page (no head, no margins), and the chapter's next page is not its opening.
    if (child.matches(fullBleedBoxes) || breaksBeforeFullBleed(child)) {
      state.opening = false
      continue
    }
    if (state.opening && isContainer(layout, child) && child.querySelector('.galley-page-break')) {
      nameBlocks(layout, child, name, state)
      continue
    }
    child.style.setProperty('page', state.opening ? `${name}-open` : name)
    if (child.matches('.galley-page-notes')) state.opening = false
  }
}
