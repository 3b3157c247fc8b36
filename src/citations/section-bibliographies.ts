// Pandoc's `section-bibliographies`: a reference list at the end of each level-1 section, from the book's one registration.
import type { ElementContent } from 'hast'
import type { FootnoteDefinition, Heading, Parent, Root, RootContent } from 'mdast'
import { classNames } from '../html/class-names.js'
import type { FencedDiv } from '../markdown/types.js'
import { visit } from '../tree-visit.js'
import type { BibliographyEntry } from './csl-engine.js'

/** One level-1 section of the book: the blocks from its heading (none for text before the first) to the next one. */
interface Section {
  /** 0 for the text before the first level-1 heading, then 1, 2… */
  number: number
  blocks: { parent: Parent; node: RootContent }[]
}

/**
 * The book's level-1 sections, across its chapters as Pandoc reads the files as one text. Footnote definitions are
 * left out: a note belongs where it is referenced.
 */
function sectionsOf(tree: Root): Section[] {
  const sections: Section[] = [{ number: 0, blocks: [] }]
  const add = (parent: Parent, node: RootContent): void => {
    if (node.type === 'footnoteDefinition') return
    if (node.type === 'heading' && node.depth === 1) sections.push({ number: sections.length, blocks: [] })
    sections.at(-1)?.blocks.push({ parent, node })
  }
  for (const node of tree.children) {
    if (node.type === 'chapter') for (const child of node.children) add(node, child)
    else add(tree, node)
  }
  return sections
}

/**
 * The keys cited in each section, in reading order, a footnote's where it is first referenced. Read before the
 * citations stage rewrites the tree (its notes move to the end of the book).
 */
export function citedBySection(tree: Root): string[][] {
  const definitions = new Map<string, FootnoteDefinition>()
  visit(tree, 'footnoteDefinition', (node) => {
    definitions.set(node.identifier, node)
  })
  const seen = new Set<string>()
  return sectionsOf(tree).map((section) => {
    const keys = new Set<string>()
    const walk = (node: RootContent): void => {
      visit(node, (child) => {
        if (child.type === 'citation' && child.texCommand === undefined) for (const item of child.items) keys.add(item.key)
        if (child.type !== 'footnoteReference' || seen.has(child.identifier)) return
        seen.add(child.identifier)
        const definition = definitions.get(child.identifier)
        if (definition) walk(definition)
      })
    }
    for (const { node } of section.blocks) walk(node)
    return [...keys]
  })
}

/**
 * What to ask citeproc for: each section's cited entries that the bibliography has, then the uncited (`nocite`) ones,
 * for the book's list at the end.
 */
export function sectionSelections(keysBySection: readonly string[][], items: ReadonlyMap<string, unknown>, uncited: readonly string[]): string[][] {
  return [...keysBySection.map((keys) => keys.filter((key) => items.has(key))), [...uncited]]
}

export interface Options {
  /** `reference-section-title`: a level-2 heading above each list (left out of the contents, which would repeat it for every section). */
  title: string | undefined
  /** The entries of one list as nodes, and the properties of the `div` around them (as for the book's one list). */
  entryNodes: (entries: readonly BibliographyEntry[]) => FencedDiv[]
  listProperties: { className: string[]; role: string }
}

/**
 * Puts each section's list in its `{#refs}` div or at its end: the entries cited in it, as citeproc made them for
 * `sectionSelections` with one engine registered with the book's entries in the book's order (so "2020a" and "[3]"
 * are the same in every list and in the citations), each list selected by citeproc-js. An entry listed again in a later section gets that section's number
 * in its id (`ref-doe2020-3`), and with `link-citations` each citation links to the entry in its own section's list.
 * Returns the uncited entries, for the book's list at the end.
 */
export function placeSectionBibliographies(tree: Root, formattedLists: readonly BibliographyEntry[][], options: Readonly<Options>): BibliographyEntry[] {
  const lists = [...formattedLists]
  const uncited = lists.pop() ?? []
  const sections = sectionsOf(tree)
  // The id of each section's entry for a key, where it is not the first list's `ref-KEY`.
  const listedBefore = new Set<string>()
  const renamed = sections.map((section, index) => {
    const ids = new Map<string, string>()
    for (const entry of lists[index] ?? []) {
      if (listedBefore.has(entry.id)) ids.set(entry.id, `ref-${entry.id}-${section.number}`)
      listedBefore.add(entry.id)
    }
    return ids
  })
  // Links first, while the sections are as they were read: the lists add headings.
  linkToOwnLists(tree, sections, renamed)
  sections.forEach((section, index) => {
    const entries = lists[index] ?? []
    if (entries.length > 0) placeList(tree, section, options.entryNodes(entries), renamed[index] ?? new Map(), options)
  })
  return uncited
}

/** One section's list, in its `{#refs}` div or after its last block, under `reference-section-title` if set. */
function placeList(tree: Root, section: Section, nodes: FencedDiv[], ids: ReadonlyMap<string, string>, options: Readonly<Options>): void {
  for (const node of nodes) {
    const id = node.data?.hProperties?.['id']
    const own = typeof id === 'string' ? ids.get(id.replace(/^ref-/, '')) : undefined
    if (own && node.data?.hProperties) node.data.hProperties['id'] = own
  }
  const properties = { ...options.listProperties, id: `refs-${section.number}` }
  const refs = section.blocks.map(({ node }) => node).find((node): node is FencedDiv => node.type === 'fencedDiv' && node.data?.hProperties?.['id'] === 'refs')
  if (refs?.data?.hProperties) {
    refs.data.hProperties = { ...refs.data.hProperties, ...properties, className: [...new Set([...classNames(refs.data.hProperties['className']), ...properties.className])] }
    refs.children.push(...nodes)
    return
  }
  const last = section.blocks.at(-1)
  const parent = last?.parent ?? tree
  const at = last ? parent.children.indexOf(last.node as never) + 1 : 0
  const placed: RootContent[] = []
  if (options.title) {
    const hProperties = { id: `bibliography-${section.number}`, className: ['unnumbered', 'unlisted'] }
    placed.push({ type: 'heading', depth: section.number === 0 ? 1 : 2, children: [{ type: 'text', value: options.title }], data: { hProperties } } satisfies Heading)
  }
  placed.push({ type: 'fencedDiv', children: nodes, data: { hName: 'div', hProperties: properties } } satisfies FencedDiv)
  parent.children.splice(at, 0, ...(placed as never[]))
}

/**
 * With `link-citations`, a citation's link goes to its entry in the list of its own section: the links of the
 * citations in each section (and of the notes referenced there) are given the entry's id in that section's list.
 */
function linkToOwnLists(tree: Root, sections: readonly Section[], renamed: readonly Map<string, string>[]): void {
  if (renamed.every((ids) => ids.size === 0)) return
  const noteSection = new Map<string, number>()
  const relink = (node: RootContent, section: number): void => {
    const ids = renamed[section]
    visit(node, (child) => {
      if (child.type === 'footnoteReference' && !noteSection.has(child.identifier)) noteSection.set(child.identifier, section)
      const hast = (child.data as { hChildren?: ElementContent[] } | undefined)?.hChildren
      if (hast && ids) for (const element of hast) relinkHast(element, ids)
    })
  }
  sections.forEach((section, index) => {
    for (const { node } of section.blocks) relink(node, index)
  })
  visit(tree, 'footnoteDefinition', (definition) => {
    const section = noteSection.get(definition.identifier)
    if (section !== undefined) for (const child of definition.children) relink(child, section)
  })
}

function relinkHast(node: ElementContent, ids: ReadonlyMap<string, string>): void {
  if (node.type !== 'element') return
  const href = node.properties['href']
  if (node.tagName === 'a' && typeof href === 'string' && href.startsWith('#ref-')) {
    const own = ids.get(href.slice('#ref-'.length))
    if (own) node.properties['href'] = `#${own}`
  }
  for (const child of node.children) relinkHast(child, ids)
}
