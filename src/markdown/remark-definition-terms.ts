// Definition lists with Pandoc's one-line terms: lines read as several terms of one definition are a paragraph again.
import type { Paragraph, PhrasingContent, Root, RootContent, Text } from 'mdast'
import type { VFile } from 'vfile'
import { SKIP, visit } from '../tree-visit.js'
import type { DefinitionDescription, DefinitionList, DefinitionTerm } from './types.js'

/**
 * The definition-list extension reads PHP Markdown Extra's lists, where a definition may have several terms, one a
 * line; in Pandoc a term is one line, so two lines or more before a `:` line are a paragraph (`A line\nand another\n\n:
 * text` is that paragraph and a paragraph `: text`, a table caption when a table follows). Each run of such terms
 * becomes that paragraph, and the definitions after it paragraphs starting with their marker as written (a definition
 * right below, with no blank line, goes on in the same paragraph, as in Pandoc); the list's other items stay a list.
 */
export function remarkDefinitionTerms() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    visit(tree, 'defList', (list: DefinitionList, index, parent) => {
      if (!parent || index === undefined) return undefined
      const blocks = asPandoc(list, source)
      if (!blocks) return undefined
      ;(parent.children as RootContent[]).splice(index, 1, ...blocks)
      return [SKIP, index + blocks.length]
    })
  }
}

function asPandoc(list: DefinitionList, source: string): RootContent[] | undefined {
  const items = list.children
  if (!items.some((item, at) => item.type === 'defListTerm' && items[at + 1]?.type === 'defListTerm')) return undefined
  const blocks: RootContent[] = []
  let kept: DefinitionList['children'] = []
  const flush = (): void => {
    if (kept.length === 0) return
    const first = kept[0]?.position
    const last = kept.at(-1)?.position
    blocks.push({ ...list, children: kept, ...(first && last ? { position: { start: first.start, end: last.end } } : {}) })
    kept = []
  }
  for (let at = 0; at < items.length; ) {
    let end = at
    while (items[end]?.type === 'defListTerm') end++
    if (end - at < 2) {
      // One term and its definitions, or definitions: a list item as Pandoc reads it.
      kept.push(...items.slice(at, Math.max(end, at + 1)))
      at = Math.max(end, at + 1)
      while (items[at]?.type === 'defListDescription') kept.push(items[at++] as DefinitionDescription)
      continue
    }
    flush()
    const terms = items.slice(at, end) as DefinitionTerm[]
    const paragraph: Paragraph = { type: 'paragraph', children: terms.flatMap((term, n) => [...(n > 0 ? [lineBreak()] : []), ...term.children]) }
    const start = terms[0]?.position?.start
    const termsEnd = terms.at(-1)?.children.at(-1)?.position?.end
    if (start && termsEnd) paragraph.position = { start, end: termsEnd }
    blocks.push(paragraph)
    at = end
    while (items[at]?.type === 'defListDescription') {
      const description = items[at++] as DefinitionDescription
      const [first, ...rest] = description.children
      const marker = markerText(description, source)
      const lines: PhrasingContent[] = first?.type === 'paragraph' ? [...(marker ? [marker] : []), ...first.children] : []
      const previous = blocks.at(-1)
      if (!description.spread && rest.length === 0 && first?.type === 'paragraph' && previous?.type === 'paragraph') {
        previous.children.push(lineBreak(), ...lines)
        if (previous.position && first.position) previous.position = { start: previous.position.start, end: first.position.end }
        continue
      }
      if (first?.type === 'paragraph') {
        const own: Paragraph = { type: 'paragraph', children: lines }
        const from = marker?.position?.start ?? first.position?.start
        if (from && first.position) own.position = { start: from, end: first.position.end }
        blocks.push(own)
      } else if (first) blocks.push(first as RootContent)
      blocks.push(...(rest as RootContent[]))
    }
  }
  flush()
  return blocks
}

function lineBreak(): Text {
  return { type: 'text', value: '\n' }
}

/** The `:` (or `~`) and the spaces after it, as written before the definition's first line, with its position. */
function markerText(description: DefinitionDescription, source: string): Text | undefined {
  const point = description.position?.start
  if (point?.offset === undefined) return undefined
  const lineStart = source.lastIndexOf('\n', point.offset - 1) + 1
  const written = source.slice(lineStart, point.offset)
  const indent = written.length - written.trimStart().length
  const value = written.trimStart()
  if (!/^[:~]/.test(value)) return undefined
  const offset = lineStart + indent
  return { type: 'text', value, position: { start: { line: point.line, column: indent + 1, offset }, end: { line: point.line, column: indent + 1 + value.length, offset: offset + value.length } } }
}
