// Gives every heading without an id one made from its text, as Pandoc's auto_identifiers (GitHub flavour).
import GithubSlugger from 'github-slugger'
import type { Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from 'unist-util-visit'

const heading = /^h[1-6]$/

export function rehypeHeadingIds() {
  return (tree: Root): void => {
    const slugger = new GithubSlugger()
    const taken = new Set<string>()
    visit(tree, 'element', (node) => {
      if (typeof node.properties['id'] === 'string') taken.add(node.properties['id'])
    })
    visit(tree, 'element', (node) => {
      if (!heading.test(node.tagName) || node.properties['id'] !== undefined) return
      let id = slugger.slug(toString(node)) || 'section'
      while (taken.has(id)) id = slugger.slug(id)
      taken.add(id)
      node.properties['id'] = id
    })
  }
}
