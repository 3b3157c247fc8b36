// LaTeX's `\ref{x}`, `\eqref{x}`, `\autoref{x}`, `\cref{x}` in the text: cross-references (`remarkCrossref`), not raw TeX.
import type { PhrasingContent, Root, Text } from 'mdast'
import type { Position } from 'unist'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { SKIP, visit } from '../tree-visit.js'
import { alignToSource } from './remark-pandoc-citations.js'
import type { Citation } from './types.js'

const command = /\\(eqref|ref|autoref|cref|Cref)\{([^{}\s]+)\}/g

/**
 * Pandoc leaves these out of HTML with the rest of raw TeX, so a paper written for LaTeX loses "see (3)". Here each
 * becomes a citation node marked with its command, which the cross-reference pass turns into the label's number,
 * linked (`\eqref` in parentheses, `\autoref` and `\cref` with the word, as LaTeX's hyperref and cleveref write
 * them). Escaped (`\\ref`), they stay text. Runs before `remarkRawTex`, which would drop them; the text around keeps
 * its place in the source, so that pass still tells an escaped backslash from a command.
 */
export function remarkTexReferences() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    let place: ReturnType<typeof location> | undefined
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes('ref{')) return undefined
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      if (start === undefined || end === undefined) return undefined
      const alignment = alignToSource(node.value, source.slice(start, end), start)
      place ??= location(file)
      const at = (offset: number | undefined) => {
        const point = offset === undefined ? undefined : place?.toPoint(offset)
        return point ? { line: point.line, column: point.column, offset: point.offset ?? offset ?? 0 } : undefined
      }
      const span = (from: number, to: number): Position | undefined => {
        const first = at(alignment.offset[from])
        const lastOffset = alignment.offset[to - 1]
        const last = at(lastOffset === undefined ? undefined : lastOffset + 1)
        return first && last ? { start: first, end: last } : undefined
      }
      const textPart = (from: number, to: number): Text => {
        const position = span(from, to)
        return { type: 'text', value: node.value.slice(from, to), ...(position ? { position } : {}) }
      }
      const parts: PhrasingContent[] = []
      let from = 0
      for (const match of node.value.matchAll(command)) {
        // A backslash written `\\` is text, as in Pandoc.
        if (alignment.escaped[match.index]) continue
        if (match.index > from) parts.push(textPart(from, match.index))
        const position = span(match.index, match.index + match[0].length) ?? node.position
        const citation: Citation = {
          type: 'citation',
          mode: 'normal',
          items: [{ key: match[2] ?? '', prefix: '', suffix: '', suppressAuthor: false, start: position?.start ?? { line: 0, column: 0 } }],
          value: match[0],
          texCommand: match[1] as NonNullable<Citation['texCommand']>,
          ...(position ? { position } : {}),
        }
        parts.push(citation)
        from = match.index + match[0].length
      }
      if (parts.length === 0) return undefined
      if (from < node.value.length) parts.push(textPart(from, node.value.length))
      parent.children.splice(index, 1, ...parts)
      return [SKIP, index + parts.length]
    })
  }
}
