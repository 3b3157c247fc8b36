// Page breaks: where a page ends, fixed with an empty forced break (`div.galley-page-break`), splitting a block
// between two lines when the page ends inside it.
import { charRect, firstLineBelow, lineHeightOf, place, textNodes, type Position } from './measure.js'
import { topBlockOf } from './segments.js'
import type { Layout } from './state.js'

/** Blocks never split: the page ends before them. */
const unsplittable = 'figure, table, pre, img, svg, h1, h2, h3, h4, h5, h6, hr, .galley-page-notes, tr'

/** Whether `element` is a page break, or starts with one (a fenced div's first block). */
export function opensWithBreak(element: Element | null): boolean {
  for (let node = element; node; node = node.firstElementChild) {
    if (node.matches('.galley-page-break')) return true
    if (node.firstChild !== node.firstElementChild && (node.firstChild?.textContent ?? '').trim() !== '') return false // Text first.
  }
  return false
}

/** Where to insert something: before `before` (at the end when null), in `parent`. */
export interface Point {
  before: Node | null
  parent: Node
}

/** An empty forced page break: the layout pass's way to fix where a page ends. */
export function pageBreakMarker(): HTMLElement {
  const marker = document.createElement('div')
  marker.className = 'galley-page-break'
  return marker
}

/**
 * Puts what the pass adds (a page break, a notes block) before `next`. A paragraph that followed a paragraph
 * keeps its first-line indent, which `p + p` alone would lose to the element now between them.
 */
export function insertBefore(added: HTMLElement, parent: Node, next: Node | null): void {
  if (next instanceof HTMLElement && next.matches('p') && next.previousElementSibling?.matches('p')) next.classList.add('galley-indent')
  parent.insertBefore(added, next)
}

/** Splits `block` at a text position: the rest goes into a shallow copy placed after it, which is returned. */
export function splitBlock(block: HTMLElement, at: Position): HTMLElement {
  const leaf = at.node.parentElement?.closest('p, li, div, blockquote, dd, dt') as HTMLElement | null
  if (at.offset > 0 && at.node.data[at.offset - 1] === '\u00AD') {
    at.node.replaceData(at.offset - 1, 1, '-') // The line ended at a soft hyphen: show it as Chromium drew it.
  }
  // Elements between the block and the text that the split cuts through (text of theirs comes before it):
  // their copies continue them (no indent, no list marker, no id); elements that start at the split stay whole.
  let partial = 0
  let wholeFrom: Node | undefined // The outermost element that starts exactly at the split: it moves whole.
  const before = document.createRange()
  for (let element = at.node.parentElement; element && element !== block; element = element.parentElement) {
    before.setStart(element, 0)
    before.setEnd(at.node, at.offset)
    if (before.toString().trim() !== '') partial += 1
    else if (partial === 0) wholeFrom = element
  }
  const cut = document.createRange()
  if (wholeFrom) cut.setStartBefore(wholeFrom)
  else cut.setStart(at.node, at.offset)
  cut.setEnd(block, block.childNodes.length)
  const cutIn = wholeFrom ? wholeFrom.parentElement : at.node.parentElement
  const rest = cut.extractContents()
  // The text node cut in two keeps its first part as a new node: edited in place, Chromium lays the paragraph out
  // again reusing the shaping of its old text, and in a justified paragraph that can set other line breaks than the
  // fresh layout printing makes (a book's page measured a line longer than it printed, the next page with one line).
  if (!wholeFrom && at.node.parentNode) at.node.replaceWith(document.createTextNode(at.node.data))
  if (cutIn && block.contains(cutIn)) dropTrailingBlankLines(cutIn)
  const copy = block.cloneNode(false) as HTMLElement
  copy.removeAttribute('id')
  copy.classList.add('galley-continued')
  copy.append(rest)
  const chain: HTMLElement[] = []
  for (let element = copy.firstElementChild as HTMLElement | null; element; element = element.firstElementChild as HTMLElement | null) {
    chain.push(element)
  }
  // The partly cut elements are the outermost of the chain (the innermost are the text's own inline parents).
  const blocksInChain = chain.filter((element) => getComputedStyle(element).display !== 'inline')
  for (const element of blocksInChain.slice(0, partial)) {
    element.removeAttribute('id')
    element.classList.add('galley-continued')
  }
  if (block.tagName === 'OL') {
    const start = Number(block.getAttribute('start') ?? '1')
    const whole = block.querySelectorAll(':scope > li').length
    copy.setAttribute('start', String(start + whole - (partial > 0 ? 1 : 0)))
  }
  if (leaf && block.contains(leaf) && partial > 0) leaf.classList.add('galley-split')
  if (block.tagName === 'P') block.classList.add('galley-split')
  block.after(copy)
  return copy
}

/**
 * In preformatted text (a code block), the blank lines that ended up just before a split: they fell below the page's
 * foot (a blank line has nothing to measure, so the split comes after it), and left there they would run over into a
 * page of their own. At a page break they show nothing anyway.
 */
function dropTrailingBlankLines(element: Element): void {
  const trailing: ChildNode[] = []
  for (let last = element.lastChild; last && isBlank(last); last = last.previousSibling) trailing.push(last)
  // One line feed alone ends the last line and makes none (a code line's span is an element).
  const makesLines = trailing.some((node) => node instanceof Element) || trailing.map((node) => node.textContent).join('').split('\n').length > 2
  if (makesLines && getComputedStyle(element).whiteSpace.startsWith('pre')) for (const node of trailing) node.remove()
}

function isBlank(node: Node): boolean {
  if (node instanceof Text) return node.data.trim() === ''
  return node instanceof Element && (node.textContent ?? '').trim() === '' && !node.querySelector('img, svg, video, canvas, object, iframe, math')
}

/** Whether nothing but white space comes before `position` in `block`: a page break there splits nothing off. */
function startsBlock(block: Element, position: Position): boolean {
  const before = document.createRange()
  before.setStart(block, 0)
  before.setEnd(position.node, position.offset)
  return before.toString().trim() === ''
}

/**
 * Fixes the break Chromium chose between `page` and the next: an empty forced break goes where the next page
 * starts, splitting the paragraph there if need be, so that printing cannot break anywhere else.
 */
export function pinBreak(layout: Layout, segment: HTMLElement, page: number): void {
  const position = firstLineBelow(layout, segment, page, layout.height + 1)
  if (!position) return
  let block = topBlockOf(layout, position.node)
  if (!block || !block.parentNode) return
  const marker = pageBreakMarker()
  if (startsBlock(block, position) || block.matches(unsplittable)) {
    const next = block
    // Blocks without text (an image, a rule) that already went over come along.
    let previous = block.previousElementSibling as HTMLElement | null
    const movable = (element: HTMLElement): boolean => !element.matches('.galley-page-break, .galley-page-notes, .galley-end')
    while (previous && movable(previous) && previous.getClientRects()[0] && place(layout, previous.getClientRects()[0] as DOMRect).column > page) {
      block = previous
      previous = block.previousElementSibling as HTMLElement | null
    }
    // A block that opens with the manuscript's break (a fenced div's `\newpage`) ends the page itself: a break
    // before it too would make an empty page.
    if (block === next && opensWithBreak(block)) return
    const before = block.previousElementSibling
    if (before && !movable(before as HTMLElement)) return // A break is already there.
    insertBefore(marker, block.parentNode as Node, block)
    return
  }
  const rest = splitBlock(block, position)
  dropBreakAtEnd(block)
  rest.before(marker)
}

/**
 * A page break of the manuscript's left at the very end of the first part of a split block (a `\newpage` inside a
 * fenced div, just before the line the page ends at): the break the pass puts after the part stands for it, and
 * both would make two breaks, an empty page that was not asked for. One only: of two in a row, the other still
 * leaves the empty page they ask for.
 */
function dropBreakAtEnd(block: Element): void {
  const last = [...block.querySelectorAll('.galley-page-break')].at(-1)
  if (!last) return
  for (let node: Element | null = last; node && node !== block; node = node.parentElement) {
    for (let next = node.nextSibling; next; next = next.nextSibling) if (!(next instanceof Text && next.data.trim() === '')) return
  }
  last.remove()
}

/** A heading stays with what follows it: the page ends before the headings that lead into `block`. */
function beforeKeptBlocks(block: HTMLElement): Point {
  let first: HTMLElement = block
  let previous = first.previousElementSibling as HTMLElement | null
  while (previous && previous.matches('h1, h2, h3, h4, h5, h6') && previous.previousElementSibling) {
    first = previous
    previous = first.previousElementSibling as HTMLElement | null
  }
  return { before: first, parent: first.parentNode ?? block }
}

/**
 * Where a page that ends before the first line lower than `cut` on `page` ends: splits the block there if need
 * be (keeping two lines on either side), and never above `keep`, the lowest line whose note is on this page.
 */
export function breakAt(layout: Layout, segment: HTMLElement, page: number, cut: number, keep = 0): Point | undefined {
  const { range } = layout
  const end = segment.querySelector(':scope > .galley-end') ?? segment.lastChild
  const position = firstLineBelow(layout, segment, page, cut)
  if (!position) return end ? { before: end, parent: segment } : undefined
  const block = topBlockOf(layout, position.node)
  if (!block || !block.parentNode) return undefined
  const blockRect = block.getClientRects()[0]
  const opens = blockRect && place(layout, blockRect).column === page && place(layout, blockRect).top >= cut - 1
  const firstOfBlock = textNodes(block)[0]
  const atStart = opens || startsBlock(block, position) || block.matches(unsplittable)
  if (atStart) return beforeKeptBlocks(block)
  // At least two lines of the paragraph stay on this page (orphans) and two go over (widows).
  const firstRect = firstOfBlock ? charRect(range, firstOfBlock, 0) : undefined
  const texts = textNodes(block)
  const lastText = texts.at(-1)
  const lastRect = lastText ? charRect(range, lastText, lastText.data.length - 1) : undefined
  let split = position
  let splitRect = charRect(range, split.node, split.offset)
  if (firstRect && splitRect) {
    const lineHeight = lineHeightOf(block)
    if (lastRect && place(layout, lastRect).column === place(layout, splitRect).column && Math.abs(place(layout, lastRect).top - place(layout, splitRect).top) < lineHeight / 2) {
      const earlier = firstLineBelow(layout, block, page, place(layout, splitRect).top - lineHeight / 2)
      const earlierRect = earlier ? charRect(range, earlier.node, earlier.offset) : undefined
      // Never at the cost of a note reference above the cut: its note is already on this page.
      if (earlier && earlierRect && place(layout, earlierRect).top >= keep) {
        split = earlier
        splitRect = charRect(range, split.node, split.offset)
      }
    }
    const linesBefore = splitRect ? Math.round((place(layout, splitRect).top - place(layout, firstRect).top) / lineHeight) : 0
    if (place(layout, firstRect).column === page && linesBefore < 2 && place(layout, firstRect).top >= keep) return beforeKeptBlocks(block)
  }
  const rest = splitBlock(block, split)
  dropBreakAtEnd(block)
  return { before: rest, parent: rest.parentNode ?? block.parentNode }
}
