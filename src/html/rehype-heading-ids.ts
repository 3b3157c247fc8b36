// Gives every heading without an id one made from its text as written (`remarkHeadingIdText`), by Pandoc's
// auto_identifiers, the default of its Markdown: links written for Pandoc (`[see](#results)`) find the same heading.
import type { Element, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from '../tree-visit.js'

const heading = /^h[1-6]$/

export function rehypeHeadingIds() {
  return (tree: Root): void => {
    // Every id in the document is taken, those after a heading too: one walk finds them and the headings.
    const taken = new Set<string>()
    const headings: Element[] = []
    visit(tree, 'element', (node) => {
      if (typeof node.properties['id'] === 'string') taken.add(node.properties['id'])
      else if (heading.test(node.tagName) && node.properties['id'] === undefined) headings.push(node)
    })
    for (const node of headings) {
      const base = pandocIdentifier(node.data?.idText ?? toString(node)) || 'section'
      let id = base
      for (let n = 1; taken.has(id); n++) id = `${base}-${n}`
      taken.add(id)
      node.properties['id'] = id
    }
  }
}

/**
 * Pandoc's `inlineListToIdentifier` without GitHub's flavour: lower case; only letters, numbers, spaces, `_`, `-`
 * and `.` kept; words joined by `-`; nothing before the first letter (`1. Introduction` is `introduction`).
 */
export function pandocIdentifier(text: string): string {
  const kept = text.toLowerCase().replace(/[^\p{L}\p{N}\s_.-]/gu, '')
  const joined = kept.split(/\s+/u).filter((word) => word !== '').join('-')
  return joined.replace(/^\P{L}+/u, '')
}
