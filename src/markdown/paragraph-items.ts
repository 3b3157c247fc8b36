// A paragraph CommonMark read where Pandoc sees list items (`(@) a`, `a. b`), split into those items at the markers.
import type { ListItem, Paragraph, PhrasingContent, Text } from 'mdast'
import type { Position } from 'unist'
import type { location } from 'vfile-location'
import { alignToSource } from './remark-pandoc-citations.js'

/** A marker at a line's start: how many characters it takes (with the spaces after it) and its label or value. */
export interface ItemMarker {
  length: number
  label: string
}

/**
 * The items of a paragraph whose first line starts with a marker, or undefined when it does not. A line starting with
 * a marker (`read` of the line, called in order, first line first) starts an item; other lines continue the item
 * before. Each item's marker is given back with it; the text keeps its source positions.
 */
export function paragraphItems(paragraph: Paragraph, source: string, place: ReturnType<typeof location>, read: (line: string) => ItemMarker | undefined): { item: ListItem; marker: ItemMarker }[] | undefined {
  const start = paragraph.position?.start.offset
  if (start === undefined) return undefined
  const items: { item: ListItem; marker: ItemMarker }[] = []
  let current: PhrasingContent[] | undefined
  const open = (marker: ItemMarker, at: Position['start'] | undefined): void => {
    current = []
    items.push({ item: { type: 'listItem', spread: false, children: [{ type: 'paragraph', children: current, ...(at ? { position: { start: at, end: at } } : {}) }] }, marker })
  }
  for (const child of paragraph.children) {
    if (child.type !== 'text') {
      if (!current) return undefined
      current.push(child)
      continue
    }
    const from = child.position?.start.offset
    const to = child.position?.end.offset
    const alignment = from === undefined || to === undefined ? undefined : alignToSource(child.value, source.slice(from, to), from)
    const lines = child.value.split('\n')
    let at = 0
    for (const [index, line] of lines.entries()) {
      const lineStart = index > 0 || !current
      const marker = lineStart && !alignment?.escaped[at] ? read(line) : undefined
      if (!current && !marker) return undefined
      let text = index > 0 ? `\n${line}` : line
      let offset = index > 0 ? at - 1 : at
      if (marker) {
        const markerOffset = alignment?.offset[at]
        open(marker, markerOffset === undefined ? undefined : place.toPoint(markerOffset))
        text = line.slice(marker.length)
        offset = at + marker.length
      }
      if (text !== '' && current) current.push(positionedText(text, offset, alignment?.offset, to, place))
      at += line.length + 1
    }
  }
  // The item spans its marker and text; its paragraph, the text alone.
  for (const { item } of items) {
    const paragraphNode = item.children[0] as Paragraph
    const markerStart = paragraphNode.position?.start
    const firstChild = paragraphNode.children[0]
    const lastChild = paragraphNode.children.at(-1)
    if (markerStart && lastChild?.position) item.position = { start: markerStart, end: lastChild.position.end }
    if (firstChild?.position && lastChild?.position) paragraphNode.position = { start: firstChild.position.start, end: lastChild.position.end }
    else delete paragraphNode.position
  }
  return items
}

/** A slice of a text node's value, at `index`, with the source position `offsets` (from `alignToSource`) give it. */
export function positionedText(value: string, index: number, offsets: number[] | undefined, nodeEnd: number | undefined, place: ReturnType<typeof location>): Text {
  const start = offsets?.[index]
  const end = offsets?.[index + value.length] ?? nodeEnd
  const from = start === undefined ? undefined : place.toPoint(start)
  const to = end === undefined ? undefined : place.toPoint(end)
  return from && to && start !== undefined && end !== undefined ? { type: 'text', value, position: { start: { ...from, offset: start }, end: { ...to, offset: end } } } : { type: 'text', value }
}
