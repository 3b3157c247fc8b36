// Smart punctuation for citation prefixes and suffixes, which the Markdown stage leaves as written (`--` → `–`).
import type { Root, Text } from 'mdast'
import remarkSmartypants from 'remark-smartypants'
import { unified } from 'unified'

// The same settings as the Markdown stage, so `pp. 33--35` and "quotes" look like the running text around them.
const processor = unified().use(remarkSmartypants, { dashes: 'oldschool' }).freeze()

/** `33--35` → `33–35`, `---` → `—`, `...` → `…`, straight quotes → curly ones (English, as Pandoc's Markdown reader). */
export function smartPunctuation(text: string): string {
  if (!/["'`]|--|\.\.\./.test(text)) return text
  const node: Text = { type: 'text', value: text }
  const tree: Root = { type: 'root', children: [{ type: 'paragraph', children: [node] }] }
  processor.runSync(tree)
  return node.value
}
