// Pandoc's last walk (`insertRefs` in `Text/Pandoc/Citeproc.hs`): the bibliography put in place, as hast read once
// from citeproc's entries.
import type { ElementContent } from 'hast'
import type { Root, RootContent } from 'mdast'
import type { Metadata } from '../config/schema.js'
import { classNames } from '../html/class-names.js'
import type { FencedDiv } from '../markdown/types.js'
import { visit } from '../tree-visit.js'
import { lastText } from './cluster-html.js'
import type { BibliographyEntry, FormattedDocument } from './csl-engine.js'
import { citeprocFragment } from './html-fragment.js'

/**
 * Pandoc's `insertRefs`: the bibliography's entries into the `::: {#refs}` div (after what the author wrote in it),
 * or, without one, after the chapters under the reference section title.
 */
export function insertRefs(tree: Root, formatted: FormattedDocument, metadata: Pick<Metadata, 'linkBibliography' | 'referenceSectionTitle'>): void {
  if (formatted.bibliography.length === 0) return
  const entries = entryNodes(formatted.bibliography, metadata)
  const properties = { id: 'refs', ...listProperties(formatted) }
  let placed = false
  visit(tree, 'fencedDiv', (div) => {
    if (placed || div.data?.hProperties?.['id'] !== 'refs') return
    const own = classNames(div.data.hProperties['className'])
    div.data.hProperties = { ...div.data.hProperties, ...properties, className: [...own, ...properties.className.filter((name) => !own.includes(name))] }
    // As Pandoc: whatever the author wrote in the div (a heading, say) comes first, then the entries.
    div.children.push(...entries)
    placed = true
  })
  if (placed) return
  const title = metadata.referenceSectionTitle
  const last: RootContent[] = []
  if (title) {
    last.push({ type: 'heading', depth: 1, children: [{ type: 'text', value: title }], data: { hProperties: { id: 'bibliography', className: ['unnumbered'] } } })
  }
  last.push({ type: 'fencedDiv', children: entries, data: { hName: 'div', hProperties: properties } })
  // After the chapters, not inside the last one: the EPUB gives a book's bibliography a file of its own.
  tree.children.push(...last)
}

/** Each entry as a node of its own whose HTML is given, so the div may also keep what the author wrote in it. */
export function entryNodes(bibliography: readonly BibliographyEntry[], metadata: Pick<Metadata, 'linkBibliography'>): FencedDiv[] {
  return bibliography.map((entry) => {
    const nodes = citeprocFragment(entry.html)
    const [element] = nodes
    const children = trimWhitespace(element?.type === 'element' ? element.children : nodes)
    if (metadata.linkBibliography) linkUrls(children)
    spaceAfterLabel(children)
    const hProperties = { id: `ref-${entry.id}`, className: ['csl-entry'], role: 'listitem' }
    return { type: 'fencedDiv', children: [], data: { hName: 'div', hProperties, hChildren: children } }
  })
}

/** The classes and role of a reference list's `div` (the book's, and each of `section-bibliographies`). */
export function listProperties(formatted: Pick<FormattedDocument, 'hangingIndent'>): { className: string[]; role: string } {
  return { className: ['references', 'csl-bib-body', ...(formatted.hangingIndent ? ['hanging-indent'] : [])], role: 'list' }
}

/** Drops the line breaks and indentation citeproc puts around the blocks of an entry. */
function trimWhitespace(nodes: ElementContent[]): ElementContent[] {
  const blank = (node: ElementContent | undefined): boolean => node?.type === 'text' && node.value.trim() === ''
  const hasBlocks = nodes.some((node) => node.type === 'element' && node.tagName === 'div')
  return hasBlocks ? nodes.filter((node) => !blank(node)) : nodes
}

/** `[1]` and the entry are two blocks; Pandoc ends the label with a space so that they read apart without CSS too. */
function spaceAfterLabel(children: ElementContent[]): void {
  const label = children.find((node) => node.type === 'element')
  if (label?.type !== 'element' || !classNames(label.properties['className']).includes('csl-left-margin')) return
  const last = lastText(label.children)
  if (last && !/\s$/.test(last.value)) last.value += ' '
}

/** Turns bare URLs and DOIs in bibliography text into links (Pandoc's link-bibliography). */
export function linkUrls(nodes: ElementContent[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]
    if (node?.type === 'element' && node.tagName !== 'a') linkUrls(node.children)
    if (node?.type !== 'text') continue
    const pieces = node.value.split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:)\]])/)
    if (pieces.length === 1) continue
    const replacement: ElementContent[] = pieces
      .filter((piece) => piece !== '')
      .map((piece) =>
        /^https?:\/\//.test(piece)
          ? { type: 'element', tagName: 'a', properties: { href: piece }, children: [{ type: 'text', value: piece }] }
          : { type: 'text', value: piece },
      )
    nodes.splice(i, 1, ...replacement)
    i += replacement.length - 1
  }
}
