// Pandoc Markdown that Galley does not read yet, reported where it stands instead of passing silently as text.
import type { Root, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Point, Position } from 'unist'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import type { RuleId } from '../diagnostics.js'
import { visit } from '../tree-visit.js'

/**
 * Warns, once per kind and file at the first place, about: Pandoc's `% Title` title block (not read as metadata);
 * `[Heading text]` written to link to a heading (implicit_header_references: the brackets stay text).
 */
export function remarkUnsupported() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    const warned = new Set<string>()
    const warn = (ruleId: RuleId, reason: string, place: Point | Position | undefined): void => {
      if (warned.has(ruleId)) return
      warned.add(ruleId)
      file.message(reason, { place, ruleId, source: 'galley:markdown' })
    }
    if (/^%[ \t]/.test(source)) {
      warn('title-block', 'A Pandoc title block (`% Title` lines) is not read as metadata: write a YAML block (`---`, `title: …`, `---`)', { line: 1, column: 1 })
    }
    const headings = new Set<string>()
    visit(tree, 'heading', (heading) => {
      headings.add(toString(heading).trim())
    })
    const place = location(file)
    visit(tree, (node) => {
      if (node.type === 'text' && headings.size > 0 && node.value.includes('[')) {
        const text = node as Text
        for (const match of text.value.matchAll(/\[([^[\]]+)\](?![([{])/g)) {
          if (!headings.has((match[1] ?? '').trim())) continue
          const offset = text.position?.start.offset
          const written = offset === undefined ? undefined : source.slice(offset, text.position?.end.offset)
          const point = offset !== undefined && written === text.value ? place.toPoint(offset + match.index) : undefined
          warn('heading-reference', `\`[${match[1]}]\` is not made a link to its heading (Pandoc's implicit header references): write \`[${match[1]}](#id)\``, point ?? text.position)
        }
      }
    })
  }
}
