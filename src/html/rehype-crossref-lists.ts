// The lists of figures, tables and listings (`lof`, `lot`, `lol`), after the table of contents, with page numbers in the PDF.
import type { Element, ElementContent, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { h } from 'hastscript'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import { crossrefWords, type ListEntry } from '../markdown/remark-crossref.js'
import { SKIP, visit } from '../tree-visit.js'

export interface Options {
  metadata: Metadata
}

/**
 * pandoc-crossref's `\listoffigures` as Galley places it: a list of the labelled figures (and one of the tables, one
 * of the listings) in the contents' `nav`, each entry its number and caption with the dotted leader and the page
 * number the PDF layout pass fills in, as for the contents. A book without contents gets the `nav` for the lists
 * alone. The EPUB, whose contents are its navigation document, takes them from here into that document
 * (`epubLists`).
 */
export function rehypeCrossrefLists(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const { metadata, terms } = crossrefWords(options.metadata)
    const found = file.data.crossref
    if (!found || (!metadata.lof && !metadata.lot && !metadata.lol)) return
    const lists: Element[] = []
    if (metadata.lof && found.figures.length > 0) lists.push(list('lof', metadata.lofTitle ?? terms.lofTitle, found.figures))
    if (metadata.lot && found.tables.length > 0) lists.push(list('lot', metadata.lotTitle ?? terms.lotTitle, found.tables))
    if (metadata.lol && found.listings.length > 0) lists.push(list('lol', metadata.lolTitle ?? terms.lolTitle, found.listings))
    if (lists.length === 0) return
    let nav: Element | undefined
    let body: Element | undefined
    visit(tree, 'element', (node) => {
      if (node.tagName === 'nav' && node.properties['id'] === 'TOC') nav = node
      if (node.tagName === 'body') body = node
    })
    if (nav) {
      nav.children.push(...lists)
      return
    }
    const main = body?.children.findIndex((child) => child.type === 'element' && child.tagName === 'main') ?? -1
    if (body && main !== -1) body.children.splice(main, 0, h('nav#TOC', { role: 'doc-toc' }, lists) as ElementContent)
  }
}

export type ListKind = 'lof' | 'lot' | 'lol'

function list(id: ListKind, title: string, entries: readonly ListEntry[]): Element {
  return h(`section#${id}.crossref-list`, [
    h(`h1#${id}-title.unnumbered`, title),
    h(
      'ol',
      entries.map((entry) =>
        h('li', [
          h('a', { href: `#${entry.id}`, id: `${id}-${entry.id}` }, [
            h('span.toc-text', [h('span.list-number', `${entry.index}.`), ` ${entry.caption}`]),
            h('span.toc-leader'),
            h('span.toc-page', '000'),
          ]),
        ]),
      ),
    ),
  ])
}

/** A list of figures, tables or listings as the document shows it: its kind, title and entries. */
export interface ShownList {
  kind: ListKind
  title: string
  entries: { id: string; number: string; caption: string }[]
}

/** The lists this pass put in the document, read back from it in order (for the EPUB's navigation document). */
export function shownLists(tree: Root): ShownList[] {
  const lists: ShownList[] = []
  visit(tree, 'element', (node) => {
    const kind = node.properties['id']
    if (node.tagName !== 'section' || (kind !== 'lof' && kind !== 'lot' && kind !== 'lol')) return undefined
    const list: ShownList = { kind, title: '', entries: [] }
    visit(node, 'element', (child) => {
      if (child.properties['id'] === `${kind}-title`) list.title = toString(child)
      const href = child.properties['href']
      if (child.tagName !== 'a' || typeof href !== 'string') return undefined
      const text = child.children.find((part): part is Element => part.type === 'element' && classes(part).includes('toc-text'))
      const number = text?.children.find((part): part is Element => part.type === 'element' && classes(part).includes('list-number'))
      const numberText = number ? toString(number) : ''
      list.entries.push({ id: decodeURIComponent(href.slice(1)), number: numberText.replace(/\.$/, ''), caption: text ? toString(text).slice(numberText.length).trim() : '' })
      return undefined
    })
    lists.push(list)
    return SKIP
  })
  return lists
}

function classes(node: Element): string[] {
  const value = node.properties['className']
  return Array.isArray(value) ? value.map(String) : []
}
