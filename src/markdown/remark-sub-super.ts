// Pandoc's `superscript` and `subscript` extensions: `2^10^` and `H~2~O`, read from the text that CommonMark leaves.
import type { Emphasis, PhrasingContent, Root, Text } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from '../tree-visit.js'

/** `^…^` (not `^[`, which opens an inline note in Pandoc) and single `~…~` with no unescaped space inside (`~~…~~` is strikeout). */
const pattern = /(?<![\^\\])\^(?!\[)((?:[^\s^\\]|\\[^\s])+)\^|(?<![~\\])~((?:[^\s~\\]|\\[^\s])+)~(?!~)/g

/**
 * Rewrites the marked runs of text nodes as `sup`/`sub` elements (an mdast emphasis node carrying `hName`, which
 * mdast-util-to-hast honours, since mdast has no node of its own for them). A node whose text differs from its source
 * (it held escapes or entities) is read only when the source shows no backslash, so `\^` and `\~` stay text.
 */
export function remarkSubSuper() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    visit(tree, 'text', (node, index, parent) => {
      if (index === undefined || !parent || !/[\^~]/.test(node.value)) return
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      const written = start === undefined || end === undefined ? node.value : source.slice(start, end)
      if (written !== node.value && written.includes('\\')) return
      const parts = split(node)
      if (!parts) return
      parent.children.splice(index, 1, ...parts)
      return index + parts.length
    })
  }
}

function split(node: Text): PhrasingContent[] | undefined {
  const parts: PhrasingContent[] = []
  let from = 0
  pattern.lastIndex = 0
  for (let match = pattern.exec(node.value); match; match = pattern.exec(node.value)) {
    if (match.index > from) parts.push({ type: 'text', value: node.value.slice(from, match.index) })
    const superscript = match[1] !== undefined
    const content = (superscript ? match[1] : match[2]) ?? ''
    const element: Emphasis = { type: 'emphasis', data: { hName: superscript ? 'sup' : 'sub' }, children: [{ type: 'text', value: content.replace(/\\(.)/g, '$1') }] }
    parts.push(element)
    from = match.index + match[0].length
  }
  if (from < node.value.length) parts.push({ type: 'text', value: node.value.slice(from) })
  return from === 0 ? undefined : parts
}
