// Turns Pandoc fenced divs (`::: {#refs}` … `:::`) into `fencedDiv` nodes; unbalanced fences stay as text.
import type { Paragraph, Parent, Root, RootContent, Text } from 'mdast'
import type { Point } from 'unist'
import { toString } from 'mdast-util-to-string'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { parseAttributes, safeProperties } from './attributes.js'
import type { FencedDiv } from './types.js'

const openFence = /^:{3,}[ \t]*(?:\{([^{}]*)\}|([\w-]+))[ \t]*:*[ \t]*$/
const closeFence = /^:{3,}[ \t]*$/

/** A close taken from the end of a list's or quote's last paragraph (`lazyCloses`) keeps that text, to go back to. */
type Fence = { type: 'open'; node: FencedDiv } | { type: 'close'; at: RootContent; lazyIn?: Text }

/**
 * Fence lines reach us inside paragraphs (CommonMark knows no divs), so each paragraph that starts or ends with one
 * is split first; then open/close markers are paired into nested divs.
 */
export function remarkFencedDivs() {
  return (tree: Root, file: VFile): void => {
    rewrite(tree, file)
  }
}

function rewrite(parent: Parent, file: VFile): void {
  const items: (RootContent | Fence)[] = []
  const source = String(file.value ?? '')
  for (const child of parent.children) {
    if (child.type === 'paragraph') {
      const places = placesIn(file)
      items.push(...splitAtFenceLines(joinOpeningLine(child, file), places).flatMap((piece) => splitFences(piece, source, places)))
    } else items.push(child, ...lazyCloses(child, source))
  }
  if (!items.some((item) => 'node' in item || 'at' in item)) {
    for (const child of parent.children) if ('children' in child) rewrite(child as Parent, file)
    return
  }
  const root: RootContent[] = []
  const stack: { div: FencedDiv; children: RootContent[] }[] = []
  const current = (): RootContent[] => stack.at(-1)?.children ?? root
  for (const item of items) {
    if ('type' in item && item.type === 'open' && 'node' in item) {
      stack.push({ div: item.node, children: [] })
    } else if ('type' in item && item.type === 'close' && 'at' in item) {
      const top = stack.pop()
      if (!top && item.lazyIn) {
        // No div to close: the line stays the paragraph's, as CommonMark and Pandoc read it.
        item.lazyIn.value += `\n${toString(item.at)}`
        continue
      }
      if (!top) {
        file.message('Closing `:::` without an opening fenced div', { place: item.at.position, ruleId: 'unbalanced-div', source: 'galley:markdown' })
        current().push(item.at)
        continue
      }
      top.div.children = top.children as FencedDiv['children']
      current().push(top.div)
    } else {
      current().push(item as RootContent)
    }
  }
  // Innermost first: each unclosed div ends inside the one that was open around it.
  for (let depth = stack.length - 1; depth >= 0; depth--) {
    const open = stack[depth]
    if (!open) continue
    file.message('Fenced div is never closed with `:::`; closing it at the end of its parent', {
      place: open.div.position,
      ruleId: 'unbalanced-div',
      source: 'galley:markdown',
    })
    open.div.children = open.children as FencedDiv['children']
    ;(stack[depth - 1]?.children ?? root).push(open.div)
  }
  parent.children = root as Parent['children']
  for (const child of parent.children) if ('children' in child) rewrite(child as Parent, file)
}

/**
 * An opening fence whose attributes hold Markdown (`::: {.callout-tip title="A *better* way"}`) reached us cut into
 * text, emphasis, code…: its line is read again from the source and made one text node, as Pandoc reads attributes.
 */
function joinOpeningLine(paragraph: Paragraph, file: VFile): Paragraph {
  const [first] = paragraph.children
  const start = paragraph.position?.start.offset
  if (first?.type !== 'text' || !first.value.startsWith(':::') || start === undefined) return paragraph
  const source = String(file.value ?? '')
  const opening = openingFence(source, start)
  if (!opening) return paragraph
  const { line, end, lines } = opening
  // One line in one text node: `splitFences` reads it as it is.
  if (lines === 1 && (first.value.includes('\n') || paragraph.children.length < 2)) return paragraph
  const rest: Paragraph['children'] = []
  for (const child of paragraph.children) {
    const childStart = child.position?.start.offset
    const childEnd = child.position?.end.offset
    if (childStart === undefined || childEnd === undefined) return paragraph
    if (childEnd <= end) continue
    if (childStart < end) {
      // The text node the fence ends in: its part after the fence's last line break stays.
      if (child.type !== 'text') return paragraph
      let cut = -1
      for (let breaks = source.slice(childStart, end).split('\n').length; breaks > 0; breaks--) {
        cut = child.value.indexOf('\n', cut + 1)
        if (cut === -1) return paragraph
      }
      rest.push({ ...child, value: child.value.slice(cut + 1) })
    } else rest.push(child)
  }
  const lineStart = paragraph.position?.start
  const endColumn = end - (source.lastIndexOf('\n', end - 1) + 1) + 1
  const fence = { ...first, value: rest.length > 0 ? `${line}\n` : line, ...(lineStart ? { position: { start: lineStart, end: { line: lineStart.line + lines - 1, column: endColumn, offset: end } } } : {}) }
  // The fence line and what follows it are one text node, as `splitFences` expects them.
  const next = rest[0]
  if (next?.type === 'text') {
    rest[0] = { ...next, value: fence.value + next.value }
    if (fence.position && next.position) rest[0].position = { start: fence.position.start, end: next.position.end }
    return { ...paragraph, children: rest }
  }
  return { ...paragraph, children: [{ ...fence, value: line }, ...rest] }
}

/**
 * The opening fence at `start` in the source, as one line: its attributes may go on over several lines until their
 * `}`, as Pandoc reads them (`::: {.example #ex:x` then `caption="…"}`). Undefined when the text there is no fence.
 */
function openingFence(source: string, start: number): { line: string; end: number; lines: number } | undefined {
  let end = start
  let line = ''
  for (let lines = 1; lines <= maxFenceLines; lines++) {
    const lineEnd = source.indexOf('\n', end)
    const next = source.slice(end, lineEnd === -1 ? source.length : lineEnd).replace(/\r$/, '')
    if (lines > 1 && next.trim() === '') return undefined
    line = lines === 1 ? next : `${line} ${next.trim()}`
    end = lineEnd === -1 ? source.length : lineEnd
    if (openFence.test(line)) return { line, end, lines }
    if (!unclosedAttributes.test(line) || lineEnd === -1) return undefined
    end = lineEnd + 1
  }
  return undefined
}

/** How many lines an opening fence's attributes may take (a bound, so a stray `{` costs little). */
const maxFenceLines = 20
const unclosedAttributes = /^:{3,}[ \t]*\{[^{}]*$/

/**
 * `:::` lines that close a div but reached us inside a list or block quote before it: a line left of the item's text
 * right after an item's paragraph is a lazy continuation of that paragraph for CommonMark, where Pandoc ends the
 * list (or quote) and reads the fence. Taken off the end of the container's last paragraph, as close markers.
 */
function lazyCloses(node: RootContent, source: string): Fence[] {
  let last: RootContent | undefined = node
  while (last && (last.type === 'list' || last.type === 'listItem' || last.type === 'blockquote')) last = last.children.at(-1)
  if (last === node || last?.type !== 'paragraph') return []
  const text = last.children.at(-1)
  if (text?.type !== 'text') return []
  const closes: Fence[] = []
  const lines = text.value.split('\n')
  let lineEnd = last.position?.end.offset
  while (lines.length > 1 && lineEnd !== undefined && closeFence.test(lines.at(-1) ?? '')) {
    const lineStart = source.lastIndexOf('\n', lineEnd - 1) + 1
    const indent = /^[ \t]*/.exec(source.slice(lineStart, lineEnd))?.[0].length ?? 0
    // Indented as far as the paragraph, the fence belongs to the item (it closes a div inside it, or it is text); less
    // far, it is the lazy line (in a definition or an item, a list's own margin is further in than column 1).
    if (source[lineStart + indent] !== ':' || indent + 1 >= (last.position?.start.column ?? 1)) break
    const value = lines.pop() ?? ''
    const line = (last.position?.end.line ?? 0) - closes.length
    closes.unshift({ type: 'close', lazyIn: text, at: { type: 'paragraph', children: [{ type: 'text', value }], position: { start: { line, column: 1, offset: lineStart }, end: { line, column: value.length + 1, offset: lineStart + value.length } } } })
    lineEnd = lineStart - 1
  }
  if (closes.length === 0) return []
  text.value = lines.join('\n')
  return closes
}

/**
 * A paragraph cut before each closing fence line inside it, and before an opening one right after it, so each fence
 * is a first line for `splitFences`: a div closed and the next opened with no blank line between (`:::` then
 * `::: aside`) are two fences, as Pandoc reads them, not text.
 * Only a fence line held whole in one text node is seen (one with Markdown in its attributes is not).
 */
function splitAtFenceLines(paragraph: Paragraph, places: Places): Paragraph[] {
  // One pass over the text, cut where the lines are: a run of thousands of `:::` lines costs no more than its length.
  const cuts = fenceLineCuts(paragraph)
  if (cuts.length === 0) return [paragraph]
  const { children, position } = paragraph
  const pieces: Paragraph[] = []
  let from = { index: 0, at: -1, line: position?.start.line ?? 0 }
  for (const cut of [...cuts, undefined]) {
    const last = cut ?? { index: children.length - 1, at: Infinity, line: 0 }
    const own: Paragraph['children'] = []
    for (let index = from.index; index <= last.index; index++) {
      const child = children[index]
      if (!child) continue
      if (child.type !== 'text' || (index !== from.index && index !== last.index)) {
        own.push(child)
        continue
      }
      const start = index === from.index ? from.at + 1 : 0
      const value = child.value.slice(start, index === last.index ? last.at : undefined)
      // A text node cut at its start begins at the fence line, in column 1; one cut only at its end keeps its place.
      own.push(start > 0 && child.position ? { ...child, value, position: { start: places.lineStart(from.line), end: child.position.end } } : { ...child, value })
    }
    const piece: Paragraph = { ...paragraph, children: own }
    if (position) {
      piece.position = {
        start: pieces.length === 0 ? position.start : places.lineStart(from.line),
        end: cut ? places.lineEnd(cut.line - 1) : position.end,
      }
    }
    pieces.push(piece)
    if (cut) from = cut
  }
  return pieces
}

/** Points at the start and end of a file's lines, with their offsets (the layout commands read the source by them). */
interface Places {
  lineStart(line: number): Point
  lineEnd(line: number): Point
}

const placesOfFiles = new WeakMap<VFile, Places>()

function placesIn(file: VFile): Places {
  let places = placesOfFiles.get(file)
  if (!places) {
    const source = String(file.value ?? '')
    const place = location(file)
    const lineStart = (line: number): Point => {
      const offset = place.toOffset({ line, column: 1 })
      return offset === undefined ? { line, column: 1 } : { line, column: 1, offset }
    }
    const lineEnd = (line: number): Point => {
      const next = place.toOffset({ line: line + 1, column: 1 })
      const offset = next === undefined ? source.length : next - 1
      const start = place.toOffset({ line, column: 1 })
      return start === undefined ? { line, column: 1 } : { line, column: offset - start + 1, offset }
    }
    places = { lineStart, lineEnd }
    placesOfFiles.set(file, places)
  }
  return places
}

/** Where `splitAtFenceLines` cuts: the line break before each fence line, with the line that fence is on. */
function fenceLineCuts(paragraph: Paragraph): { index: number; at: number; line: number }[] {
  const cuts: { index: number; at: number; line: number }[] = []
  const lastIndex = paragraph.children.length - 1
  for (const [index, child] of paragraph.children.entries()) {
    if (child.type !== 'text') continue
    let line = child.position?.start.line ?? 0
    let previousStart = 0
    let at = child.value.indexOf('\n')
    while (at !== -1) {
      line++
      const next = child.value.indexOf('\n', at + 1)
      const text = child.value.slice(at + 1, next === -1 ? undefined : next)
      const whole = next !== -1 || index === lastIndex
      // A close on the paragraph's last line is `splitFences`' to take.
      const isLast = next === -1 && index === lastIndex
      // An opening fence cannot break into a paragraph, in Pandoc: only one right after a closing fence opens a div.
      const previous = child.value.slice(previousStart, at)
      if (whole && ((openFence.test(text) && closeFence.test(previous)) || (closeFence.test(text) && !isLast))) cuts.push({ index, at, line })
      previousStart = at + 1
      at = next
    }
  }
  return cuts
}

/** Splits `::: {#x}` first lines and `:::` last lines off a paragraph. */
function splitFences(paragraph: Paragraph, source: string, places: Places): (RootContent | Fence)[] {
  const first = paragraph.children[0]
  const before: Fence[] = []
  const after: Fence[] = []
  if (first?.type === 'text') {
    // The fence lines are read where they are and cut off once: a run of them costs no more than its length.
    let cursor = 0
    let lines = 0
    while (cursor < first.value.length) {
      const end = first.value.indexOf('\n', cursor)
      const line = first.value.slice(cursor, end === -1 ? undefined : end)
      const open = openFence.exec(line)
      if (!open && !closeFence.test(line)) break
      const attrs = open ? (open[1] === undefined ? { className: [open[2] ?? ''] } : parseAttributes(open[1])) : undefined
      if (open && !attrs) break
      const start = first.position && { line: first.position.start.line + lines, column: lines === 0 ? first.position.start.column : 1 }
      const position = start && { start, end: { line: start.line, column: start.column + line.length } }
      before.push(
        open
          ? { type: 'open', node: { type: 'fencedDiv', children: [], position, data: { hName: 'div', hProperties: safeProperties(attrs ?? {}) } } }
          : { type: 'close', at: { type: 'paragraph', children: [{ type: 'text', value: line }], position } },
      )
      lines++
      cursor = end === -1 ? first.value.length : end + 1
    }
    if (lines > 0) {
      first.value = first.value.slice(cursor)
      if (first.position && first.value !== '') first.position = { ...first.position, start: { line: first.position.start.line + lines, column: 1 } }
    }
  }
  const last = paragraph.children.at(-1)
  if (last?.type === 'text') {
    const lines = last.value.split('\n')
    let lineEnd = paragraph.position?.end.offset
    while (lines.length > 1 && closeFence.test(lines.at(-1) ?? '')) {
      const value = lines.pop() ?? ''
      const endPoint = paragraph.position?.end
      let position: Paragraph['position']
      if (endPoint && lineEnd !== undefined) {
        // Where the fence line is in the source, for the message about a close without an open.
        const lineStart = source.lastIndexOf('\n', lineEnd - 1) + 1
        const column = source.indexOf(':', lineStart) - lineStart + 1
        const line = endPoint.line - after.length
        position = { start: { line, column, offset: lineStart + column - 1 }, end: { line, column: column + value.length, offset: lineStart + column - 1 + value.length } }
        lineEnd = lineStart - 1
      }
      after.unshift({ type: 'close', at: { type: 'paragraph', children: [{ type: 'text', value }], ...(position ? { position } : {}) } })
    }
    last.value = lines.join('\n').replace(/\n$/, '')
    // What is left ends with the line before the fence lines taken off its end.
    const end = paragraph.position?.end
    if (end && after.length > 0) paragraph.position = { start: paragraph.position?.start ?? end, end: places.lineEnd(end.line - after.length) }
  }
  // And it starts on the line after those taken off its start.
  const start = paragraph.position?.start
  if (before.length > 0 && start && paragraph.position) paragraph.position = { ...paragraph.position, start: places.lineStart(start.line + before.length) }
  paragraph.children = paragraph.children.filter((child) => child.type !== 'text' || child.value !== '')
  const body = paragraph.children.length > 0 ? [paragraph] : []
  return [...before, ...body, ...after]
}
