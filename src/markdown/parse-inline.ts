// Reads a short text (an affix, a figure description) as the inline Markdown of one paragraph.
import type { PhrasingContent } from 'mdast'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { remarkPandocExtensions } from './remark-pandoc-extensions.js'

/** The inline content of `text` read with a manuscript's syntax, or undefined when it reads as anything but one paragraph. */
export function parseInline(text: string): PhrasingContent[] | undefined {
  const root = unified().use(remarkParse).use(remarkPandocExtensions).parse(text)
  const only = root.children.length === 1 ? root.children[0] : undefined
  return only?.type === 'paragraph' ? only.children : undefined
}
