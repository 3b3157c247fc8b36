// Fills in references to sections (`@sec:x`, `@sec-x`, made by `remarkCrossref`) once the headings have their ids and
// numbers: the heading's number when sections are numbered, else its title.
import type { Element, ElementContent, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from '../tree-visit.js'

const heading = /^h[1-6]$/

/**
 * pandoc-crossref always counts sections itself; Galley shows what the reader sees at the heading instead: its number
 * as the HTML stage wrote it (`data-number`, Pandoc's `--number-sections` markup), or, in a book whose headings are not
 * numbered, its title, as LaTeX's `\nameref` does.
 */
export function rehypeCrossrefSections() {
  return (tree: Root): void => {
    const references: Element[] = []
    const headings = new Map<string, Element>()
    visit(tree, 'element', (node) => {
      if (node.properties['dataCrossrefSection'] !== undefined) references.push(node)
      else if (heading.test(node.tagName) && typeof node.properties['id'] === 'string') headings.set(node.properties['id'], node)
    })
    for (const reference of references) {
      const target = headings.get(decodeURIComponent(String(reference.properties['href'] ?? '').slice(1)))
      const asText = reference.properties['dataCrossrefSection'] === 'text'
      delete reference.properties['dataCrossrefSection']
      if (!target) continue
      reference.children = [...reference.children, { type: 'text', value: sectionText(target) }]
      if (asText) Object.assign(reference, { tagName: 'span', properties: { className: ['crossref'] } })
    }
  }
}

/** A heading's number, or its title without a number. */
function sectionText(node: Element): string {
  const number = node.properties['dataNumber']
  if (typeof number === 'string' || typeof number === 'number') return String(number)
  const isNumber = (child: ElementContent): boolean =>
    child.type === 'element' && Array.isArray(child.properties['className']) && child.properties['className'].includes('header-section-number')
  return toString({ type: 'element', tagName: 'span', properties: {}, children: node.children.filter((child) => !isNumber(child)) }).trim()
}
