// The lines of a paragraph as Chromium set them, read from the boxes of its text.
import type { Position } from './measure.js'

export interface Line {
  top: number
  bottom: number
  /** Where its text ends, and the box that ends there (at a soft hyphen, the hyphen's own box). */
  right: number
  last: DOMRect
  boxes: number
}

/** The box of one character: the last of its boxes (one just after a break can also report the line before). */
export function lastCharRect(range: Range, node: Text, offset: number): DOMRect | undefined {
  range.setStart(node, offset)
  range.setEnd(node, offset + 1)
  const rects = range.getClientRects()
  return rects.length > 0 ? rects[rects.length - 1] : undefined
}

/**
 * The lines of a paragraph from the boxes of its text and inline elements (an element's boxes come after its
 * text's, so a box can belong to a line before the last): a box joins the line its middle is in, or starts one.
 */
export function linesOf(range: Range, element: HTMLElement): Line[] {
  range.selectNodeContents(element)
  const lines: Line[] = []
  for (const rect of range.getClientRects()) {
    if (rect.width === 0 && rect.height === 0) continue
    const middle = (rect.top + rect.bottom) / 2
    const line = lines.findLast((candidate) => middle >= candidate.top && middle <= candidate.bottom)
    if (!line) {
      lines.push({ top: rect.top, bottom: rect.bottom, right: rect.right, last: rect, boxes: 1 })
      continue
    }
    line.top = Math.min(line.top, rect.top)
    line.bottom = Math.max(line.bottom, rect.bottom)
    line.boxes += 1
    // The line's last box is the one that reaches furthest (the narrower of two that end together: a hyphen's own).
    if (rect.right > line.right + 0.01 || (rect.right > line.right - 0.01 && rect.width < line.last.width)) {
      line.right = Math.max(line.right, rect.right)
      line.last = rect
    }
  }
  return lines
}

/** The line a box is on. */
export function lineIndex(lines: readonly Line[], rect: DOMRect): number {
  const middle = (rect.top + rect.bottom) / 2
  for (let index = 0; index < lines.length; index++) if (middle <= (lines[index] as Line).bottom) return index
  return lines.length - 1
}

/** Where the soft hyphens of an element's text are, in order. */
export function softHyphensOf(element: HTMLElement): Position[] {
  const found: Position[] = []
  const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  for (let node = texts.nextNode() as Text | null; node; node = texts.nextNode() as Text | null) {
    for (let at = node.data.indexOf('\u00AD'); at !== -1; at = node.data.indexOf('\u00AD', at + 1)) found.push({ node, offset: at })
  }
  return found
}

/** Lines ending at a hard hyphen (`well-` `known`): not ours to change, but they count in a run. */
export function hardHyphenLines(range: Range, element: HTMLElement, lines: readonly Line[]): Set<number> {
  const ends = new Set<number>()
  if (!/\p{L}-\p{L}/u.test(element.textContent ?? '')) return ends
  const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  for (let node = texts.nextNode() as Text | null; node; node = texts.nextNode() as Text | null) {
    for (const match of node.data.matchAll(/(?<=\p{L}\u00AD?)-(?=\p{L})/gu)) {
      const at = match.index
      const hyphen = lastCharRect(range, node, at)
      if (hyphen && breaksAfter(range, node, at, hyphen)) ends.add(lineIndex(lines, hyphen))
    }
  }
  return ends
}

/** Lines that may end at a soft hyphen (the line's last box is small, as the hyphen's own is), or end at a hard one. */
export function maybeHyphenated(lines: readonly Line[], hard: ReadonlySet<number>, em: number): boolean[] {
  return lines.map((line, index) => {
    if (index === lines.length - 1) return false
    if (hard.has(index)) return true
    return line.boxes > 1 && line.last.width > 0 && line.last.width < 0.6 * em && line.last.right >= line.right - 0.5
  })
}

/**
 * Whether a line ends after the character at `offset` (whose box is `box`): the next character, in the text nodes
 * that follow within `block`, is on a line below.
 */
export function breaksAfter(range: Range, node: Text, offset: number, box: DOMRect, block: Element | null = node.parentElement): boolean {
  const next = nextCharacter(node, offset, block)
  const rect = next ? lastCharRect(range, next.node, next.offset) : undefined
  return rect !== undefined && rect.top >= box.bottom - 1
}

/** The character after one, in the text nodes that follow inside `block` (none past its end). */
function nextCharacter(node: Text, offset: number, block: Element | null): Position | undefined {
  if (offset + 1 < node.data.length) return { node, offset: offset + 1 }
  if (!block) return undefined
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
  walker.currentNode = node
  for (let next = walker.nextNode() as Text | null; next; next = walker.nextNode() as Text | null) if (next.data.length > 0) return { node: next, offset: 0 }
  return undefined
}
