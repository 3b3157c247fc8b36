// Where each printed page starts, read in the page after the layout pass: the first characters of every page's text
// (not its page-foot notes), for the EPUB's print page markers. Leaves the document as it was.
import { GAP } from './measure.js'
import { measuringCss } from './paginate.js'
import type { PageStart, PageStartParams } from './types.js'

/**
 * Lays each segment of the document out again as the layout pass measured it (one column the size of the text
 * block per page), reads the first text of every column, then takes the measuring styles away. Pages without text
 * of the book's own (a blank verso, a page of only a picture, the title page, the contents) get no entry. Undefined when the pages read here do not agree with the
 * layout pass's (their count, the pages of the headings): then no page is named rather than a wrong one.
 */
export function pageStarts(params: PageStartParams): PageStart[] | undefined {
  const W = params.width
  const H = params.height
  const doc = document
  const body = doc.body
  const style = doc.createElement('style')
  style.textContent = measuringCss(W, H)
  doc.head.append(style)
  body.classList.add('galley-measuring')
  const main = doc.getElementById('main')
  const segments: HTMLElement[] = []
  if (params.book && main) {
    for (const id of ['title-block-header', 'TOC']) {
      const element = doc.getElementById(id)
      if (element) segments.push(element)
    }
    for (const child of [...main.children] as HTMLElement[]) if (child.matches('section.chapter, .galley-back-matter')) segments.push(child)
  } else {
    segments.push(body)
  }
  const starts: PageStart[] = []
  const headingPages = new Map<string, number>()
  let pageBase = 0
  try {
    for (const segment of segments) {
      if (segment.previousElementSibling?.matches('.galley-blank-page')) pageBase += 1
      segment.classList.add('galley-measure')
      const box = segment.getBoundingClientRect()
      const columnAt = (x: number): number => Math.max(0, Math.floor((x - box.left + GAP / 2) / (W + GAP)))
      const range = doc.createRange()
      /** The column of character `offset` of `node`, by its glyph's box; undefined for a character with no box. */
      const columnOf = (node: Text, offset: number): number | undefined => {
        range.setStart(node, offset)
        range.setEnd(node, offset + 1)
        const rect = range.getClientRects()[0]
        return rect && rect.width > 0 ? columnAt(rect.left) : undefined
      }
      const walker = doc.createTreeWalker(segment, NodeFilter.SHOW_TEXT, {
        // Not the notes at a page's foot, nor the title block and the contents, which the EPUB has in pages of its own.
        acceptNode: (node) => (node.parentElement?.closest('.galley-page-notes, #title-block-header, nav') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      })
      const texts: Text[] = []
      for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text)
      const clean = (text: string): string => text.replace(/[\u00AD\u200B]/g, '')
      /** The text from `offset` of `texts[index]` on, to about 80 characters. */
      const textFrom = (index: number, offset: number): string => {
        let text = ''
        for (let at = index; at < texts.length && text.length < 80; at++) text += clean((texts[at] as Text).data.slice(at === index ? offset : 0))
        return text.slice(0, 80)
      }
      /** The text before `offset` of `texts[index]`, its last 80 characters or so. */
      const textBefore = (index: number, offset: number): string => {
        let text = ''
        for (let at = index; at >= 0 && text.length < 80; at--) text = clean((texts[at] as Text).data.slice(0, at === index ? offset : undefined)) + text
        return text.slice(-80)
      }
      let seen = -1
      texts.forEach((node, index) => {
        const visible = [...node.data.matchAll(/\S/g)].map((match) => match.index)
        const first = visible.find((offset) => columnOf(node, offset) !== undefined)
        const last = visible.findLast((offset) => columnOf(node, offset) !== undefined)
        if (first === undefined || last === undefined) return
        let low = visible.indexOf(first)
        const high = visible.indexOf(last)
        // Each column this node enters for the first time starts a page: found by halving over its visible characters.
        while (low <= high) {
          const offset = visible[low] as number
          const column = columnOf(node, offset) ?? seen
          if (column > seen) {
            starts.push({ page: pageBase + column + 1, text: textFrom(index, offset), before: textBefore(index, offset) })
            seen = column
          }
          const lastColumn = columnOf(node, last) ?? seen
          if (lastColumn <= seen) break
          // The first visible character past `seen`'s column.
          let a = low + 1
          let b = high
          while (a < b) {
            const mid = (a + b) >> 1
            if ((columnOf(node, visible[mid] as number) ?? seen) > seen) b = mid
            else a = mid + 1
          }
          low = a
        }
      })
      for (const heading of [...segment.querySelectorAll('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')]) {
        headingPages.set(heading.id, pageBase + columnAt(heading.getBoundingClientRect().left) + 1)
      }
      const right = Math.max(box.left + W, ...[...segment.querySelectorAll('*')].flatMap((element) => [...element.getClientRects()].filter((rect) => rect.height > 0).map((rect) => rect.right)))
      pageBase += columnAt(right - 1) + 1
      segment.classList.remove('galley-measure')
    }
  } finally {
    for (const segment of segments) segment.classList.remove('galley-measure')
    body.classList.remove('galley-measuring')
    style.remove()
  }
  const agrees = pageBase === params.pages && params.headings.every((heading) => headingPages.get(heading.id) === heading.page)
  return agrees ? starts : undefined
}
