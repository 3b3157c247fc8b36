// Pandoc's first walk over the book (`Text/Pandoc/Citeproc.hs`): every citation in reading order, each cite read and
// checked, the notes numbered, and what citeproc is to format, as requests. Pure but for the messages on the files.
import type { FootnoteDefinition, Paragraph, Parent, Root } from 'mdast'
import { toString as mdastToString } from 'mdast-util-to-string'
import type { Point } from 'unist'
import type { VFile } from 'vfile'
import { parseInline } from '../markdown/parse-inline.js'
import { smarten as smartPunctuation } from '../markdown/remark-smart-punctuation.js'
import type { Citation, CitationItemSyntax } from '../markdown/types.js'
import { visit } from '../tree-visit.js'
import type { Bibliography } from './bibliography.js'
import { citeprocMarkup } from './citeproc-markup.js'
import type { AuthorRequest, CiteRequest, ClusterRequest } from './csl-engine.js'
import { splitSuffix, type LocatorTerms } from './locators.js'
import { uncitedKeys } from './nocite.js'

const source = 'galley:citations'

export interface CitationRequests {
  /** Every citation, in reading order (a footnote's where the footnote is first referenced). */
  found: Found[]
  /** The ids cited, and those `nocite` adds. */
  cited: Set<string>
  uncited: string[]
  /** One cluster per citation with a known key, `c<index in found>`, with its note number. */
  clusters: ClusterRequest[]
  /** The author part of each narrative citation: the first time an entry is cited in full, afterwards subsequent. */
  authors: Map<Found, AuthorRequest>
}

/**
 * The book's citations as requests for citeproc. Keys not in the bibliography, entries lacking a title or date and
 * unknown `nocite` keys are reported on the files.
 */
export function citationRequests(tree: Root, file: VFile, { bibliography, terms, nocite, noteStyle }: { bibliography: Bibliography; terms: LocatorTerms; nocite: readonly string[]; noteStyle: boolean }): CitationRequests {
  const events = collect(tree, file)
  const found = events.flatMap((event) => (event.kind === 'citation' ? [event.citation] : []))
  const checked = new Set<string>()
  for (const citation of found) {
    const affix = citation.node.markdownAffixes ? markdownAffix : plainAffix
    citation.cites = citation.node.items.map((item) => readCite(item, citation.file, bibliography, terms, checked, affix))
  }
  const cited = new Set(found.flatMap((citation) => citation.cites.flatMap((cite) => (cite.request ? [cite.id] : []))))
  const uncited = nociteKeys(nocite, bibliography, cited, file)
  const noteOf = numberNotes(events, noteStyle)
  const clusters: ClusterRequest[] = []
  const authors = new Map<Found, AuthorRequest>()
  const citedBefore = new Set<string>()
  found.forEach((citation, index) => {
    const known = requests(citation)
    const first = known[0]
    if (!first) return
    // A narrative citation is, as in Pandoc, the author alone and then the rest, its own entry without the author:
    // "Doe (2020, 33)", "Doe¹", "Doe (2020, 3; Smith 2021)".
    const narrative = citation.node.mode === 'narrative' && first.id === citation.node.items[0]?.key
    if (narrative) authors.set(citation, { item: first, subsequent: citedBefore.has(first.id) })
    for (const request of known) citedBefore.add(request.id)
    const items = narrative ? [{ ...first, suppressAuthor: true }, ...known.slice(1)] : sortGroups(known)
    const cluster: ClusterRequest = { id: `c${index}`, items, noteIndex: noteOf.get(citation) ?? 0 }
    // A continued narrative citation keeps its own entry first ("Smith (2021, 3; Doe, 2020)"), where a sorting style
    // would move it (Pandoc 2.17 prints "(Doe, 2020; Smith; 2021, p. 3)").
    if (narrative && items.length > 1) cluster.unsorted = true
    clusters.push(cluster)
  })
  return { found, cited, uncited, clusters, authors }
}

/** One `@key` of a citation: a request for citeproc, or (key not in the bibliography) a visible `key?`. */
export interface Cite {
  id: string
  prefix: string
  request: CiteRequest | undefined
}

/** A citation found in the tree, with what is needed to put its formatted text back. */
export interface Found {
  node: Citation
  parent: Parent
  file: VFile
  /** The footnote the citation is written in, if any. */
  note: FootnoteDefinition | undefined
  cites: Cite[]
}

/** Read from the style itself, so a cache hit needs no engine. */
export function isNoteStyle(styleXml: string): boolean {
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

/** The requests of a citation's cites whose keys are in the bibliography. */
export function requests(citation: Found): CiteRequest[] {
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
 * An affix with Markdown in it (`*cf.*`), in the markup citeproc-js reads in affixes (`citeprocMarkup`). `text` is the
 * same without markup, for a citation that cannot be formatted.
 */
function markdownAffix(markdown: string): { text: string; html: string } {
  const children = parseInline(markdown)
  if (!children) return { text: markdown, html: markdown }
  const paragraph: Paragraph = { type: 'paragraph', children }
  // Leading and trailing spaces are part of the affix (`see ` before a key); Markdown parsing drops them.
  const [, lead = '', trail = ''] = /^(\s*)[\s\S]*?(\s*)$/.exec(markdown) ?? []
  return { text: lead + mdastToString(paragraph) + trail, html: lead + citeprocMarkup(paragraph.children) + trail }
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

export function pointOf(point: Point): Point {
  return { line: point.line, column: point.column }
}
