// Where each printed page starts, for the EPUB's print page markers: the first characters of every page's text (not
// its page-foot notes), read by the layout pass as pages become final, and the text around them read at its end.
import { columnOf } from './measure.js'
import type { Layout } from './state.js'
import type { PageStart } from './types.js'

/** A page's first visible character, kept until the pass ends (the text after it is not all laid out yet). */
export interface StartMark {
  page: number
  segment: HTMLElement
  node: Text
  offset: number
}

/** Not the notes at a page's foot, nor the title block and the contents, which the EPUB has in pages of its own. */
function counted(node: Node): boolean {
  return !node.parentElement?.closest('.galley-page-notes, #title-block-header, nav')
}

function textNodesOf(root: Node): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, { acceptNode: (node) => (counted(node) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT) })
  const texts: Text[] = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text)
  return texts
}

/**
 * Once the pages of a segment's `blocks` are final, while they are laid out: each page their text enters first gets a
 * mark at its first visible character (one with a box). Pages without text of the book's own (a blank verso, a page
 * of only a picture, the title page, the contents) get none.
 */
export function markPageStarts(layout: Layout, segment: HTMLElement, blocks: readonly Element[]): void {
  const { range, found } = layout
  /** The page of character `offset` of `node`, by its glyph's box; undefined for a character with no box. */
  const pageOf = (node: Text, offset: number): number | undefined => {
    range.setStart(node, offset)
    range.setEnd(node, offset + 1)
    const rect = range.getClientRects()[0]
    return rect && rect.width > 0 ? layout.pageBase + columnOf(layout, rect) + 1 : undefined
  }
  for (const node of blocks.flatMap(textNodesOf)) {
    const visible = [...node.data.matchAll(/\S/g)].map((match) => match.index)
    const first = visible.find((offset) => pageOf(node, offset) !== undefined)
    const last = visible.findLast((offset) => pageOf(node, offset) !== undefined)
    if (first === undefined || last === undefined) continue
    let low = visible.indexOf(first)
    const high = visible.indexOf(last)
    // Each page this node enters for the first time starts there: found by halving over its visible characters.
    while (low <= high) {
      const offset = visible[low] as number
      const seen = found.lastStartPage
      const page = pageOf(node, offset) ?? seen
      if (page > seen) {
        found.startMarks.push({ page, segment, node, offset })
        found.lastStartPage = page
      }
      if ((pageOf(node, last) ?? found.lastStartPage) <= found.lastStartPage) break
      // The first visible character past the last page started.
      let a = low + 1
      let b = high
      while (a < b) {
        const mid = (a + b) >> 1
        if ((pageOf(node, visible[mid] as number) ?? found.lastStartPage) > found.lastStartPage) b = mid
        else a = mid + 1
      }
      low = a
    }
  }
}

/** The marks as the EPUB wants them, with about 80 characters after each and before it in its segment. */
export function readPageStarts(marks: readonly StartMark[]): PageStart[] {
  const clean = (text: string): string => text.replace(/[\u00AD\u200B]/g, '')
  const textsOf = new Map<HTMLElement, { texts: Text[]; index: Map<Text, number> }>()
  return marks.map(({ page, segment, node, offset }) => {
    let entry = textsOf.get(segment)
    if (!entry) {
      const texts = textNodesOf(segment)
      entry = { texts, index: new Map(texts.map((text, at) => [text, at])) }
      textsOf.set(segment, entry)
    }
    const { texts } = entry
    const index = entry.index.get(node) ?? -1
    let text = ''
    for (let at = index; at < texts.length && text.length < 80; at++) text += clean((texts[at] as Text).data.slice(at === index ? offset : 0))
    let before = ''
    for (let at = index; at >= 0 && before.length < 80; at--) before = clean((texts[at] as Text).data.slice(0, at === index ? offset : undefined)) + before
    return { page, text: text.slice(0, 80), before: before.slice(-80) }
  })
}
