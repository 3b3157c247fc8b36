// Quarto's shortcodes (`{{< name args >}}`): `{{< pagebreak >}}` alone is a page break, `{{< include file >}}` alone is
// marked for `expandIncludes` (quarto-include.ts); any other is reported where it stands.
import type { Paragraph, Root, RootContent, Text } from 'mdast'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { SKIP, visit } from '../tree-visit.js'
import type { FencedDiv } from './types.js'

const shortcode = /\{\{<\s*([\w-]+)([^>]*?)>\}\}/g
const pagebreak = /^\{\{<\s*pagebreak\s*>\}\}[ \t]*$/
/** `{{< include FILE >}}` alone (FILE quoted or not), as a line or a paragraph is. */
export const includeShortcode = /^\{\{<\s*include\s+(?:"([^"]+)"|'([^']+)'|(\S+))\s*>\}\}[ \t]*$/

/**
 * Galley runs no Quarto, so a shortcode would pass silently as text: a paragraph of only `{{< pagebreak >}}` becomes
 * the page break `\newpage` makes (`galley-page-break`), and every other shortcode is reported at its place, with what
 * to do instead for `include`, and stays as written (Pandoc too keeps it as text).
 */
export function remarkQuartoShortcodes() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!source.includes('{{<')) return
    const place = location(file)
    visit(tree, (node, index, parent) => {
      if (node.type === 'paragraph' && parent && index !== undefined && isPagebreak(node, source)) {
        const marker: FencedDiv = { type: 'fencedDiv', children: [], position: node.position, data: { hName: 'div', hProperties: { className: ['galley-page-break'] } } }
        ;(parent.children as RootContent[]).splice(index, 1, marker)
        return [SKIP, index + 1]
      }
      if (node.type === 'paragraph') {
        const included = includedFile(node, source)
        // Carried out after the parse, with the file it names parsed on its own; until then, it is the text as written.
        if (included !== undefined) {
          node.data = { ...node.data, quartoInclude: included }
          // A paragraph a pass rebuilt may start on the line before (a div's opening): its text is where the include is.
          const text = node.children[0]
          if (node.children.length === 1 && text?.position && node.position && text.position.start.line > node.position.start.line) node.position = text.position
          return SKIP
        }
      }
      if (node.type !== 'text' || !node.value.includes('{{<')) return undefined
      const text = node as Text
      // Found in the node's stretch of the source, in order: earlier passes may have changed the text around it.
      let from = text.position?.start.offset
      const end = text.position?.end.offset
      for (const match of text.value.matchAll(shortcode)) {
        const name = match[1] ?? ''
        const at = from === undefined ? -1 : source.indexOf(match[0], from)
        const point = at !== -1 && end !== undefined && at < end ? place.toPoint(at) : text.position?.start
        if (at !== -1) from = at + match[0].length
        const argument = (match[2] ?? '').trim()
        const advice = name === 'include' && argument ? `: an include is carried out only alone on its line, else name ${argument} as an input file in its place` : ''
        file.message(`Quarto's \`${match[0]}\` is not run (Galley runs no Quarto) and stays as written${advice}`, {
          ...(point ? { place: point } : {}),
          ruleId: 'quarto-shortcode',
          source: 'galley:markdown',
        })
      }
      return undefined
    })
  }
}

/** The file a paragraph of only `{{< include FILE >}}` names (quoted or not), as written. */
function includedFile(paragraph: Paragraph, source: string): string | undefined {
  const start = paragraph.position?.start.offset
  const end = paragraph.position?.end.offset
  // As written; or, where a pass rebuilt the paragraph (a div's first line taken off it), its one text.
  const only = paragraph.children.length === 1 && paragraph.children[0]?.type === 'text' ? paragraph.children[0].value.trim() : undefined
  const match = (start !== undefined && end !== undefined ? includeShortcode.exec(source.slice(start, end)) : null) ?? (only === undefined ? null : includeShortcode.exec(only))
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined
}

function isPagebreak(paragraph: Paragraph, source: string): boolean {
  const start = paragraph.position?.start.offset
  const end = paragraph.position?.end.offset
  return start !== undefined && end !== undefined && pagebreak.test(source.slice(start, end))
}
