// Formats every citation of the whole book in one citeproc pass and puts the bibliography in place (a tree-to-tree pass).
import type { Element, ElementContent } from 'hast'
import { toString } from 'hast-util-to-string'
import type { Emphasis, FootnoteDefinition, FootnoteReference, Paragraph, Parent, PhrasingContent, Root, RootContent } from 'mdast'
import type { Point } from 'unist'
import { visit } from '../tree-visit.js'
import { toString as mdastToString } from 'mdast-util-to-string'
import { classNames } from '../html/class-names.js'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import { parseInline } from '../markdown/parse-inline.js'
import type { Citation, CitationItemSyntax, FencedDiv } from '../markdown/types.js'
import type { Bibliography } from './bibliography.js'
import { capitalizeFirst, citationLayout, escapeHtml, lastText, removeFinalPeriod, type CitationLayout } from './cluster-html.js'
import { citeprocFragment } from './html-fragment.js'
import { authorKey, type AuthorRequest, type BibliographyEntry, type CiteRequest, type ClusterRequest, type CslEngine, type FormattedCluster } from './csl-engine.js'
import { citedBySection, placeSectionBibliographies, sectionSelections } from './section-bibliographies.js'
import { locatorTerms, splitSuffix, type LocatorTerms } from './locators.js'
import { uncitedKeys } from './nocite.js'
import type { FormatCitations } from './session.js'
import { smarten as smartPunctuation } from '../markdown/remark-smart-punctuation.js'
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

/** One `@key` of a citation: a request for citeproc, or (key not in the bibliography) a visible `key?`. */
interface Cite {
  id: string
  prefix: string
  request: CiteRequest | undefined
}

/** A citation found in the tree, with what is needed to put its formatted text back. */
interface Found {
  node: Citation
  parent: Parent
  file: VFile
  /** The footnote the citation is written in, if any. */
  note: FootnoteDefinition | undefined
  cites: Cite[]
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
    const events = collect(tree, file)
    // `section-bibliographies`: what each level-1 section cites, read before the citations change the tree.
    const keysBySection = metadata.sectionBibliographies && !metadata.suppressBibliography ? citedBySection(tree) : undefined
    const found = events.flatMap((event) => (event.kind === 'citation' ? [event.citation] : []))
    const checked = new Set<string>()
    for (const citation of found) {
      const affix = citation.node.markdownAffixes ? markdownAffix : plainAffix
      citation.cites = citation.node.items.map((item) => readCite(item, citation.file, bibliography, terms, checked, affix))
    }
    const cited = new Set(found.flatMap((citation) => citation.cites.flatMap((cite) => (cite.request ? [cite.id] : []))))
    const uncited = nociteKeys(metadata.nocite, bibliography, cited, file)
    file.data.citedKeys = [...cited, ...uncited]
    if (found.length === 0 && uncited.length === 0) return

    const noteStyle = isNoteStyle(styleXml)
    const noteOf = numberNotes(events, noteStyle)
    const clusters: ClusterRequest[] = []
    // The author part of each narrative citation: the first time an entry is cited in full, afterwards subsequent.
    const authorRequests = new Map<Found, AuthorRequest>()
    const citedBefore = new Set<string>()
    found.forEach((citation, index) => {
      const known = requests(citation)
      const first = known[0]
      if (!first) return
      // A narrative citation is, as in Pandoc, the author alone and then the rest, its own entry without the author:
      // "Doe (2020, 33)", "Doe¹", "Doe (2020, 3; Smith 2021)".
      const narrative = citation.node.mode === 'narrative' && first.id === citation.node.items[0]?.key
      if (narrative) authorRequests.set(citation, { item: first, subsequent: citedBefore.has(first.id) })
      for (const request of known) citedBefore.add(request.id)
      const items = narrative ? [{ ...first, suppressAuthor: true }, ...known.slice(1)] : sortGroups(known)
      const cluster: ClusterRequest = { id: `c${index}`, items, noteIndex: noteOf.get(citation) ?? 0 }
      // A continued narrative citation keeps its own entry first ("Smith (2021, 3; Doe, 2020)"), where a sorting style
      // would move it (Pandoc 2.17 prints "(Doe, 2020; Smith; 2021, p. 3)").
      if (narrative && items.length > 1) cluster.unsorted = true
      clusters.push(cluster)
    })
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
          entryNodes: (entries) => entryNodes(entries, options),
        })
      : formatted.bibliography
    placeBibliography(tree, { ...formatted, bibliography: rest }, options)
  }
}

/** Read from the style itself, so a cache hit needs no engine. */
function isNoteStyle(styleXml: string): boolean {
  return /<style\b[^>]*\bclass="note"/.test(styleXml)
}

/**
 * Pandoc sorts cites only within runs that affixes do not break, as Haskell's `groupBy` makes them: each cite is
 * compared with the first of the current run, and starts a new run if it has a prefix or that first cite has a
 * suffix (`[@c; @b, and more; @a]` is one run, `[@b, and more; @a]` two). With more than one run, each cite is
 * given its run's number (`CiteRequest.sortGroup`).
 */
function sortGroups(items: readonly CiteRequest[]): CiteRequest[] {
  let group = 0
  let runStart = items[0]
  const groups = items.map((item, index) => {
    if (index > 0 && (item.prefix || runStart?.suffix)) {
      group += 1
      runStart = item
    }
    return group
  })
  return group === 0 ? [...items] : items.map((item, index) => ({ ...item, sortGroup: groups[index] ?? 0 }))
}

function requests(citation: Found): CiteRequest[] {
  return citation.cites.flatMap((cite) => (cite.request ? [cite.request] : []))
}

/** Turns one `@key` as written into a citeproc request: smart punctuation, then the locator split off the suffix. */
function readCite(
  item: CitationItemSyntax,
  file: VFile,
  bibliography: Bibliography,
  terms: LocatorTerms,
  checked: Set<string>,
  affix: (text: string) => { text: string; html: string },
): Cite {
  const { text: prefix, html: prefixHtml } = affix(smartPunctuation(item.prefix))
  const entry = bibliography.items.get(item.key)
  if (!entry) {
    file.message(`Citation key "${item.key}" not found`, { place: pointOf(item.start), ruleId: 'missing-citation-key', source })
    return { id: item.key, prefix, request: undefined }
  }
  if (!checked.has(item.key)) {
    checked.add(item.key)
    const lacking = [entry['title'] === undefined ? 'title' : '', entry['issued'] === undefined ? 'date ("issued")' : ''].filter(Boolean)
    if (lacking.length > 0) {
      file.message(`Bibliography entry "${item.key}" has no ${lacking.join(' and no ')}, so its citations and entry are incomplete`, {
        place: pointOf(item.start),
        ruleId: 'incomplete-entry',
        source,
      })
    }
  }
  const { locator, label, suffix } = splitSuffix(smartPunctuation(item.suffix), terms)
  const request: CiteRequest = { id: item.key, suppressAuthor: item.suppressAuthor }
  if (prefix) request.prefix = `${prefixHtml} `
  if (suffix) request.suffix = affix(suffix).html
  // A range typed `33--35` became `33–35`; citeproc formats ranges (`321–28`, the locale's dash) only from a hyphen.
  if (locator !== undefined) request.locator = locator.replace(/(?<=[\p{L}\p{N}])–(?=[\p{L}\p{N}])/gu, '-')
  if (label !== undefined) request.label = label
  return { id: item.key, prefix, request }
}

/** An affix as written in a plain citation: the text is what citeproc gets (it escapes it itself). */
function plainAffix(text: string): { text: string; html: string } {
  return { text, html: text }
}

/**
 * An affix with Markdown in it (`*cf.*`): emphasis and strong become the `<i>`/`<b>` that citeproc-js reads in
 * affixes, everything else its text. `text` is the same without markup, for a citation that cannot be formatted.
 */
function markdownAffix(markdown: string): { text: string; html: string } {
  const children = parseInline(markdown)
  if (!children) return { text: markdown, html: markdown }
  const paragraph: Paragraph = { type: 'paragraph', children }
  const html = (nodes: readonly PhrasingContent[]): string =>
    nodes
      .map((node) =>
        node.type === 'emphasis' ? `<i>${html(node.children)}</i>` : node.type === 'strong' ? `<b>${html(node.children)}</b>` : mdastToString(node),
      )
      .join('')
  // Leading and trailing spaces are part of the affix (`see ` before a key); Markdown parsing drops them.
  const [, lead = '', trail = ''] = /^(\s*)[\s\S]*?(\s*)$/.exec(markdown) ?? []
  return { text: lead + mdastToString(paragraph) + trail, html: lead + html(paragraph.children) + trail }
}

/** What the reading order holds, for numbering notes: a Markdown footnote, or a citation. */
type Event = { kind: 'footnote' } | { kind: 'citation'; citation: Found }

/** Every citation in reading order; a footnote's citations come where the footnote is first referenced. */
function collect(tree: Root, bookFile: VFile): Event[] {
  const definitions = new Map<string, FootnoteDefinition>()
  visit(tree, 'footnoteDefinition', (node) => {
    definitions.set(node.identifier, node)
  })
  const seen = new Set<string>()
  const events: Event[] = []
  const walk = (parent: Parent, file: VFile, note: FootnoteDefinition | undefined): void => {
    for (const child of parent.children) {
      if (child.type === 'citation') {
        events.push({ kind: 'citation', citation: { node: child, parent, file, note, cites: [] } })
      } else if (child.type === 'footnoteReference') {
        const definition = definitions.get(child.identifier)
        if (definition && !seen.has(child.identifier)) {
          seen.add(child.identifier)
          events.push({ kind: 'footnote' })
          walk(definition, file, definition)
        }
      } else if (child.type === 'chapter') {
        walk(child, child.data.file, note)
      } else if (child.type !== 'footnoteDefinition' && 'children' in child) {
        walk(child, file, note)
      }
    }
  }
  walk(tree, bookFile, undefined)
  return events
}

/**
 * The note number of each citation: Markdown footnotes and note-style citations in running text share one
 * sequence in reading order, as remark-rehype will number them; a citation inside a footnote takes its number.
 * In a note style every citation in running text becomes a note, even one whose keys are all missing (as in Pandoc).
 */
function numberNotes(events: readonly Event[], noteStyle: boolean): Map<Found, number> {
  const numbers = new Map<Found, number>()
  let counter = 0
  for (const event of events) {
    if (event.kind === 'footnote') counter += 1
    else if (event.citation.note) numbers.set(event.citation, counter)
    else if (noteStyle) numbers.set(event.citation, ++counter)
  }
  return numbers
}

function nociteKeys(nocite: readonly string[], bibliography: Bibliography, cited: ReadonlySet<string>, file: VFile): string[] {
  const { keys, unknown } = uncitedKeys(nocite, bibliography.items, cited)
  for (const key of unknown) file.message(`nocite key "${key}" not found in the bibliography`, { ruleId: 'missing-citation-key', source })
  return keys
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

function placeBibliography(tree: Root, formatted: ReturnType<CslEngine['formatDocument']>, options: Readonly<Options>): void {
  if (formatted.bibliography.length === 0) return
  const entries = entryNodes(formatted.bibliography, options)
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
  const title = options.metadata.referenceSectionTitle
  const last: RootContent[] = []
  if (title) {
    last.push({ type: 'heading', depth: 1, children: [{ type: 'text', value: title }], data: { hProperties: { id: 'bibliography', className: ['unnumbered'] } } })
  }
  last.push({ type: 'fencedDiv', children: entries, data: { hName: 'div', hProperties: properties } })
  // After the chapters, not inside the last one: the EPUB gives a book's bibliography a file of its own.
  tree.children.push(...last)
}

/** Each entry as a node of its own whose HTML is given, so the div may also keep what the author wrote in it. */
function entryNodes(bibliography: readonly BibliographyEntry[], options: Readonly<Options>): FencedDiv[] {
  return bibliography.map((entry) => {
    const nodes = citeprocFragment(entry.html)
    const [element] = nodes
    const children = trimWhitespace(element?.type === 'element' ? element.children : nodes)
    if (options.metadata.linkBibliography) linkUrls(children)
    spaceAfterLabel(children)
    const hProperties = { id: `ref-${entry.id}`, className: ['csl-entry'], role: 'listitem' }
    return { type: 'fencedDiv', children: [], data: { hName: 'div', hProperties, hChildren: children } }
  })
}

/** The classes and role of a reference list's `div`. */
function listProperties(formatted: Pick<ReturnType<CslEngine['formatDocument']>, 'hangingIndent'>): { className: string[]; role: string } {
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

function withUrlsLinked(nodes: ElementContent[], context: Context): ElementContent[] {
  if (context.linkUrls) linkUrls(nodes)
  return nodes
}

/** Turns bare URLs and DOIs in bibliography text into links (Pandoc's link-bibliography). */
function linkUrls(nodes: ElementContent[]): void {
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

function pointOf(point: Point): Point {
  return { line: point.line, column: point.column }
}

