// TOC page numbers: the pages the headings, and the figures, tables and listings their lists name, fell on.
import { columnOf, within } from './measure.js'
import type { Layout } from './state.js'

/** The ids of the figures, tables and listings their lists point at (inside `#TOC`, or where the text placed them). */
export function listTargets(): string[] {
  return [...document.querySelectorAll('.crossref-list a[href^="#"]')].map((link) => decodeURIComponent((link.getAttribute('href') ?? '').slice(1)))
}

/** Once the pages of a segment's `blocks` are final: the page of each heading with an id in them, and of each listed target. */
export function recordPages(layout: Layout, blocks: readonly Element[], targets: readonly string[]): void {
  const { found } = layout
  for (const heading of within(blocks, 'h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')) {
    found.headings.push({ id: heading.id, page: layout.pageBase + columnOf(layout, heading.getBoundingClientRect()) + 1, text: heading.textContent ?? '' })
  }
  for (const id of targets) {
    const element = document.getElementById(id)
    if (element && blocks.some((block) => block.contains(element))) found.targetPages.set(id, layout.pageBase + columnOf(layout, element.getBoundingClientRect()) + 1)
  }
}

/** Writes the pages into the `.toc-page` numbers of the contents and of the lists. */
export function writeTocNumbers(found: Pick<Layout['found'], 'headings' | 'targetPages'>): void {
  const pageOf = new Map([...found.targetPages, ...found.headings.map((heading): [string, number] => [heading.id, heading.page])])
  for (const number of [...document.querySelectorAll('#TOC .toc-page, .crossref-list .toc-page')] as HTMLElement[]) {
    const href = number.closest('a')?.getAttribute('href') ?? ''
    number.textContent = String(pageOf.get(decodeURIComponent(href.slice(1))) ?? '')
  }
}
