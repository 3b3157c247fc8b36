// Reads a short text (an affix, a figure description) as the inline Markdown of one paragraph.
import type { PhrasingContent } from 'mdast'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { InputError } from '../errors.js'
import { remarkDepthLimit } from './remark-depth-limit.js'
import { remarkPandocExtensions } from './remark-pandoc-extensions.js'
import { remarkSmartPunctuation } from './remark-smart-punctuation.js'

/** The inline content of `text` read with a manuscript's syntax, or undefined when it reads as anything but one paragraph. */
export function parseInline(text: string): PhrasingContent[] | undefined {
  let root
  try {
    // The depth limit stops `- - - …` early: deep lists or quotes are no paragraph anyway.
    root = unified().use(remarkParse).use(remarkPandocExtensions).use(remarkDepthLimit).parse(text)
  } catch (error) {
    if (error instanceof InputError) return undefined
    throw error
  }
  const only = root.children.length === 1 ? root.children[0] : undefined
  return only?.type === 'paragraph' ? only.children : undefined
}

/**
 * A metadata text (title, subtitle, thanks) read as Pandoc reads metadata: inline Markdown with smart punctuation, so
 * `Book's "Title" -- one` is `Book’s “Title” – one` in every output, as in the text.
 */
export function parseMetadataInline(text: string): PhrasingContent[] | undefined {
  const nodes = parseInline(text)
  if (nodes) remarkSmartPunctuation()({ type: 'root', children: [{ type: 'paragraph', children: nodes }] })
  return nodes
}
