// Running heads and chapter openings in a book: named pages (Chromium has no `string-set`), a chapter's title in
// its recto heads (and a course pack reading's authors in its verso heads), no head on an opening page, and a blank
// verso before a chapter that would open on one.
import { opensWithBreak } from './breaks.js'
import { breaksBeforeFullBleed, fullBleedBoxes } from './full-bleed.js'
import type { Layout } from './state.js'

const blankPageRule = '@page galley-blank { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }'

/** A book's chapters open on a recto: after an odd number of pages so far, a blank verso (no head, no folio). */
export function openOnRecto(layout: Layout, segment: HTMLElement): void {
  if (!(layout.params.book && segment.matches('section.chapter') && layout.pageBase % 2 === 1)) return
  const blank = document.createElement('div')
  blank.className = 'galley-blank-page'
  segment.before(blank)
  layout.pageBase += 1
  const { pageRules } = layout.found
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
    let opening = true
    for (const child of [...segment.children] as HTMLElement[]) {
      if (opensWithBreak(child)) opening = false // A pinned break, or one the manuscript put first in a block.
      // A full-bleed page keeps its own page (no head, no margins), and the chapter's next page is not its opening.
      if (child.matches(fullBleedBoxes) || breaksBeforeFullBleed(child)) {
        opening = false
        continue
      }
      child.style.setProperty('page', opening ? `${name}-open` : name)
      if (child.matches('.galley-page-notes')) opening = false
    }
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
