// Pandoc's example lists: `(@)` and `(@label)` items numbered on through the file, and `@label` in the text replaced by its number.
import type { List, ListItem, Paragraph, Parent, Root, Text } from 'mdast'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { visit } from '../tree-visit.js'
import { paragraphItems, positionedText } from './paragraph-items.js'
import { alignToSource } from './remark-pandoc-citations.js'

/** An example item's marker, as Pandoc reads it: `(@)`, `(@label)`, `@.`, `@label)` and the like, then a space. */
const itemMarker = /^(?:\(@([\w-]*)\)|@([\w-]*)[.)])[ \t]+/

interface Found {
  parent: Parent
  /** The markers' delimiter: a list of `(@)` items and one of `@.` items are two lists, as in Pandoc. */
  style: string
  /** Index of the first paragraph of a run of sibling example paragraphs, and how many there are. */
  index: number
  count: number
  items: ListItem[][]
}

/**
 * CommonMark reads example items as paragraphs (`(@) text`); a paragraph that starts with a marker is split into
 * items at each line that starts with one (the lines between continue the item before), and a run of such paragraphs
 * is one list (loose when there is more than one paragraph: a blank line between items, as in Pandoc). Items are
 * numbered from 1 through the whole file, each list starting where the one before stopped (`<ol class="example"
 * start>`). Then every `@label` of a defined label in the text becomes its number, before the citation reader would
 * take it for a citation (Pandoc's order too); `@label` of no example stays a citation. Each file is numbered from 1
here; `numberExamples` moves the numbers on through the book.
 */
export function remarkExampleLists() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!/(?:^|\n)[ \t>]*(?:\(@[\w-]*\)|@[\w-]*[.)])[ \t]/.test(source)) return
    const place = location(file)
    const runs: Found[] = []
    visit(tree, (node) => {
      if (!('children' in node)) return
      const parent = node as Parent
      let run: Found | undefined
      parent.children.forEach((child, index) => {
        const items = child.type === 'paragraph' ? exampleItems(child, source, place) : undefined
        if (!items) {
          run = undefined
          return
        }
        const style = markerStyle(source, child.position?.start.offset ?? 0)
        if (run && run.index + run.count === index && run.style === style) {
          run.count++
          run.items.push(items)
        } else {
          run = { parent, style, index, count: 1, items: [items] }
          runs.push(run)
        }
      })
    })
    if (runs.length === 0) return
    const labels = new Map<string, number>()
    let number = 0
    const lists = runs.map((run): List => {
      const items = run.items.flat()
      const start = number + 1
      for (const item of items) {
        number++
        const label = item.data?.exampleLabel
        if (label && !labels.has(label)) labels.set(label, number)
        if (item.data) delete item.data.exampleLabel
      }
      const first = run.parent.children[run.index]
      const last = run.parent.children[run.index + run.count - 1]
      return {
        type: 'list',
        ordered: true,
        start,
        spread: run.count > 1,
        children: items.map((item) => ({ ...item, spread: run.count > 1 })),
        data: { hProperties: { className: ['example'], type: '1' }, exampleItems: items.length },
        ...(first?.position && last?.position ? { position: { start: first.position.start, end: last.position.end } } : {}),
      }
    })
    // From the last run back, so that a run's index in its parent still holds when it is replaced.
    for (let index = runs.length - 1; index >= 0; index--) {
      const run = runs[index]
      const list = lists[index]
      if (run && list) run.parent.children.splice(run.index, run.count, list as Parent['children'][number])
    }
    if (labels.size > 0) replaceReferences(tree, labels, source, place)
  }
}

declare module 'mdast' {
  interface ListItemData {
    /** The label of an example item while the example lists are numbered (`remarkExampleLists`). */
    exampleLabel?: string
  }
  interface ListData {
    /** How many example items an example list holds, for numbering them on through the book (`numberExamples`). */
    exampleItems?: number
  }
  interface TextData {
    /** The number of the example this text refers to (`@label`), counted in its own file. */
    exampleNumber?: number
  }
}

/**
 * Example lists numbered on through the book: each file's lists and references to them (numbered in the file) move on
 * by the number of examples in the files before it. A reference to a label of another file is not read.
 */
export function numberExamples(chapters: readonly Root[], files?: readonly unknown[]): void {
  let before = 0
  // A file cut into stretches (at its Quarto includes) numbered its examples through all of them when it was parsed:
  // only the other files' examples are added to a later stretch's.
  const counted = new Map<unknown, number>()
  for (const [index, chapter] of chapters.entries()) {
    const file = files?.[index] ?? chapter
    const shift = before - (counted.get(file) ?? 0)
    let own = 0
    visit(chapter, (node) => {
      if (node.type === 'list' && node.data?.exampleItems !== undefined) {
        own += node.data.exampleItems
        if (shift > 0) node.start = (node.start ?? 1) + shift
      } else if (node.type === 'text' && node.data?.exampleNumber !== undefined && shift > 0) {
        node.value = String(node.data.exampleNumber + shift)
      }
    })
    before += own
    counted.set(file, (counted.get(file) ?? 0) + own)
  }
}

function markerStyle(source: string, offset: number): string {
  return source[offset] === '(' ? '(' : (/^@[\w-]*([.)])/.exec(source.slice(offset, offset + 200))?.[1] ?? '')
}

/** The items of a paragraph that starts with an example marker, each with its label, or undefined when it does not. */
function exampleItems(paragraph: Paragraph, source: string, place: ReturnType<typeof location>): ListItem[] | undefined {
  const items = paragraphItems(paragraph, source, place, (line) => {
    const marker = itemMarker.exec(line)
    return marker ? { length: marker[0].length, label: marker[1] ?? marker[2] ?? '' } : undefined
  })
  return items?.map(({ item, marker }) => ({ ...item, data: { exampleLabel: marker.label } }))
}

/**
 * `@label` of a defined example, not escaped and not inside a word or address, becomes the example's number: a text
 * node of its own, so the text around it keeps its source positions for the passes after this one.
 */
function replaceReferences(tree: Root, labels: ReadonlyMap<string, number>, source: string, place: ReturnType<typeof location>): void {
  const reference = /(?<![\w@\\])@([\w-]+)/g
  visit(tree, 'text', (node: Text, index, parent) => {
    if (!parent || index === undefined || !node.value.includes('@')) return
    const from = node.position?.start.offset
    const to = node.position?.end.offset
    const alignment = from === undefined || to === undefined ? undefined : alignToSource(node.value, source.slice(from, to), from)
    const parts: Text[] = []
    let last = 0
    for (const match of node.value.matchAll(reference)) {
      const number = labels.get(match[1] ?? '')
      if (number === undefined || alignment?.escaped[match.index]) continue
      if (match.index > last) parts.push(positionedText(node.value.slice(last, match.index), last, alignment?.offset, to, place))
      parts.push({ type: 'text', value: String(number), data: { exampleNumber: number } })
      last = match.index + match[0].length
    }
    if (parts.length === 0) return
    if (last < node.value.length) parts.push(positionedText(node.value.slice(last), last, alignment?.offset, to, place))
    parent.children.splice(index, 1, ...parts)
    return index + parts.length
  })
}
