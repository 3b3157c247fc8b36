// Numbers the headings as Pandoc's `--number-sections` does: `1`, `1.1`, `1.0.1`…, `.unnumbered` ones left out.
import type { Element, Root } from 'hast'
import { SKIP, visit } from '../tree-visit.js'
import { classNames } from './class-names.js'

export interface Options {
  /** Added to the number at each level, top level first (Pandoc's `--number-offset`). Default none. */
  offset?: readonly number[]
}

const heading = /^h([1-6])$/

/**
 * Each numbered heading gets Pandoc's HTML: `data-number="1.2"` and a first child
 * `<span class="header-section-number">1.2</span>` followed by a space. As in Pandoc, a heading counts at its level
 * and clears the levels below it; a skipped level shows as 0 (`2.0.1`); an `.unnumbered` heading (`{-}`) changes no
 * count, so the sections after it go on from the numbers before it. Headings in block quotes are not sections and
 * are not numbered. The notes' and the bibliography's headings are `.unnumbered` already.
 */
export function rehypeSectionNumbers(options: Readonly<Options> = {}) {
  const offset = options.offset ?? []
  return (tree: Root): void => {
    const counts = [0, 0, 0, 0, 0, 0]
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'blockquote') return SKIP
      const level = Number(heading.exec(node.tagName)?.[1] ?? 0)
      if (level === 0) return undefined
      if (classNames(node.properties['className']).includes('unnumbered')) return SKIP
      counts[level - 1] = (counts[level - 1] ?? 0) + 1
      counts.fill(0, level)
      const number = counts
        .slice(0, level)
        .map((count, index) => count + (offset[index] ?? 0))
        .join('.')
      node.properties['dataNumber'] = number
      node.children.unshift({ type: 'element', tagName: 'span', properties: { className: ['header-section-number'] }, children: [{ type: 'text', value: number }] }, { type: 'text', value: ' ' })
      return SKIP
    })
  }
}

/** Whether a child of a heading is the number `rehypeSectionNumbers` put there. */
export function isSectionNumber(node: Element['children'][number]): boolean {
  return node.type === 'element' && node.tagName === 'span' && classNames(node.properties['className']).includes('header-section-number')
}
