// The lists of figures, tables and listings (`lof`, `lot`, `lol`), after the table of contents, with page numbers in the PDF.
import type { Element, ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import { crossrefWords, type ListEntry } from '../markdown/remark-crossref.js'
import { SKIP, visit } from '../tree-visit.js'

export interface Options {
  metadata: Metadata
}

export type ListKind = 'lof' | 'lot' | 'lol'

/**
 * The lists of the labelled figures, tables and listings, each entry its number and caption with the dotted leader
 * and the page number the PDF layout pass fills in, as for the contents: where the text asks for one with
 * pandoc-crossref's `\listoffigures`, `\listoftables` or `\listoflistings` (`remarkRawTex` left a `galley-list-of`
 * mark there), else, with `lof`, `lot`, `lol`, in the contents' `nav` (a book without contents gets the `nav` for the
 * lists alone). An entry's caption is the one the document shows (emphasis, formulas and citations as there). The
 * EPUB's navigation document takes the lists from here too (`shownLists`).
 */
export function rehypeCrossrefLists(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const { metadata, terms } = crossrefWords(options.metadata)
    const found = file.data.crossref
    if (!found || (!found.placed && !metadata.lof && !metadata.lot && !metadata.lol)) return
    const marks: { kind: ListKind; parent: Element | Root; node: Element }[] = []
    if (found.placed) {
      visit(tree, 'element', (node, _, parent) => {
        const kind = node.properties['dataList']
        if (parent && classes(node).includes('galley-list-of') && (kind === 'lof' || kind === 'lot' || kind === 'lol')) marks.push({ kind, parent, node })
      })
    }
    const captions = captionsOf(tree)
    const make = (kind: ListKind): Element | undefined => {
      const [entries, title] = kind === 'lof' ? [found.figures, metadata.lofTitle ?? terms.lofTitle] : kind === 'lot' ? [found.tables, metadata.lotTitle ?? terms.lotTitle] : [found.listings, metadata.lolTitle ?? terms.lolTitle]
      return entries.length > 0 ? list(kind, title, entries, captions) : undefined
    }
    // Each list once (its ids are the list's kind): at the first mark of its kind, the others left out.
    const placed = new Set<ListKind>()
    for (const { kind, parent, node } of marks) {
      const made = placed.has(kind) ? undefined : make(kind)
      placed.add(kind)
      parent.children.splice(parent.children.indexOf(node), 1, ...(made ? [made] : []))
    }
    const lists: Element[] = []
    for (const kind of ['lof', 'lot', 'lol'] as const) {
      const made = metadata[kind] && !placed.has(kind) ? make(kind) : undefined
      if (made) lists.push(made)
    }
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

function list(id: ListKind, title: string, entries: readonly ListEntry[], captions: ReadonlyMap<string, ElementContent[]>): Element {
  return h(`section#${id}.crossref-list`, [
    h(`h1#${id}-title.unnumbered`, title),
    h(
      'ol',
      entries.map((entry) =>
        h('li', [
          h('a', { href: `#${entry.id}`, id: `${id}-${entry.id}` }, [
            h('span.toc-text', [h('span.list-number', `${entry.index}.`), ' ', ...(captions.get(entry.id) ?? [{ type: 'text', value: entry.caption }])]),
            h('span.toc-leader'),
            h('span.toc-page', '000'),
          ]),
        ]),
      ),
    ),
  ])
}

/**
 * The caption of each labelled figure (its image has the label), table and listing, as the document shows it, for an
 * entry of a list: without its "Figure 1:", without note references (which mean nothing there) and links (the entry
 * is one), and without identifiers (the caption keeps them).
 */
function captionsOf(tree: Root): Map<string, ElementContent[]> {
  const captions = new Map<string, ElementContent[]>()
  visit(tree, 'element', (node) => {
    const caption =
      node.tagName === 'figure' ? child(node, (element) => element.tagName === 'figcaption')
      : node.tagName === 'table' ? child(node, (element) => element.tagName === 'caption')
      : classes(node).includes('listing') ? child(node, (element) => classes(element).includes('listing-caption'))
      : undefined
    const labelled = node.tagName === 'figure' ? child(node, (element) => element.tagName === 'img') : node
    const id = labelled?.properties['id']
    if (caption && typeof id === 'string') captions.set(id, trimStart(entryContent(caption.children)))
    return undefined
  })
  return captions
}

function entryContent(nodes: readonly ElementContent[]): ElementContent[] {
  return nodes.flatMap((node): ElementContent[] => {
    if (node.type !== 'element') return [structuredClone(node)]
    if (classes(node).includes('caption-label') || node.properties['dataFootnoteRef'] !== undefined) return []
    const children = entryContent(node.children)
    if (node.tagName === 'a') return children
    // A note reference's `sup`, emptied.
    if (node.tagName === 'sup' && children.length === 0) return []
    const { id: _id, ...properties } = node.properties
    return [{ ...node, properties, children }]
  })
}

/** Without the space that followed the "Figure 1:" taken out. */
function trimStart(nodes: ElementContent[]): ElementContent[] {
  const first = nodes[0]
  if (first?.type === 'text') first.value = first.value.trimStart()
  return first?.type === 'text' && first.value === '' ? nodes.slice(1) : nodes
}

function child(node: Element, test: (element: Element) => boolean): Element | undefined {
  return node.children.find((element): element is Element => element.type === 'element' && test(element))
}

function classes(node: Element): string[] {
  const value = node.properties['className']
  return Array.isArray(value) ? value.map(String) : []
}

/** A list of figures, tables or listings as the document shows it: its kind, title and entries, as text. */
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
    visit(node, 'element', (element) => {
      if (element.properties['id'] === `${kind}-title`) list.title = text(element.children)
      const href = element.properties['href']
      if (element.tagName !== 'a' || typeof href !== 'string') return undefined
      const entry = child(element, (part) => classes(part).includes('toc-text'))
      const number = entry && child(entry, (part) => classes(part).includes('list-number'))
      const caption = entry?.children.filter((part) => part !== number) ?? []
      list.entries.push({ id: decodeURIComponent(href.slice(1)), number: number ? text(number.children).replace(/\.$/, '') : '', caption: text(caption).trim() })
      return SKIP
    })
    lists.push(list)
    return SKIP
  })
  return lists
}

/** The text of nodes as read: a formula's symbols, not its TeX annotation too. */
function text(nodes: readonly ElementContent[]): string {
  return nodes.map((node) => (node.type === 'text' ? node.value : node.type === 'element' && node.tagName !== 'annotation' ? text(node.children) : '')).join('')
}
