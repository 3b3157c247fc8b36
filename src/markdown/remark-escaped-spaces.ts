// Pandoc's escaped space: `p.\ 3`, `Dr.\ Smith` is a no-break space (all_symbols_escapable), which CommonMark leaves as a backslash.
import type { Root, Text } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from '../tree-visit.js'
import { alignToSource } from './remark-pandoc-citations.js'

/**
 * A backslash before a space, written as one (not the text of an escaped backslash, `a\\ b`), becomes a no-break
 * space. CommonMark keeps both characters, so the text node holds `\ ` and the source tells which backslashes were
 * written alone.
 */
export function remarkEscapedSpaces() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!source.includes('\\ ')) return
    visit(tree, 'text', (node: Text) => {
      if (!node.value.includes('\\ ')) return
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      const alignment = start === undefined || end === undefined ? undefined : alignToSource(node.value, source.slice(start, end), start)
      node.value = node.value.replace(/\\ /g, (match, at: number) => (alignment?.escaped[at] ? match : '\u00a0'))
    })
  }
}
