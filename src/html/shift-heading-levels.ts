// Pandoc's `--shift-heading-level-by`: every heading of the book moved up or down by the same number of levels.
import type { Heading, Paragraph, Parent, Root, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from '../tree-visit.js'

/**
 * Adds `by` to each heading's depth, in place, as Pandoc does: a heading that would go below level 1 becomes a
 * paragraph and one beyond level 6 stays at 6. With a negative shift of N, a level-N heading that opens the book
 * (before any other block) becomes the title instead when `hasTitle` is false: its text is returned and the heading
 * removed.
 */
export function shiftHeadingLevels(book: Root, by: number, hasTitle: boolean): string | undefined {
  if (by === 0) return undefined
  let title: string | undefined
  const first = firstBlock(book)
  if (by < 0 && !hasTitle && first?.node.type === 'heading' && first.node.depth + by === 0) {
    title = toString(first.node)
    first.parent.children.splice(first.index, 1)
  }
  visit(book, 'heading', (node: Heading, index, parent) => {
    const depth = node.depth + by
    if (depth >= 1) {
      node.depth = Math.min(depth, 6) as Heading['depth']
      return
    }
    if (!parent || index === undefined) return
    const paragraph: Paragraph = { type: 'paragraph', children: node.children, ...(node.position ? { position: node.position } : {}) }
    parent.children[index] = paragraph as (typeof parent.children)[number]
  })
  return title
}

/** The book's first block, looking into its chapters (each input file is one; an empty one has none). */
function firstBlock(book: Root): { node: RootContent; parent: Parent; index: number } | undefined {
  for (const [index, node] of book.children.entries()) {
    if (node.type !== 'chapter') return { node, parent: book, index }
    const first = node.children[0]
    if (first !== undefined) return { node: first, parent: node, index: 0 }
  }
  return undefined
}
