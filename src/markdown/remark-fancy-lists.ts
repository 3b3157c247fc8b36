// Pandoc's fancy_lists: items numbered `a.`, `(iv)`, `B)`, `(1)` or `#.`, which CommonMark reads as paragraphs, made ordered lists.
import type { List, ListItem, Paragraph, Parent, Root } from 'mdast'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { visit } from '../tree-visit.js'
import { paragraphItems, type ItemMarker } from './paragraph-items.js'

type Kind = 'decimal' | 'default' | 'lowerAlpha' | 'upperAlpha' | 'lowerRoman' | 'upperRoman'

interface Style {
  kind: Kind
  /** `.`, `)` or `()`. */
  delimiter: string
}

/** The `type` attribute Pandoc's HTML writer gives each kind (none for `#.`). */
const typeAttribute: Record<Kind, string | undefined> = { decimal: '1', default: undefined, lowerAlpha: 'a', upperAlpha: 'A', lowerRoman: 'i', upperRoman: 'I' }

const shape = /^(\()?(\d{1,9}|#|[a-zA-Z]{1,8})([.)])(\t| +)/

/**
 * Reads an item marker at the start of `line`: in `style` when the list has one, else as Pandoc reads a list's first
 * marker (`i` and `I` are Roman, another single letter alphabetic, a longer run Roman). An upper-case letter or numeral
 * with a period needs two spaces or a tab after it (`A. Smith` is a name). `1.` and `1)` are CommonMark's own lists;
 * only `(1)` is read here.
 */
function readMarker(line: string, style: Style | undefined): (ItemMarker & { style: Style; value: number }) | undefined {
  const match = shape.exec(line)
  if (!match) return undefined
  const [whole, open, token = '', close, spaces = ''] = match
  if (open && close !== ')') return undefined
  const delimiter = open ? '()' : (close ?? '')
  const kinds: Kind[] = style ? [style.kind] : firstKinds(token)
  for (const kind of kinds) {
    const value = valueOf(kind, token)
    if (value === undefined || (style && style.delimiter !== delimiter)) continue
    if (kind === 'decimal' && delimiter !== '()') continue
    if ((kind === 'upperAlpha' || kind === 'upperRoman') && delimiter === '.' && spaces !== '\t' && spaces.length < 2) continue
    return { length: whole.length, label: token, style: { kind, delimiter }, value }
  }
  return undefined
}

function firstKinds(token: string): Kind[] {
  if (/^\d+$/.test(token)) return ['decimal']
  if (token === '#') return ['default']
  if (token === 'i') return ['lowerRoman']
  if (token === 'I') return ['upperRoman']
  if (/^[a-z]$/.test(token)) return ['lowerAlpha']
  if (/^[A-Z]$/.test(token)) return ['upperAlpha']
  return /^[a-z]+$/.test(token) ? ['lowerRoman'] : ['upperRoman']
}

function valueOf(kind: Kind, token: string): number | undefined {
  switch (kind) {
    case 'decimal':
      return /^\d+$/.test(token) ? Number(token) : undefined
    case 'default':
      return token === '#' ? 1 : undefined
    case 'lowerAlpha':
      return /^[a-z]$/.test(token) ? token.charCodeAt(0) - 96 : undefined
    case 'upperAlpha':
      return /^[A-Z]$/.test(token) ? token.charCodeAt(0) - 64 : undefined
    case 'lowerRoman':
      return /^[ivxlcdm]+$/.test(token) ? roman(token.toUpperCase()) : undefined
    case 'upperRoman':
      return /^[IVXLCDM]+$/.test(token) ? roman(token) : undefined
  }
}

/** A Roman numeral's value, or undefined when the letters are not one (`IIII`, `VX`). */
function roman(text: string): number | undefined {
  const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 }
  let total = 0
  for (let index = 0; index < text.length; index++) {
    const value = values[text[index] ?? ''] ?? 0
    const next = values[text[index + 1] ?? ''] ?? 0
    total += value < next ? -value : value
  }
  return toRoman(total) === text ? total : undefined
}

function toRoman(value: number): string {
  const numerals: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']]
  let rest = value
  let text = ''
  for (const [amount, numeral] of numerals) {
    while (rest >= amount) {
      text += numeral
      rest -= amount
    }
  }
  return text
}

/** A paragraph's items when it starts with a fancy marker (in `style`, when given), with the style and first value. */
function itemsOf(paragraph: Paragraph, style: Style | undefined, source: string, place: ReturnType<typeof location>): { items: ListItem[]; style: Style; start: number } | undefined {
  let found = style
  let start: number | undefined
  const items = paragraphItems(paragraph, source, place, (line) => {
    const marker = readMarker(line, found)
    if (marker) {
      found ??= marker.style
      start ??= marker.value
    }
    return marker
  })
  return items && found && start !== undefined ? { items: items.map(({ item }) => item), style: found, start } : undefined
}

interface Run {
  parent: Parent
  index: number
  count: number
  style: Style
  start: number
  items: ListItem[]
}

/**
 * A paragraph whose first line starts with a fancy marker is split into items at each line that starts with a marker
 * of the same style; a run of such paragraphs in one style is one list, loose when there is more than one paragraph.
 * The list starts at its first marker's value (`c.` is 3) and carries the `type` Pandoc writes (`<ol type="a">`).
 * Content indented under an item (further paragraphs, code) is not read as the item's: CommonMark has read it already.
 */
export function remarkFancyLists() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!/(?:^|\n)[ \t>]*\(?(?:[a-zA-Z]{1,8}|#|\d{1,9})[.)][ \t]/.test(source)) return
    const place = location(file)
    const runs: Run[] = []
    visit(tree, (node) => {
      if (!('children' in node)) return
      const parent = node as Parent
      let run: Run | undefined
      parent.children.forEach((child, index) => {
        if (child.type !== 'paragraph') {
          run = undefined
          return
        }
        const continues = run && run.index + run.count === index ? run : undefined
        const read = (continues ? itemsOf(child, continues.style, source, place) : undefined) ?? itemsOf(child, undefined, source, place)
        if (!read) {
          run = undefined
        } else if (continues && read.style === continues.style) {
          continues.count++
          continues.items.push(...read.items)
        } else {
          run = { parent, index, count: 1, style: read.style, start: read.start, items: read.items }
          runs.push(run)
        }
      })
    })
    for (let index = runs.length - 1; index >= 0; index--) {
      const run = runs[index]
      if (!run) continue
      const first = run.parent.children[run.index]
      const last = run.parent.children[run.index + run.count - 1]
      const type = typeAttribute[run.style.kind]
      const list: List = {
        type: 'list',
        ordered: true,
        start: run.start,
        spread: run.count > 1,
        children: run.items.map((item) => ({ ...item, spread: run.count > 1 })),
        ...(type ? { data: { hProperties: { type } } } : {}),
        ...(first?.position && last?.position ? { position: { start: first.position.start, end: last.position.end } } : {}),
      }
      run.parent.children.splice(run.index, run.count, list as Parent['children'][number])
    }
  }
}
