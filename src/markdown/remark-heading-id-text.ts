// The text a heading's identifier is made from, as Pandoc 2.17 makes it: at parse time, so a citation counts as
// written (`[see @doe2020, p. 3]`, not "(see Doe 2020, 3)"), a note as its label (`[^src]` → `src`, where the HTML
// has its number) and an image as its description (which the HTML text leaves out). Kept on the heading for
// `rehypeHeadingIds`.
import type { Heading, Root, RootContent } from 'mdast'
import { SKIP, visit } from '../tree-visit.js'

export function remarkHeadingIdText() {
  return (tree: Root): void => {
    visit(tree, 'heading', (heading: Heading) => {
      heading.data = { ...heading.data, idText: textOf(heading.children) }
      return SKIP
    })
  }
}

function textOf(nodes: readonly RootContent[]): string {
  return nodes
    .map((node): string => {
      if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'citation') return node.value
      if (node.type === 'inlineMath' || node.type === 'displayMath') return node.value // Pandoc's stringify gives the TeX.
      if (node.type === 'footnoteReference') return node.label ?? node.identifier
      if (node.type === 'image') return node.alt ?? ''
      if (node.type === 'break') return ' '
      return 'children' in node ? textOf(node.children) : ''
    })
    .join('')
}
