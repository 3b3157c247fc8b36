// Pandoc's simple, multiline and grid tables, which CommonMark reads as rules, headings and paragraphs: found in the source, made tables.
import type { AlignType, Parent, PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from 'mdast'
import type { Node } from 'unist'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { parseInline } from './parse-inline.js'
import { shiftPositions } from './shift-positions.js'
import type { DefinitionList } from './types.js'

/** A table found in the source: its lines' offsets and its cells as slices of those lines. */
interface Found {
  start: number
  end: number
  align: AlignType[]
  /** Rows of cells; a cell is the source slices of its lines (one per line it spans). */
  rows: Slice[][][]
  /**
   * A grid table with cells across columns or rows (Pandoc 3), or with more than one header row: each row's cells'
   * spans, in the order of `rows`, and how many rows are the header. Undefined for a table of one cell per column.
   */
  spans?: { spans: { colSpan: number; rowSpan: number }[][]; headerRows: number }
}

interface Slice {
  offset: number
  text: string
}

interface Line {
  offset: number
  text: string
}

/**
 * Replaces the top-level blocks a simple, multiline or grid table was read as with an mdast `table` (header row first), its
 * cells read as inline Markdown from the source lines, so positions, citations and later passes work as in any table.
 * A cell over several lines is read line by line and joined with spaces (Pandoc reads it as one paragraph: emphasis
 * across its lines is not seen here). Tables inside lists or block quotes and headerless tables are not read.
 */
export function remarkPandocTables() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!source.includes('\n---') && !source.includes('\n+-') && !source.startsWith('---') && !source.startsWith('+-')) return
    const lines = splitLines(source)
    const place = location(file)
    for (let index = 0; index < lines.length; index++) {
      const previous = lines[index - 1]
      if (previous && previous.text.trim() !== '') continue
      const found = gridTable(lines, index) ?? multilineTable(lines, index) ?? simpleTable(lines, index)
      if (!found) continue
      // A YAML block's `---` fences are not a table's rules (front matter, then a rule further down, read as a multiline table).
      if (file.data.yamlBlocks?.some(([start, end]) => start < found.end && found.start < end)) continue
      if (replace(tree, found, place)) index = lines.findIndex((line) => line.offset >= found.end) - 1
      if (index < 0) break
    }
  }
}

function splitLines(source: string): Line[] {
  const lines: Line[] = []
  let offset = 0
  for (const text of source.split('\n')) {
    lines.push({ offset, text: text.replace(/\r$/, '') })
    offset += text.length + 1
  }
  return lines
}

/** `+---+---+` … `+===+===+` … `+---+---+`: column edges at the top border's `+`. */
function gridTable(lines: Line[], first: number): Found | undefined {
  const top = lines[first]
  if (!top || !/^\+(?:[-:]+\+)+\s*$/.test(top.text)) return undefined
  const edges = [...top.text.matchAll(/\+/g)].map((match) => match.index)
  let last = first
  while (last + 1 < lines.length && /^[+|]/.test(lines[last + 1]?.text ?? '')) last++
  if (last === first || !/^\+(?:[-=:]+\+)+\s*$/.test(lines[last]?.text ?? '')) return undefined
  const rows: Slice[][][] = []
  let header = false
  let align: AlignType[] = edges.slice(1).map(() => null)
  let row: Slice[][] = edges.slice(1).map(() => [])
  for (let index = first + 1; index <= last; index++) {
    const line = lines[index]
    if (!line) return undefined
    if (line.text.startsWith('+')) {
      if (!sameEdges(line.text, edges)) return spannedGridTable(lines, first, last)
      rows.push(row)
      row = edges.slice(1).map(() => [])
      if (/=/.test(line.text) && rows.length === 1) {
        header = true
        align = alignsOf(line.text, edges)
      }
      continue
    }
    for (let column = 0; column + 1 < edges.length; column++) {
      const from = (edges[column] ?? 0) + 1
      const to = edges[column + 1] ?? line.text.length
      if (line.text[to] !== '|' && to < line.text.length) return spannedGridTable(lines, first, last)
      const slice = trimmed(line.offset + from, line.text.slice(from, to))
      if (slice.text !== '') row[column]?.push(slice)
    }
  }
  // Headerless, or a header of several rows: mdast's table has exactly one header row, the first.
  if (!header) return spannedGridTable(lines, first, last)
  return { start: top.offset, end: (lines[last]?.offset ?? 0) + (lines[last]?.text.length ?? 0), align, rows }
}

/**
 * A grid table read as Pandoc 3 reads one: each cell the rectangle its `+` corners, `-`/`=` borders and `|` sides
 * close, so a cell may run across columns and rows; the rows above the `+===+` line are the header (none without one).
 */
function spannedGridTable(lines: Line[], first: number, last: number): Found | undefined {
  const grid = lines.slice(first, last + 1).map((line) => line.text)
  const at = (row: number, column: number): string => grid[row]?.[column] ?? ''
  const cells: { top: number; left: number; bottom: number; right: number }[] = []
  const taken = new Set<string>()
  // docutils' scan: from each corner not yet inside a cell, right along the top border to a corner with a side below
  // it, down that side to a corner, and the bottom border and left side back must close the rectangle.
  const closes = (top: number, left: number, bottom: number, right: number): boolean => {
    for (let column = right - 1; column > left; column--) if (!'-=+:'.includes(at(bottom, column))) return false
    if (at(bottom, left) !== '+') return false
    for (let row = bottom - 1; row > top; row--) if (!'|+'.includes(at(row, left))) return false
    return true
  }
  const cellAt = (top: number, left: number): { bottom: number; right: number } | undefined => {
    for (let right = left + 1; right < (grid[top]?.length ?? 0); right++) {
      const border = at(top, right)
      if (border === '+') {
        for (let bottom = top + 1; bottom < grid.length; bottom++) {
          const side = at(bottom, right)
          if (side === '+' && closes(top, left, bottom, right)) return { bottom, right }
          if (side !== '|' && side !== '+') break
        }
      } else if (!'-=:'.includes(border)) return undefined
    }
    return undefined
  }
  for (let top = 0; top < grid.length - 1; top++) {
    for (let left = 0; left < (grid[top]?.length ?? 0); left++) {
      if (at(top, left) !== '+' || taken.has(`${top},${left}`)) continue
      const found = cellAt(top, left)
      if (!found) continue
      cells.push({ top, left, ...found })
      taken.add(`${top},${left}`)
    }
  }
  if (cells.length === 0) return undefined
  // Every character inside the table's border must belong to exactly one cell, or this is not a grid table.
  const width = Math.max(...cells.map((cell) => cell.right))
  const height = Math.max(...cells.map((cell) => cell.bottom))
  const area = cells.reduce((sum, cell) => sum + (cell.right - cell.left) * (cell.bottom - cell.top), 0)
  if (area !== width * height || Math.min(...cells.map((cell) => cell.left)) !== 0) return undefined
  const columnEdges = [...new Set(cells.flatMap((cell) => [cell.left, cell.right]))].sort((a, b) => a - b)
  const rowEdges = [...new Set(cells.flatMap((cell) => [cell.top, cell.bottom]))].sort((a, b) => a - b)
  const headLine = grid.findIndex((text) => /^\+(?:[=:]+\+)+\s*$/.test(text) || (text.startsWith('+') && text.includes('=')))
  const headerRows = headLine > 0 ? rowEdges.indexOf(headLine) : 0
  if (headerRows < 0) return undefined
  cells.sort((a, b) => a.top - b.top || a.left - b.left)
  const rows: Slice[][][] = rowEdges.slice(0, -1).map(() => [])
  const spans: { colSpan: number; rowSpan: number }[][] = rowEdges.slice(0, -1).map(() => [])
  for (const cell of cells) {
    const row = rowEdges.indexOf(cell.top)
    const slices: Slice[] = []
    for (let line = cell.top + 1; line < cell.bottom; line++) {
      const source = lines[first + line] as Line
      const slice = trimmed(source.offset + cell.left + 1, source.text.slice(cell.left + 1, cell.right))
      if (slice.text !== '') slices.push(slice)
    }
    rows[row]?.push(slices)
    spans[row]?.push({ colSpan: columnEdges.indexOf(cell.right) - columnEdges.indexOf(cell.left), rowSpan: rowEdges.indexOf(cell.bottom) - row })
  }
  const alignLine = headLine > 0 ? (grid[headLine] ?? '') : (grid[0] ?? '')
  const align = alignLine.startsWith('+') && columnEdges.every((edge) => alignLine[edge] === '+') ? alignsOf(alignLine, columnEdges) : columnEdges.slice(1).map(() => null)
  const lastLine = lines[last] as Line
  return { start: (lines[first] as Line).offset, end: lastLine.offset + lastLine.text.length, align, rows, spans: { spans, headerRows } }
}

function sameEdges(text: string, edges: readonly number[]): boolean {
  return edges.every((edge) => text[edge] === '+')
}

function alignsOf(text: string, edges: readonly number[]): AlignType[] {
  return edges.slice(1).map((edge, column) => {
    const cell = text.slice((edges[column] ?? 0) + 1, edge)
    const left = cell.startsWith(':')
    const right = cell.endsWith(':')
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null
  })
}

/**
 * A line of dashes, header lines, a line of dashed column segments, rows separated by blank lines, a closing line of
 * dashes and a blank line. Column `i` runs from its segment's start to the next segment's start.
 */
function multilineTable(lines: Line[], first: number): Found | undefined {
  const top = lines[first]
  if (!top || !/^-{3,}\s*$/.test(top.text)) return undefined
  let separator = first + 1
  while (separator < lines.length && (lines[separator]?.text.trim() ?? '') !== '' && !/^[-\s]+$/.test(lines[separator]?.text ?? '')) separator++
  const dashes = lines[separator]
  if (separator === first + 1 || !dashes || !/^\s*-[-\s]*$/.test(dashes.text) || dashes.text.trim() === '') return undefined
  const segments = [...dashes.text.matchAll(/-+/g)].map((match) => ({ start: match.index, end: match.index + match[0].length }))
  let last = separator + 1
  while (last < lines.length && !/^-{3,}\s*$/.test(lines[last]?.text ?? '')) last++
  const closing = lines[last]
  if (!closing || last === separator + 1) return undefined
  const after = lines[last + 1]
  if (after && after.text.trim() !== '' && !/^\s*:?\s*Table:/.test(after.text)) return undefined
  const starts = segments.map((segment) => segment.start)
  const cellsOf = (rowLines: Line[]): Slice[][] =>
    starts.map((start, column) => {
      const to = starts[column + 1]
      return rowLines.map((line) => trimmed(line.offset + Math.min(start, line.text.length), line.text.slice(start, to ?? line.text.length))).filter((slice) => slice.text !== '')
    })
  const headerLines = lines.slice(first + 1, separator)
  const rows: Slice[][][] = [cellsOf(headerLines)]
  let group: Line[] = []
  for (const line of lines.slice(separator + 1, last)) {
    if (line.text.trim() === '') {
      if (group.length > 0) rows.push(cellsOf(group))
      group = []
    } else group.push(line)
  }
  if (group.length > 0) rows.push(cellsOf(group))
  const align = columnAligns(segments, headerLines)
  return { start: top.offset, end: closing.offset + closing.text.length, align, rows }
}

/**
 * Pandoc's alignment from where the header text sits over its dashes: flush right only is right, flush left only is
 * left, beyond the header on both sides is centred, flush on both sides is the default.
 */
function columnAligns(segments: readonly { start: number; end: number }[], headerLines: readonly Line[]): AlignType[] {
  const starts = segments.map((segment) => segment.start)
  return segments.map((segment, column): AlignType => {
    const parts = headerLines.map((line) => line.text.slice(segment.start, starts[column + 1] ?? line.text.length).replace(/\s+$/, ''))
    const flushLeft = parts.some((part) => part !== '' && !/^\s/.test(part))
    const flushRight = parts.some((part) => segment.start + part.length === segment.end)
    return flushLeft && flushRight ? null : flushRight ? 'right' : flushLeft ? 'left' : 'center'
  })
}

/**
 * A header line, a line of two or more dashed column segments, one row per line up to a blank line (one segment alone
 * is a setext heading, in Pandoc too).
 */
function simpleTable(lines: Line[], first: number): Found | undefined {
  const header = lines[first]
  const dashes = lines[first + 1]
  if (!header || !dashes || header.text.trim() === '' || /^\s*[-+=|]/.test(header.text) || !/^\s*-+(?:\s+-+)+\s*$/.test(dashes.text)) return undefined
  let last = first + 1
  while (last + 1 < lines.length && (lines[last + 1]?.text.trim() ?? '') !== '') last++
  if (last === first + 1) return undefined
  const segments = [...dashes.text.matchAll(/-+/g)].map((match) => ({ start: match.index, end: match.index + match[0].length }))
  const starts = segments.map((segment) => segment.start)
  const cellsOf = (line: Line): Slice[][] =>
    starts.map((start, column) => {
      const slice = trimmed(line.offset + Math.min(start, line.text.length), line.text.slice(start, starts[column + 1] ?? line.text.length))
      return slice.text === '' ? [] : [slice]
    })
  const rows = [header, ...lines.slice(first + 2, last + 1)].map(cellsOf)
  const align = columnAligns(segments, [header])
  const end = lines[last]
  return { start: header.offset, end: (end?.offset ?? 0) + (end?.text.length ?? 0), align, rows }
}

function trimmed(offset: number, text: string): Slice {
  const lead = text.length - text.trimStart().length
  return { offset: offset + lead, text: text.trim() }
}

/** Puts the table in place of the top-level blocks it was read as; false when a block runs past its edges. */
function replace(tree: Root, found: Found, place: ReturnType<typeof location>): boolean {
  const inside = (node: RootContent): boolean => (node.position?.start.offset ?? -1) >= found.start && (node.position?.start.offset ?? -1) < found.end
  const first = tree.children.findIndex(inside)
  if (first === -1) return false
  let last = first
  while (last + 1 < tree.children.length && inside(tree.children[last + 1] as RootContent)) last++
  const after = captionBelow(tree.children[last], found.end)
  if (!after && (tree.children[last]?.position?.end.offset ?? 0) > found.end) return false
  // An indented table's first line read as more of the definition above it (`: Caption`, a blank line, then the
  // table, as the Pandoc manual lays one out): the table's, as in Pandoc; the caption is then attached to it.
  const before = tree.children[first - 1]
  if (before?.type === 'defList' && (before.position?.end.offset ?? 0) > found.start) cutBefore(before, found.start)
  const rows: TableRow[] = []
  for (const [rowIndex, cells] of found.rows.entries()) {
    const row: TableRow = { type: 'tableRow', children: [] }
    for (const [cellIndex, slices] of cells.entries()) {
      const children: PhrasingContent[] = []
      for (const slice of slices) {
        // A line that reads as a block (a list item, say) is kept as its text: block content in cells is not read.
        const parsed = parseInline(slice.text) ?? [{ type: 'text', value: slice.text, position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: slice.text.length + 1, offset: slice.text.length } } }]
        if (children.length > 0) children.push({ type: 'text', value: ' ' })
        for (const node of parsed) shiftPositions(node, slice.offset, place)
        children.push(...parsed)
      }
      const cell: TableCell = { type: 'tableCell', children }
      const span = found.spans?.spans[rowIndex]?.[cellIndex]
      if (span && (span.colSpan > 1 || span.rowSpan > 1)) cell.data = { hProperties: { ...(span.colSpan > 1 ? { colSpan: span.colSpan } : {}), ...(span.rowSpan > 1 ? { rowSpan: span.rowSpan } : {}) } }
      row.children.push(cell)
    }
    rows.push(row)
  }
  const table: Table = {
    type: 'table',
    align: found.align,
    children: rows,
    ...(found.spans ? { data: { headerRows: found.spans.headerRows } } : {}),
    position: { start: place.toPoint(found.start) ?? { line: 1, column: 1 }, end: place.toPoint(found.end) ?? { line: 1, column: 1 } },
  }
  if (table.position) {
    table.position.start.offset = found.start
    table.position.end.offset = found.end
  }
  tree.children.splice(first, last - first + 1, table, ...(after ?? []))
  return true
}

/**
 * A `: caption` a blank line below a table whose lines CommonMark read as paragraph text: a definition list whose
 * terms are the table's lines and whose first definition is the caption. The blocks that stand for it after the
 * table: the caption paragraph, marked for `remarkTableCaptions`, and the list's other items, still a list.
 */
function captionBelow(node: RootContent | undefined, end: number): RootContent[] | undefined {
  if (node?.type !== 'defList') return undefined
  const at = node.children.findIndex((child) => (child.position?.start.offset ?? -1) >= end)
  const description = node.children[at]
  if (at < 1 || description?.type !== 'defListDescription' || !node.children.slice(0, at).every((child) => child.type === 'defListTerm')) return undefined
  const [caption, ...more] = description.children
  if (caption?.type !== 'paragraph' || more.length > 0) return undefined
  caption.data = { ...caption.data, tableCaption: true }
  const rest = node.children.slice(at + 1)
  if (rest.length === 0) return [caption]
  const list: DefinitionList = { ...node, children: rest }
  if (node.position && rest[0]?.position) list.position = { start: rest[0].position.start, end: node.position.end }
  return [caption, list]
}


/** Drops what starts at or after `offset` from a node, its last child cut back likewise; its end moves back. */
function cutBefore(node: Parent, offset: number): void {
  node.children = node.children.filter((child) => (child.position?.start.offset ?? 0) < offset)
  const last = node.children.at(-1)
  if (last && 'children' in last && (last.position?.end.offset ?? 0) > offset) cutBefore(last, offset)
  if (node.position && last?.position) node.position.end = { ...last.position.end }
}
