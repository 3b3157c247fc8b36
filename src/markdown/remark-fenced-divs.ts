// Turns Pandoc fenced divs (`::: {#refs}` … `:::`) into `fencedDiv` nodes; unbalanced fences stay as text.
import type { Paragraph, Parent, Root, RootContent, Text } from 'mdast'
import type { VFile } from 'vfile'
import { parseAttributes, safeProperties } from './attributes.js'
import type { FencedDiv } from './types.js'

const openFence = /^:{3,}[ \t]*(?:\{([^{}]*)\}|([\w-]+))[ \t]*:*[ \t]*$/
const closeFence = /^:{3,}[ \t]*$/

type Fence = { type: 'open'; node: FencedDiv } | { type: 'close'; at: RootContent }

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
  for (const child of parent.children) {
    if (child.type === 'paragraph') items.push(...splitFences(joinOpeningLine(child, file)))
    else items.push(child)
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
  for (const open of stack.reverse()) {
    file.message('Fenced div is never closed with `:::`; closing it at the end of its parent', {
      place: open.div.position,
      ruleId: 'unbalanced-div',
      source: 'galley:markdown',
    })
    open.div.children = open.children as FencedDiv['children']
    const outer = stack.find((entry) => entry.children.includes(open.div))
    ;(outer?.children ?? root).push(open.div)
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
  if (first?.type !== 'text' || !first.value.startsWith(':::') || first.value.includes('\n') || paragraph.children.length < 2 || start === undefined) return paragraph
  const source = String(file.value ?? '')
  const lineEnd = source.indexOf('\n', start)
  const end = lineEnd === -1 ? source.length : lineEnd
  const line = source.slice(start, end).replace(/\r$/, '')
  if (!openFence.test(line)) return paragraph
  const rest: Paragraph['children'] = []
  for (const child of paragraph.children) {
    const childStart = child.position?.start.offset
    const childEnd = child.position?.end.offset
    if (childStart === undefined || childEnd === undefined) return paragraph
    if (childEnd <= end) continue
    if (childStart < end) {
      // The text node the line ends in: its part after the line break stays.
      if (child.type !== 'text') return paragraph
      const cut = child.value.indexOf('\n')
      if (cut === -1) return paragraph
      rest.push({ ...child, value: child.value.slice(cut + 1) })
    } else rest.push(child)
  }
  const lineStart = paragraph.position?.start
  const fence = { ...first, value: rest.length > 0 ? `${line}\n` : line, ...(lineStart ? { position: { start: lineStart, end: { line: lineStart.line, column: lineStart.column + line.length, offset: end } } } : {}) }
  // The fence line and what follows it are one text node, as `splitFences` expects them.
  const next = rest[0]
  if (next?.type === 'text') {
    rest[0] = { ...next, value: fence.value + next.value }
    if (fence.position && next.position) rest[0].position = { start: fence.position.start, end: next.position.end }
    return { ...paragraph, children: rest }
  }
  return { ...paragraph, children: [{ ...fence, value: line }, ...rest] }
}

/** Splits `::: {#x}` first lines and `:::` last lines off a paragraph. */
function splitFences(paragraph: Paragraph): (RootContent | Fence)[] {
  const first = paragraph.children[0]
  const before: Fence[] = []
  const after: Fence[] = []
  if (first?.type === 'text') {
    for (;;) {
      const line = firstLine(first)
      const open = openFence.exec(line)
      if (!open && !closeFence.test(line)) break
      const attrs = open ? (open[1] === undefined ? { className: [open[2] ?? ''] } : parseAttributes(open[1])) : undefined
      if (open && !attrs) break
      before.push(
        open
          ? { type: 'open', node: { type: 'fencedDiv', children: [], position: linePosition(first), data: { hName: 'div', hProperties: safeProperties(attrs ?? {}) } } }
          : { type: 'close', at: { type: 'paragraph', children: [{ type: 'text', value: line }], position: linePosition(first) } },
      )
      dropFirstLine(first)
      if (first.value === '') break
    }
  }
  const last = paragraph.children.at(-1)
  if (last?.type === 'text') {
    const lines = last.value.split('\n')
    while (lines.length > 1 && closeFence.test(lines.at(-1) ?? '')) {
      after.unshift({ type: 'close', at: { type: 'paragraph', children: [{ type: 'text', value: lines.pop() ?? '' }] } })
    }
    last.value = lines.join('\n').replace(/\n$/, '')
  }
  paragraph.children = paragraph.children.filter((child) => child.type !== 'text' || child.value !== '')
  const body = paragraph.children.length > 0 ? [paragraph] : []
  return [...before, ...body, ...after]
}

function firstLine(text: Text): string {
  const end = text.value.indexOf('\n')
  return end === -1 ? text.value : text.value.slice(0, end)
}

function dropFirstLine(text: Text): void {
  const end = text.value.indexOf('\n')
  text.value = end === -1 ? '' : text.value.slice(end + 1)
  if (text.position && end !== -1) {
    text.position = { ...text.position, start: { line: text.position.start.line + 1, column: 1 } }
  }
}

function linePosition(text: Text): FencedDiv['position'] {
  if (!text.position) return undefined
  const { line, column } = text.position.start
  return { start: { line, column }, end: { line, column: column + firstLine(text).length } }
}
