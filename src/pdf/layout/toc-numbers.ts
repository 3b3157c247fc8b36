// TOC page numbers: the pages the headings, and the figures and tables the lists of figures and tables name, fell on.
import { columnOf } from './measure.js'
import type { Layout } from './state.js'

/** The ids of the figures and tables the lists of figures and tables (inside `#TOC`) point at. */
export function listTargets(): string[] {
  return [...document.querySelectorAll('#TOC .crossref-list a[href^="#"]')].map((link) => decodeURIComponent((link.getAttribute('href') ?? '').slice(1)))
}

/** Once a segment's pages are final: the page of each of its headings with an id, and of each listed target. */
export function recordPages(layout: Layout, segment: HTMLElement, targets: readonly string[]): void {
  const { found } = layout
  for (const heading of [...segment.querySelectorAll('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')] as HTMLElement[]) {
    found.headings.push({ id: heading.id, page: layout.pageBase + columnOf(layout, heading.getBoundingClientRect()) + 1, text: heading.textContent ?? '' })
  }
  for (const id of targets) {
    const element = document.getElementById(id)
    if (element && segment.contains(element)) found.targetPages.set(id, layout.pageBase + columnOf(layout, element.getBoundingClientRect()) + 1)
  }
}

/** Writes the pages into the contents' `.toc-page` numbers. */
export function writeTocNumbers(found: Layout['found']): void {
  const pageOf = new Map([...found.targetPages, ...found.headings.map((heading): [string, number] => [heading.id, heading.page])])
  for (const number of [...document.querySelectorAll('#TOC .toc-page')] as HTMLElement[]) {
    const href = number.closest('a')?.getAttribute('href') ?? ''
    number.textContent = String(pageOf.get(decodeURIComponent(href.slice(1))) ?? '')
  }
}
