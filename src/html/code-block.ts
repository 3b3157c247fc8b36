// A code block as HTML, in Pandoc's markup (`div.sourceCode > pre.sourceCode > code.sourceCode`), one span per line
// so print can wrap long lines under a hanging indent and number them (`.numberLines`, `startFrom`). A numbered
// listing's caption and wrapper come from `remarkCrossref`.
import type { Element, ElementContent, Properties } from 'hast'
import type { Code } from 'mdast'
import type { State } from 'mdast-util-to-hast'

/** Blocks shorter than this are never split across pages (`.short`, `break-inside: avoid` in print). */
export const shortBlockLines = 10

export function codeBlock(state: State, node: Code): Element {
  const attributes = node.data?.attributes
  const highlighted = node.data?.highlighted
  const classes = attributes?.classes ?? (node.lang ? [node.lang] : [])
  const numbered = attributes?.numberLines === true
  const start = attributes?.startFrom ?? 1
  const lines = splitLines(highlighted?.children ?? [{ type: 'text', value: node.value }])
  const children: ElementContent[] = []
  lines.forEach((line, index) => {
    if (index > 0) children.push({ type: 'text', value: '\n' })
    const properties: Properties = { className: ['line'] }
    if (numbered) properties['dataLine'] = String(start + index)
    children.push({ type: 'element', tagName: 'span', properties, children: line })
  })
  const code: Element = { type: 'element', tagName: 'code', properties: { className: ['sourceCode', ...(highlighted ? [highlighted.language] : [])] }, children }
  const preClasses = ['sourceCode', ...(numbered ? ['numberSource'] : []), ...classes]
  const pre: Element = { type: 'element', tagName: 'pre', properties: { className: preClasses }, children: [code] }
  const divClasses = ['sourceCode', ...(lines.length < shortBlockLines ? ['short'] : [])]
  const div: Element = {
    type: 'element',
    tagName: 'div',
    properties: { className: divClasses, ...(attributes?.id ? { id: attributes.id } : {}), ...attributes?.properties },
    children: [pre],
  }
  state.patch(node, div)
  return div
}

/**
 * The code's lines, each with its own copy of the spans it lies in: a token that runs over several lines (a block
 * comment, a docstring) is cut at each line end, so that each line is an element of its own.
 */
export function splitLines(nodes: readonly ElementContent[]): ElementContent[][] {
  const lines = split(nodes)
  // A block's final newline ends its last line; it opens no line of its own.
  if (lines.length > 1 && lines.at(-1)?.length === 0) lines.pop()
  return lines
}

function split(nodes: readonly ElementContent[]): ElementContent[][] {
  const lines: ElementContent[][] = [[]]
  const add = (content: ElementContent): void => {
    ;(lines.at(-1) as ElementContent[]).push(content)
  }
  for (const node of nodes) {
    if (node.type === 'text') {
      node.value.split('\n').forEach((part, index) => {
        if (index > 0) lines.push([])
        if (part !== '') add({ type: 'text', value: part })
      })
    } else if (node.type === 'element') {
      split(node.children).forEach((part, index) => {
        if (index > 0) lines.push([])
        if (part.length > 0) add({ ...node, children: part })
      })
    }
  }
  return lines
}
