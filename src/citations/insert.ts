// Pandoc's `insertResolvedCitations`: each citation node gets citeproc's text for it, as hast built once (missing
// keys marked, cites linked to their entries); in running text the citation's text stands where it was written.
import type { Element, ElementContent } from 'hast'
import { toString } from 'hast-util-to-string'
import type { RootContent } from 'mdast'
import { classNames } from '../html/class-names.js'
import type { Citation } from '../markdown/types.js'
import { escapeHtml, type CitationLayout } from './cluster-html.js'
import type { FormattedCluster } from './csl-engine.js'
import { citeprocFragment } from './html-fragment.js'
import { mvPunctAfterSuperscript } from './punctuation.js'
import { linkUrls } from './refs.js'
import type { Cite, Found } from './requests.js'

/** What rendering a cluster needs besides the cluster. */
export interface Context {
  layout: CitationLayout
  noteStyle: boolean
  /** Link each cite to its bibliography entry (`link-citations`, when there is a bibliography to link to). */
  link: boolean
  /** Whether text ends in a term whose period must stay (`Ibid.`, `et al.`) when a note loses its final period. */
  keepsPeriod: (text: string) => boolean
  moveNotes: boolean
  /** Move punctuation before a superscript citation too: Pandoc does so only when `notes-after-punctuation` is set. */
  moveSuperscripts: boolean
  punctuationInQuote: boolean
  /** The locale's term for "ibid." (lower case), if any. */
  ibid: string | undefined
  /** Turn URLs and DOIs in citations into links (`link-bibliography`, as Pandoc does for notes too). */
  linkUrls: boolean
}

/**
 * One citation as hast: citeproc's cluster with each missing key's `key?` where it was written (at the end when the
 * style sorts its cites, as Pandoc does) and, with `link-citations`, each cite linked to its entry. Cites that the
 * style merged (`[1]–[3]`) cannot be told apart: those clusters stay unlinked. The engine gives each cluster taken
 * apart into its cites (`FormattedCluster.shape`); each piece of citeproc's HTML is read once, as it comes.
 */
export function clusterNodes(citation: Found, cluster: FormattedCluster | undefined, context: Context): ElementContent[] {
  const { layout } = context
  const delimiter = escapeHtml(layout.delimiter)
  const mark = (cite: Cite): Part[] => {
    const strong: Element = { type: 'element', tagName: 'strong', properties: { className: ['citation-missing'] }, children: [{ type: 'text', value: `${asEscaped(cite.id)}?` }] }
    return cite.prefix ? [{ type: 'text', value: `${asEscaped(cite.prefix)} ` }, strong] : [strong]
  }
  const missing = citation.cites.filter((cite) => !cite.request)
  // `nobody?` and a layout suffix `.` make `nobody?`, as citeproc's punctuation rules would.
  const close = (body: Part[], suffix: string): ElementContent[] => toNodes([...body, isMark(body.at(-1)) && suffix.startsWith('.') ? suffix.slice(1) : suffix])
  // A citation whose cites all print nothing is empty, as in Pandoc; its missing keys are still shown.
  if (!cluster || cluster.html === '') {
    return missing.length === 0 ? [] : close([escapeHtml(layout.prefix), ...joined(missing.map(mark), delimiter)], escapeHtml(layout.suffix))
  }
  const html = cluster.html
  if (missing.length === 0 && !context.link) return toNodes([html])
  const anchor = (id: string | undefined, html: string): Part[] =>
    id === undefined ? [html] : [{ type: 'element', tagName: 'a', properties: { href: `#ref-${asEscaped(id)}`, role: 'doc-biblioref' }, children: toNodes([html]) }]
  const known = citation.cites.filter((cite) => cite.request && !cluster.silent.includes(cite.id))
  const shape = cluster.shape
  if (!shape) {
    const linked = context.link && known.length === 1 ? anchor(known[0]?.id, html) : [html]
    return toNodes(joined([linked, ...missing.map(mark)], delimiter || '; '))
  }
  // When the cites as printed are not as many as the cites known, they cannot be told apart.
  const cites = shape.cites?.length === known.length ? shape.cites : undefined
  if (!cites) {
    const firstKnown = citation.cites.findIndex((cite) => cite.request)
    const before = citation.cites.slice(0, firstKnown).map(mark)
    const after = citation.cites.slice(firstKnown).filter((cite) => !cite.request).map(mark)
    const body = context.link && known.length === 1 ? anchor(known[0]?.id, shape.body) : [shape.body]
    return close([shape.open, ...joined([...before, body, ...after], delimiter)], shape.close)
  }
  const printed = cites.map((html, i) => (context.link ? anchor(cluster.order[i], html) : [html]))
  const inWrittenOrder = !layout.sorted && cluster.order.join('\n') === known.map((cite) => cite.id).join('\n')
  // Each piece with its place among the printed cites; a missing key's mark has none.
  let next = 0
  const pieces: { parts: Part[]; at?: number }[] = inWrittenOrder
    ? citation.cites.map((cite) => (cite.request ? { parts: printed[next] ?? [], at: next++ } : { parts: mark(cite) }))
    : [...printed.map((parts, at) => ({ parts, at })), ...missing.map((cite) => ({ parts: mark(cite) }))]
  // Cites printed next to each other keep what citeproc printed between them (in a group of one author's cites, not
  // the layout's delimiter); a missing key's mark stands between layout delimiters.
  const body = pieces.flatMap((piece, i) => {
    if (i === 0) return piece.parts
    const before = pieces[i - 1]?.at
    const between = before !== undefined && piece.at === before + 1 ? shape.between[before] : undefined
    return [between ?? delimiter, ...piece.parts]
  })
  return close([shape.open, ...body], shape.close)
}

/** A piece of a citation on its way to hast: citeproc's HTML (or text escaped as citeproc escapes it), or hast made here. */
type Part = string | ElementContent

/** Groups of parts with a delimiter (HTML) between each two. */
function joined(groups: readonly Part[][], delimiter: string): Part[] {
  return groups.flatMap((group, i) => (i === 0 ? group : [delimiter, ...group]))
}

/** Whether a part is a missing key's mark. */
function isMark(part: Part | undefined): boolean {
  return typeof part === 'object' && part.type === 'element' && classNames(part.properties['className']).includes('citation-missing')
}

/** The parts as hast, citeproc's HTML read once; text meeting text is one text node, as when read as one string. */
function toNodes(parts: readonly Part[]): ElementContent[] {
  return mergeText(parts.flatMap((part) => (typeof part === 'string' ? (part === '' ? [] : citeprocFragment(part)) : [part])))
}

export function mergeText(nodes: ElementContent[]): ElementContent[] {
  const merged: ElementContent[] = []
  for (const node of nodes) {
    const last = merged.at(-1)
    if (node.type === 'text' && last?.type === 'text') merged[merged.length - 1] = { type: 'text', value: last.value + node.value }
    else merged.push(node)
  }
  return merged
}

/** Text as it reads once escaped as citeproc escapes it (`escapeHtml`) and read back. */
function asEscaped(text: string): string {
  return text.replace(/\s\s/g, '\u00A0 ')
}

function span(citation: Found, children: ElementContent[]): NonNullable<Citation['data']> {
  const keys = citation.node.items.map((item) => item.key)
  return { hName: 'span', hProperties: { className: ['citation'], dataCites: keys.join(' ') }, hChildren: children }
}

/**
 * An author-date or numeric citation: its text in place. A citation printed as a superscript takes the place of
 * the space before it (and moves punctuation as a note would, `mvPunctAfterSuperscript`).
 */
export function insertInText(citation: Found, nodes: ElementContent[], context: Context): void {
  const children = withUrlsLinked(nodes, context)
  setSpan(citation, children)
  const only = children.length === 1 ? children[0] : undefined
  if (only?.type !== 'element' || only.tagName !== 'sup') return
  mvPunctAfterSuperscript(citation.parent, citation.node as RootContent, context)
}

/** Gives the citation node its text; a period right after a citation that ends in one is dropped (`et al..`). */
export function setSpan(citation: Found, children: ElementContent[]): void {
  const { parent, node } = citation
  node.data = span(citation, children)
  const after = parent.children[parent.children.indexOf(node as RootContent) + 1]
  if (after?.type === 'text' && after.value.startsWith('.') && toString({ type: 'root', children }).endsWith('.')) {
    after.value = after.value.slice(1)
  }
}

export function withUrlsLinked(nodes: ElementContent[], context: Context): ElementContent[] {
  if (context.linkUrls) linkUrls(nodes)
  return nodes
}

