// Formats every citation of the whole book in one citeproc pass and puts the bibliography in place (a tree-to-tree pass):
// the requests (`requests.ts`), citeproc through the session's port, each citation's text in place, and `insertRefs` (`refs.ts`).
import type { Element, ElementContent } from 'hast'
import { toString } from 'hast-util-to-string'
import type { Emphasis, FootnoteDefinition, FootnoteReference, PhrasingContent, Root, RootContent } from 'mdast'
import { classNames } from '../html/class-names.js'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import type { Citation } from '../markdown/types.js'
import type { Bibliography } from './bibliography.js'
import { capitalizeFirst, citationLayout, escapeHtml, removeFinalPeriod, type CitationLayout } from './cluster-html.js'
import { citeprocFragment } from './html-fragment.js'
import { authorKey, type FormattedCluster } from './csl-engine.js'
import { locatorTerms } from './locators.js'
import { entryNodes, insertRefs, linkUrls, listProperties } from './refs.js'
import { citedBySection, placeSectionBibliographies, sectionSelections } from './section-bibliographies.js'
import { citationRequests, isNoteStyle, pointOf, requests, type Cite, type Found } from './requests.js'
import type { FormatCitations } from './session.js'
import { citationLocale, localeName } from './styles.js'

export interface Options {
  metadata: Metadata
  bibliography: Bibliography
  styleXml: string
  /** Locale XML for a language tag, or undefined (the CLI has already warned about the fallback). */
  retrieveLocale: (lang: string) => string | undefined
  /** citeproc, through the build's citation session (`CitationSession.formatter`), or `formatHere`. */
  formatCitations: FormatCitations
  /** Told as citeproc formats the book's citations (`done` of `total`), for a progress display. */
  onCitations?: ((done: number, total: number) => void) | undefined
}

/** What rendering a cluster needs besides the cluster. */
interface Context {
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

const source = 'galley:citations'

/**
 * The citations stage: every cluster of the book goes to one citeproc engine in reading order (so ibid, subsequent
 * notes, disambiguation and numbering are right); then each citation node gets its text. In a note style a citation
 * in running text becomes a footnote, numbered with the Markdown footnotes, and one inside a footnote is formatted in
 * place, in parentheses unless it opens the note (Pandoc's rules). The bibliography goes into `::: {#refs}` or at
 * the end. Keys not in the bibliography are reported and shown as `key?` where they were cited.
 */
export function remarkCitations(options: Readonly<Options>) {
  return async (tree: Root, file: VFile): Promise<void> => {
    const { metadata, bibliography, styleXml } = options
    const lang = citationLocale(metadata, styleXml)
    const ownLocale = options.retrieveLocale(lang)
    const localeXml = ownLocale ?? options.retrieveLocale('en-US')
    // No locale at all is reported by the CLI; a region without its own (de-LU) uses the language's main one.
    const usedLocale = ownLocale && /<locale\b[^>]*xml:lang="([^"]+)"/.exec(ownLocale)?.[1]
    if (usedLocale && usedLocale.toLowerCase() !== localeName(lang).toLowerCase()) {
      file.message(`No CSL locale for "${lang}"; citations use ${usedLocale} terms`, { ruleId: 'unknown-locale', source })
    }
    const terms = locatorTerms(localeXml, styleXml, lang)
    const noteStyle = isNoteStyle(styleXml)
    // `section-bibliographies`: what each level-1 section cites, read before the citations change the tree.
    const keysBySection = metadata.sectionBibliographies && !metadata.suppressBibliography ? citedBySection(tree) : undefined
    const { found, cited, uncited, clusters, authors: authorRequests } = citationRequests(tree, file, { bibliography, terms, nocite: metadata.nocite, noteStyle })
    file.data.citedKeys = [...cited, ...uncited]
    if (found.length === 0 && uncited.length === 0) return

    const engine = { styleXml, lang, items: bibliography.items, retrieveLocale: options.retrieveLocale }
    // Every hundredth of the way at most: a long book has thousands of citations.
    const total = clusters.length
    const step = Math.ceil(total / 100)
    options.onCitations?.(0, total)
    const onCluster = options.onCitations && ((done: number): void => (done % step === 0 && done < total ? options.onCitations?.(done, total) : undefined))
    const selections = keysBySection && sectionSelections(keysBySection, bibliography.items, uncited)
    const request = { engine, clusters, uncited, authors: [...authorRequests.values()], selections }
    const { document: formatted, authors, lists, source: from } = await options.formatCitations(request, onCluster)
    options.onCitations?.(total, total)
    file.data.citeproc = from
    const context: Context = {
      layout: citationLayout(styleXml),
      noteStyle,
      link: metadata.linkCitations && !metadata.suppressBibliography,
      keepsPeriod: periodTerms(`${styleXml}\n${localeXml ?? ''}`),
      moveNotes: noteStyle && metadata.notesAfterPunctuation,
      moveSuperscripts: metadata.notesAfterPunctuation && metadata.given.includes('notes-after-punctuation'),
      punctuationInQuote: /punctuation-in-quote="true"/.test(localeXml ?? ''),
      linkUrls: metadata.linkBibliography,
      ibid: /<term name="ibid">([^<]+)<\/term>/.exec(`${styleXml}\n${localeXml ?? ''}`)?.[1],
    }
    const notes: FootnoteDefinition[] = []
    found.forEach((citation, index) => {
      const known = requests(citation)
      const request = authorRequests.get(citation)
      const author = request ? (authors.get(authorKey(request)) ?? '') : citation.node.mode === 'narrative' ? '' : undefined
      const cluster = formatted.clusters.get(`c${index}`)
      for (const id of cluster?.silent ?? []) {
        const item = citation.node.items.find((candidate) => candidate.key === id)
        file.message(`Citation of "${id}" prints nothing in this style, so it is left out`, { ...(item ? { place: pointOf(item.start) } : {}), ruleId: 'citation-no-printed-form', source })
      }
      const nodes = clusterNodes(citation, cluster, context)
      if (!noteStyle) {
        // A narrative citation whose rest prints nothing (MLA's `@doe` without a locator) is the author alone.
        const authorNodes = author && known.length > 0 ? citeprocFragment(author) : undefined
        renderInText(citation, authorNodes ? (nodes.length > 0 ? mergeText([...authorNodes, { type: 'text', value: ' ' }, ...nodes]) : authorNodes) : nodes, context)
      } else if (citation.note) renderInNote(citation, nodes, author ?? '', context)
      else notes.push(makeNote(citation, index, nodes, author, context))
    })
    tree.children.push(...notes)
    if (metadata.suppressBibliography) return
    // With `section-bibliographies`, each section gets its list; the book's list keeps what only `nocite` adds.
    const rest = keysBySection
      ? placeSectionBibliographies(tree, lists, {
          title: metadata.referenceSectionTitle,
          listProperties: listProperties(formatted),
          entryNodes: (entries) => entryNodes(entries, metadata),
        })
      : formatted.bibliography
    insertRefs(tree, { ...formatted, bibliography: rest }, metadata)
  }
}

/**
 * One citation as hast: citeproc's cluster with each missing key's `key?` where it was written (at the end when the
 * style sorts its cites, as Pandoc does) and, with `link-citations`, each cite linked to its entry. Cites that the
 * style merged (`[1]–[3]`) cannot be told apart: those clusters stay unlinked. The engine gives each cluster taken
 * apart into its cites (`FormattedCluster.shape`); each piece of citeproc's HTML is read once, as it comes.
 */
function clusterNodes(citation: Found, cluster: FormattedCluster | undefined, context: Context): ElementContent[] {
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

function mergeText(nodes: ElementContent[]): ElementContent[] {
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
 * the space before it, and with `notes-after-punctuation` set, the punctuation after it moves before it, as a note's
 * does; one ending in a period swallows a period right after it (Pandoc's `mvPunct`).
 */
function renderInText(citation: Found, nodes: ElementContent[], context: Context): void {
  const children = withUrlsLinked(nodes, context)
  setSpan(citation, children)
  const { parent, node } = citation
  const at = parent.children.indexOf(node as RootContent)
  const before = parent.children[at - 1]
  const only = children.length === 1 ? children[0] : undefined
  if (only?.type !== 'element' || only.tagName !== 'sup') return
  if (before?.type === 'text') before.value = before.value.replace(/\s+$/, '')
  const after = parent.children[at + 1]
  if (!context.moveSuperscripts || after?.type !== 'text' || !/^[.,;:!?]/.test(after.value)) return
  const moved = takePunctuation(before, after, context)
  if (moved) parent.children.splice(at, 0, { type: 'text', value: moved })
}

/**
 * Takes the punctuation right after a citation (not dashes, nothing after a closing quotation mark) so that it can
 * go before the citation's mark. With `punctuation-in-quote` (American English) a period or comma goes inside the
 * closing quotation mark before; the rest is returned.
 */
function takePunctuation(before: RootContent | undefined, after: RootContent & { type: 'text' }, context: Context): string {
  const punctuation = leadingPunctuation(after.value)
  if (!punctuation) return ''
  after.value = after.value.slice(punctuation.length)
  const quote = before?.type === 'text' ? /[”’]$/.exec(before.value) : null
  const inQuote = context.punctuationInQuote && quote !== null ? /^[.,]+/.exec(punctuation)?.[0] : undefined
  if (before?.type !== 'text' || !inQuote) return punctuation
  before.value = before.value.slice(0, -1) + inQuote + before.value.slice(-1)
  return punctuation.slice(inQuote.length)
}

/** Gives the citation node its text; a period right after a citation that ends in one is dropped (`et al..`). */
function setSpan(citation: Found, children: ElementContent[]): void {
  const { parent, node } = citation
  node.data = span(citation, children)
  const after = parent.children[parent.children.indexOf(node as RootContent) + 1]
  if (after?.type === 'text' && after.value.startsWith('.') && toString({ type: 'root', children }).endsWith('.')) {
    after.value = after.value.slice(1)
  }
}

/**
 * A note-style citation written inside a footnote (Pandoc's `deNote`): one that opens the note stays as it is;
 * others go in parentheses without their final period; a narrative one is the author, a comma and the rest.
 */
function renderInNote(citation: Found, nodes: ElementContent[], author: string, context: Context): void {
  const { node, note, parent } = citation
  const children = withUrlsLinked(nodes, context)
  if (node.mode === 'narrative') {
    // Pandoc's `needsPeriod`: keep the final period at the end of the paragraph or before a capital letter.
    let needsPeriod = true
    for (const next of parent.children.slice(parent.children.indexOf(node as RootContent) + 1)) {
      if (next.type === 'text' && next.value.trim() === '') continue
      needsPeriod = next.type === 'text' && /^\s*\p{Lu}/u.test(next.value)
      break
    }
    if (!needsPeriod) removeFinalPeriod(children, context.keepsPeriod)
    const lead = author === '' ? [] : [...citeprocFragment(author), { type: 'text', value: ', ' } satisfies ElementContent]
    setSpan(citation, [...lead, ...children])
    return
  }
  const paragraph = note?.children.length === 1 ? note.children[0] : undefined
  const opensNote = paragraph?.type === 'paragraph' && paragraph.children[0] === node
  if (opensNote) {
    setSpan(citation, children)
    return
  }
  removeFinalPeriod(children, context.keepsPeriod)
  // citeproc capitalises a note's opening "Ibid."; in the middle of a sentence it is "ibid.", as in Pandoc.
  const first = children[0]
  if (first?.type === 'text' && context.ibid && first.value.startsWith(capitalized(context.ibid))) {
    first.value = context.ibid + first.value.slice(context.ibid.length)
  }
  setSpan(citation, [{ type: 'text', value: '(' }, ...children, { type: 'text', value: ')' }])
}

/**
 * A note-style citation in running text becomes a footnote (its first letter capitalised, as Pandoc does). The
 * reference takes the place of the space before it, and punctuation right after it moves before it
 * (`notes-after-punctuation`, Pandoc's `mvPunct`); a narrative citation keeps the author in the text: "Doe,¹ …".
 */
function makeNote(citation: Found, index: number, nodes: ElementContent[], author: string | undefined, context: Context): FootnoteDefinition {
  const { node, parent } = citation
  const identifier = `galley-citation-${index + 1}`
  const reference: FootnoteReference = { type: 'footnoteReference', identifier, label: identifier }
  if (node.position) reference.position = node.position
  const at = parent.children.indexOf(node as RootContent)
  const before = parent.children[at - 1]
  const after = parent.children[at + 1]
  const inside: PhrasingContent[] = []
  const outside: PhrasingContent[] = []
  if (author !== undefined) {
    // Pandoc moves the punctuation in between, unless the author's text ends with punctuation already.
    const authorNodes = citeprocFragment(author)
    inside.push(...carried(asMarkdownWouldMark(authorNodes)))
    const punctuation = context.moveNotes && after?.type === 'text' && /^[.,;:!?]/.test(after.value) ? leadingPunctuation(after.value) : ''
    if (punctuation && after?.type === 'text') {
      after.value = after.value.slice(punctuation.length)
      if (!endsWithPunctuation(toString({ type: 'root', children: authorNodes }))) inside.push({ type: 'text', value: punctuation })
    }
  } else {
    const hadSpace = before?.type === 'text' && /\s$/.test(before.value)
    if (before?.type === 'text') before.value = before.value.replace(/\s+$/, '')
    const movable = context.moveNotes && after?.type === 'text' && (hadSpace || /^[.,;:!?]/.test(after.value))
    const moved = movable && after?.type === 'text' ? takePunctuation(before, after, context) : ''
    if (moved) outside.push({ type: 'text', value: moved })
  }
  inside.push(reference)
  // An emphasis node renamed to a span: an mdast parent whose children (the note reference) remark-rehype renders.
  const keys = node.items.map((item) => item.key).join(' ')
  const wrapper: Emphasis = { type: 'emphasis', children: inside, data: { hName: 'span', hProperties: { className: ['citation'], dataCites: keys } } }
  parent.children.splice(at, 1, ...([...outside, wrapper] as RootContent[]))
  const children = withUrlsLinked(nodes, context)
  capitalizeFirst(children)
  return { type: 'footnoteDefinition', identifier, label: identifier, children: [{ type: 'paragraph', children: [], data: { hChildren: children } }] }
}

/**
 * citeproc's markup of the part of a citation that stays in running text, as Markdown would mark that text: `<i>` as
 * `<em>`, `<b>` as `<strong>`, a styled span (small caps) with its style alone; other elements give their text.
 */
function asMarkdownWouldMark(nodes: readonly ElementContent[]): ElementContent[] {
  return nodes.flatMap((node): ElementContent[] => {
    if (node.type === 'text') return [{ type: 'text', value: node.value }]
    if (node.type !== 'element') return []
    const children = asMarkdownWouldMark(node.children)
    if (node.tagName === 'i' || node.tagName === 'em') return [{ type: 'element', tagName: 'em', properties: {}, children }]
    if (node.tagName === 'b' || node.tagName === 'strong') return [{ type: 'element', tagName: 'strong', properties: {}, children }]
    const style = node.properties['style']
    return typeof style === 'string' ? [{ type: 'element', tagName: 'span', properties: { style }, children }] : children
  })
}

/** hast in an mdast parent that must stay mdast (it holds a note reference): each element goes through remark-rehype as it is. */
function carried(nodes: readonly ElementContent[]): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    if (node.type === 'text') return [{ type: 'text', value: node.value }]
    if (node.type !== 'element') return []
    return [{ type: 'emphasis', children: [], data: { hName: node.tagName, hProperties: node.properties, hChildren: node.children } }]
  })
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Leading punctuation that may move before a note: not dashes, which notes and quotes do not cross, and nothing
 * after a closing quotation mark: `"words [@a]".` keeps the note inside the quotation, as Pandoc's `Quoted` does.
 */
function leadingPunctuation(text: string): string {
  if (/^[”’»]/.test(text)) return ''
  return /^[^\P{P}–—”’»]+/u.exec(text)?.[0] ?? ''
}

/** Pandoc's `endWithPunct`: ends in `.,;:!?`, or in other punctuation right after one of those (`.)`, `.”`). */
function endsWithPunctuation(text: string): boolean {
  return /[.,;:!?]$/.test(text) || /[.,;:!?]\p{P}$/u.test(text)
}

/** Whether text ends in a locale or style term with a period (`Ibid.`, `et al.`, `n.d.`), which must keep it. */
function periodTerms(xml: string): (text: string) => boolean {
  const terms = new Set<string>()
  for (const [, value = ''] of xml.matchAll(/>([^<>]*\.)</g)) {
    const term = value.trim().toLowerCase()
    if (term.length > 1 && term.length < 16) terms.add(term)
  }
  return (text) => {
    const lower = text.toLowerCase()
    for (const term of terms) {
      if (lower.endsWith(term) && !/\p{L}/u.test(lower[lower.length - term.length - 1] ?? '')) return true
    }
    return false
  }
}

function withUrlsLinked(nodes: ElementContent[], context: Context): ElementContent[] {
  if (context.linkUrls) linkUrls(nodes)
  return nodes
}
