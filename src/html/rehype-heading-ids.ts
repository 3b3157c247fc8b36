// Gives every heading without an id one made from its text, as Pandoc's auto_identifiers (GitHub flavour): the text
// as written (`remarkHeadingIdText`) for a heading from Markdown, its HTML text for one Galley adds.
import GithubSlugger from 'github-slugger'
import type { Element, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from '../tree-visit.js'

const heading = /^h[1-6]$/

export function rehypeHeadingIds() {
  return (tree: Root): void => {
    const slugger = new GithubSlugger()
    // Every id in the document is taken, those after a heading too: one walk finds them and the headings.
    const taken = new Set<string>()
    const headings: Element[] = []
    visit(tree, 'element', (node) => {
      if (typeof node.properties['id'] === 'string') taken.add(node.properties['id'])
      else if (heading.test(node.tagName) && node.properties['id'] === undefined) headings.push(node)
    })
    for (const node of headings) {
      let id = slugger.slug(node.data?.idText ?? toString(node)) || 'section'
      while (taken.has(id)) id = slugger.slug(id)
      taken.add(id)
      node.properties['id'] = id
    }
  }
}
