// Lets long URLs break at their slashes and dots in print (Chicago's rule), without adding characters to copy.
import type { Element, ElementContent, Root, Text } from 'hast'
import { SKIP, visit } from '../tree-visit.js'

const url = /(?:https?:\/\/|www\.|doi:)[^\s<>"]+/g

/** `<wbr>` after `/` and `//`, before `.`, `?`, `&`, `=`, `-`, `_`, `#`; a URL is never hyphenated. */
export function rehypeUrlBreaks() {
  return (tree: Root): void => {
    visit(tree, (node, index, parent) => {
      if (node.type === 'element' && ['code', 'pre', 'head', 'script', 'style'].includes((node as Element).tagName)) return SKIP
      if (node.type !== 'text' || !parent || index === undefined) return undefined
      const text = (node as Text).value
      if (!url.test(text)) return undefined
      url.lastIndex = 0
      const pieces: ElementContent[] = []
      let last = 0
      for (const match of text.matchAll(url)) {
        const start = match.index
        if (start > last) pieces.push({ type: 'text', value: text.slice(last, start) })
        for (const part of match[0].split(/(?<=\/+)(?!\/)|(?=[.?&=\-_#])/)) {
          if (part !== '') pieces.push({ type: 'text', value: part }, { type: 'element', tagName: 'wbr', properties: {}, children: [] })
        }
        pieces.pop()
        last = start + match[0].length
      }
      if (last < text.length) pieces.push({ type: 'text', value: text.slice(last) })
      parent.children.splice(index, 1, ...pieces)
      return [SKIP, index + pieces.length]
    })
  }
}
