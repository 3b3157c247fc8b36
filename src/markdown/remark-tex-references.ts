// LaTeX's `\ref{x}`, `\eqref{x}`, `\autoref{x}`, `\cref{x}` in the text: cross-references (`remarkCrossref`), not raw TeX.
import type { PhrasingContent, Root, Text } from 'mdast'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { SKIP, visit } from '../tree-visit.js'
import { escapedIn } from './remark-raw-tex.js'
import type { Citation } from './types.js'

const command = /\\(eqref|ref|autoref|cref|Cref)\{([^{}\s]+)\}/g

/**
 * Pandoc leaves these out of HTML with the rest of raw TeX, so a paper written for LaTeX loses "see (3)". Here each
 * becomes a citation node marked with its command, which the cross-reference pass turns into the label's number,
 * linked (`\eqref` in parentheses, `\autoref` and `\cref` with the word, as LaTeX's hyperref and cleveref write
 * them). Escaped (`\\ref`), they stay text. Runs before `remarkRawTex`, which would drop them.
 */
export function remarkTexReferences() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    let place: ReturnType<typeof location> | undefined
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes('ref{')) return undefined
      const escaped = escapedIn(node, source)
      const start = node.position?.start.offset
      const asWritten = start !== undefined && source.slice(start, node.position?.end.offset) === node.value
      const parts: PhrasingContent[] = []
      let from = 0
      for (const match of node.value.matchAll(command)) {
        if (escaped(match.index)) continue
        place ??= location(file)
        const point = (asWritten && place.toPoint(start + match.index)) || node.position?.start
        const at = point ? { line: point.line, column: point.column } : { line: 0, column: 0 }
        if (match.index > from) parts.push({ type: 'text', value: node.value.slice(from, match.index) })
        const citation: Citation = {
          type: 'citation',
          mode: 'normal',
          items: [{ key: match[2] ?? '', prefix: '', suffix: '', suppressAuthor: false, start: at }],
          value: match[0],
          texCommand: match[1] as NonNullable<Citation['texCommand']>,
          position: { start: at, end: { line: at.line, column: at.column + match[0].length } },
        }
        parts.push(citation)
        from = match.index + match[0].length
      }
      if (parts.length === 0) return undefined
      if (from < node.value.length) parts.push({ type: 'text', value: node.value.slice(from) })
      parent.children.splice(index, 1, ...parts)
      return [SKIP, index + parts.length]
    })
  }
}
