// Pandoc's line blocks (`| ` lines: verse, addresses), which CommonMark reads as a paragraph: its lines kept, as Pandoc's `<div class="line-block">`.
import type { Paragraph, PhrasingContent, Root, Text } from 'mdast'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { visit } from '../tree-visit.js'
import { alignToSource } from './remark-pandoc-citations.js'

/** A line of a line block as written: `|` then a space or the line's end. */
const marker = /^\|(?: |$)/

/**
 * A paragraph whose source lines all start with `| ` (a new line of the block) or with a space (the line before it
 * goes on) is a line block: each new line starts after a break, its leading spaces kept as no-break spaces (as
 * Pandoc writes them), a continued line joined to the one before. The inline Markdown is the paragraph's own, so
 * citations, notes and emphasis inside a line work as anywhere; markup that runs from one line into the next
 * (Pandoc reads each line alone) leaves the paragraph as it was, with a warning.
 */
export function remarkLineBlocks() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!/(?:^|\n)[ \t>]*\|/.test(source)) return
    let place: ReturnType<typeof location> | undefined
    visit(tree, 'paragraph', (paragraph: Paragraph) => {
      const start = paragraph.position?.start.offset
      const end = paragraph.position?.end.offset
      if (start === undefined || end === undefined || source[start] !== '|' || !isLineBlock(source.slice(start, end), (paragraph.position?.start.column ?? 1) - 1)) return
      place ??= location(file)
      const children = splitLines(paragraph.children, source, place)
      if (!children) {
        file.message('Line block left as a paragraph: inline markup runs from one of its lines into the next', { place: paragraph.position, ruleId: 'line-block', source: 'galley:markdown' })
        return
      }
      paragraph.children = children
      paragraph.data = { ...paragraph.data, hName: 'div', hProperties: { className: ['line-block'] } }
    })
  }
}

/** Every line a new line (`| `) or a continuation (a space), past the `indent` columns its container takes. */
function isLineBlock(text: string, indent: number): boolean {
  const lines = text.split(/\r?\n/)
  return lines.every((line, index) => {
    const own = index === 0 ? line : line.slice(indent)
    return marker.test(own) || (index > 0 && /^[ \t]/.test(own))
  })
}

function splitLines(children: readonly PhrasingContent[], source: string, place: ReturnType<typeof location>): PhrasingContent[] | undefined {
  const result: PhrasingContent[] = []
  let lineStart = true
  for (const child of children) {
    if (child.type === 'break') {
      // A hard break at a line's end: the next line's marker makes the break.
      lineStart = true
      continue
    }
    if (child.type !== 'text') {
      if (child.type !== 'footnoteReference' && 'children' in child && hasNewline(child)) return undefined
      if (lineStart) return undefined
      result.push(child)
      continue
    }
    const from = child.position?.start.offset
    const to = child.position?.end.offset
    const alignment = from === undefined || to === undefined ? undefined : alignToSource(child.value, source.slice(from, to), from)
    const lines = child.value.split('\n')
    let at = 0
    lines.forEach((line, index) => {
      if (index > 0) lineStart = true
      let text = line
      let offset = at
      if (lineStart) {
        const mark = marker.exec(text)
        if (mark && !alignment?.escaped[offset]) {
          if (result.length > 0) result.push({ type: 'break' })
          text = text.slice(mark[0].length)
          offset += mark[0].length
          const spaces = /^[ \t]*/.exec(text)?.[0].length ?? 0
          if (spaces > 0) result.push({ type: 'text', value: '\u00a0'.repeat(spaces) })
          text = text.slice(spaces)
          offset += spaces
        } else if (index > 0) {
          // A continued line: joined to the one before with a space.
          result.push({ type: 'text', value: ' ' })
        }
      }
      if (text !== '') result.push(positioned(text, offset, alignment?.offset, to, place))
      at += line.length + 1
      lineStart = false
    })
  }
  return result
}

function positioned(value: string, index: number, offsets: number[] | undefined, nodeEnd: number | undefined, place: ReturnType<typeof location>): Text {
  const start = offsets?.[index]
  const end = offsets?.[index + value.length] ?? nodeEnd
  const from = start === undefined ? undefined : place.toPoint(start)
  const to = end === undefined ? undefined : place.toPoint(end)
  return from && to && start !== undefined && end !== undefined ? { type: 'text', value, position: { start: { ...from, offset: start }, end: { ...to, offset: end } } } : { type: 'text', value }
}

function hasNewline(node: PhrasingContent): boolean {
  if (node.type === 'text') return node.value.includes('\n')
  return 'children' in node && node.children.some((child) => hasNewline(child as PhrasingContent))
}
