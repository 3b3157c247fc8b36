// The one module that talks to citeproc-js: a whole document's clusters in; each cluster's HTML, taken apart into its cites, and the bibliography out.
import { createRequire } from 'node:module'
import type CSLModule from 'citeproc'
import type { CitationItem, Engine } from 'citeproc'
import { BibliographyError } from '../errors.js'
import type { CslItem } from './bibliography.js'
import { patchCiteproc, sortInGroups } from './citeproc-patches.js'
import { citationLayout, shapeOf, withoutGroupMarks, type ClusterShape } from './cluster-html.js'
import { contextFree, formatInContext, type EngineCitation, type EngineInternals } from './format-in-context.js'
import { pandocCollation } from './collate.js'

export interface CiteRequest {
  id: string
  locator?: string
  label?: string
  prefix?: string
  suffix?: string
  suppressAuthor?: boolean
  /**
   * The run of cites this one is sorted within, when a cluster has several: Pandoc sorts cites only between
   * affixes (`[@b; @a; see @d; @c]`: "a; b; see d; c").
   */
  sortGroup?: number
}

export interface ClusterRequest {
  id: string
  items: CiteRequest[]
  /** The footnote number this cluster lives in, or 0 in running text. */
  noteIndex: number
  /** Print the cites in the order written even if the style sorts them. */
  unsorted?: boolean
}

export interface BibliographyEntry {
  id: string
  html: string
}

export interface FormattedCluster {
  html: string
  /**
   * The same taken apart: the layout's prefix and suffix, each printed cite and what stands between two cites (the
   * layout's delimiter, or in a group of one author's cites the group's); undefined when the cluster does not start
   * and end with the layout's affixes.
   */
  shape: ClusterShape | undefined
  /** The cited ids in the order the style prints them (it may sort them), without the silent ones. */
  order: string[]
  /** The cited ids that print nothing in this style, and so are left out (`silentCites`). */
  silent: string[]
}

export interface FormattedDocument {
  clusters: Map<string, FormattedCluster>
  bibliography: BibliographyEntry[]
  /** Whether the style asks for a hanging indent. */
  hangingIndent: boolean
  /** `flush`/`margin` for numeric styles that align the label in its own column. */
  secondFieldAlign: string | undefined
}

/** The author part of a narrative citation: the first time an entry is cited in full, afterwards subsequent. */
export interface AuthorRequest {
  item: CiteRequest
  subsequent: boolean
}

export function authorKey(request: AuthorRequest): string {
  return `${request.subsequent ? 's' : 'f'}:${request.item.id}`
}

/** Everything the citations stage asks of citeproc, answered. */
export interface Formatted {
  document: FormattedDocument
  /** The author parts, by `authorKey`. */
  authors: Map<string, string>
}

export interface EngineOptions {
  styleXml: string
  lang: string
  items: ReadonlyMap<string, CslItem>
  /** Returns a CSL locale's XML, or undefined when there is none (citeproc then falls back to en-US). */
  retrieveLocale: (lang: string) => string | undefined
}

/**
 * citeproc-js is loaded on first use, not at start-up: it is the largest module Galley has, and a build whose
 * citations all come from the cache never needs it. It is CommonJS, so loading it stays synchronous.
 */
let citeproc: typeof CSLModule | undefined
export function loadCiteproc(): typeof CSLModule {
  if (!citeproc) {
    citeproc = createRequire(import.meta.url)('citeproc') as typeof CSLModule
    patchCiteproc(citeproc)
  }
  return citeproc
}

/** A citeproc engine for one build. Not shared between builds: it keeps the state of the document it formats. */
export class CslEngine {
  readonly #engine: Engine
  readonly #styleXml: string
  /** The bibliography's `subsequent-author-substitute` ("———"), or "" when it has none. */
  readonly #authorSubstitute: string
  #registered: Registered | undefined

  constructor(options: EngineOptions) {
    this.#styleXml = options.styleXml
    this.#authorSubstitute = authorSubstitute(options.styleXml)
    this.#engine = new (loadCiteproc().Engine)(
      {
        retrieveLocale: (lang) => options.retrieveLocale(lang) ?? false,
        // citeproc copies an item (through JSON) before it changes anything in it: ours stay as loaded.
        retrieveItem: (id) => {
          const item = options.items.get(externalId(id))
          return item && { ...item, id }
        },
        // Sort the bibliography (and cites within a cluster) as Pandoc does. The separator is only known once the
        // engine has tested its locale, and is read at the first comparison.
        stringCompare: pandocCollation(options.lang, () => (this.#engine as unknown as EngineInternals).opt.sort_sep),
      },
      options.styleXml,
      options.lang,
      true,
    )
    sortInGroups(this.#engine)
  }

  /**
   * Formats every cluster in document order (positions, ibid, disambiguation, numbering) and the bibliography.
   * `wholeDocument` forces citeproc's own quadratic way, which tests compare with ours.
   */
  formatDocument(clusters: readonly ClusterRequest[], uncited: readonly string[], how: FormatOptions = {}): FormattedDocument {
    this.register(citedIds(clusters), uncited)
    return this.formatAll(clusters, [], how).document
  }

  /**
   * Registers the entries before any cluster is formatted: the cited ones in the order of their first citation
   * (numeric styles number by it) and the uncited (nocite) ones, which take part in disambiguation too. Most of
   * citeproc's time for an author-date book; the clusters are not needed for it, so it can start before they are known.
   */
  register(cited: readonly string[], uncited: readonly string[]): void {
    guarded(() => {
      if (uncited.length > 0) this.#engine.updateUncitedItems(uncited.map(internalId))
      this.#engine.updateItems(cited.map(internalId))
      if (uncited.length > 0) this.#engine.updateUncitedItems(uncited.map(internalId))
    })
    this.#registered = { cited: [...cited], uncited: [...uncited] }
  }

  /**
   * After `register`: the clusters, the author parts (each entry and form once) and then the bibliography. The author
   * parts come before it: making the bibliography registers every name it prints (editors, translators) for
   * disambiguation, and an author part made afterwards gave "Matteo Wilson and Jackson" where the citations and
   * Pandoc give "Wilson and Jackson", because an editor elsewhere in the bibliography is called Mei Wilson.
   */
  formatAll(clusters: readonly ClusterRequest[], authors: readonly AuthorRequest[], how: FormatOptions = {}): Formatted {
    const registered = this.#registered
    if (!registered) throw new Error('CslEngine.formatAll before register')
    return guarded(() => {
      const formatted = this.#formatClusters(clusters, registered, how)
      const names = new Map<string, string>()
      for (const request of authors) {
        const key = authorKey(request)
        if (!names.has(key)) names.set(key, this.#authorOnly(request.item, request.subsequent))
      }
      return { document: { clusters: formatted, ...this.#formatBibliography() }, authors: names }
    })
  }

  #formatClusters(clusters: readonly ClusterRequest[], { cited, uncited }: Registered, how: FormatOptions): Map<string, FormattedCluster> {
    const citations: EngineCitation[] = clusters.map((cluster) => ({
      citationID: cluster.id,
      citationItems: cluster.items.map(toCitationItem),
      // `unsorted` is a citeproc-js extension to CSL.
      properties: cluster.unsorted ? { noteIndex: cluster.noteIndex, unsorted: true } : { noteIndex: cluster.noteIndex },
    }))
    const engine = this.#engine as unknown as EngineInternals
    const inContext = !how.wholeDocument && contextFree(engine, this.#styleXml, cited.map(internalId))
    const html = inContext ? formatInContext(engine, citations, loadCiteproc().ASSUME_ALL_ITEMS_REGISTERED, how.onCluster) : this.#formatInWholeDocument(citations, uncited)
    // citeproc's HTML for a cluster has the delimiters inside a group of one author's cites marked (`citeGroups`):
    // the marks tell the cites apart, and go.
    const layout = citationLayout(this.#styleXml)
    return new Map(
      citations.map((citation): [string, FormattedCluster] => {
        const silent = citation.galleySilent ?? []
        const printed = citation.sortedItems?.map(([, item]) => String(item.id)) ?? citation.citationItems.map((item) => item.id)
        const order = printed.filter((id) => !silent.includes(id)).map(externalId)
        const marked = mergedPunctuation(html.get(citation.citationID) ?? '')
        return [citation.citationID, { html: withoutGroupMarks(marked), shape: shapeOf(marked, layout), order, silent: silent.map(externalId) }]
      }),
    )
  }

  /**
   * After `register`: the bibliography of these entries alone, by citeproc-js's own selection (`makeBibliography`'s
   * `include`), for Pandoc's `section-bibliographies`. Numbers, year suffixes and names are those the whole book
   * registered, and `subsequent-author-substitute` compares only entries of the same list.
   */
  selectedBibliography(ids: readonly string[]): BibliographyEntry[] {
    return guarded(() => this.#formatBibliography(ids).bibliography)
  }

  #formatBibliography(selection?: readonly string[]): Omit<FormattedDocument, 'clusters'> {
    const made = this.#engine.makeBibliography(selection && { include: selection.map((id) => ({ field: 'id', value: internalId(id) })) })
    if (!made) return { bibliography: [], hangingIndent: false, secondFieldAlign: undefined }
    const [params, entries] = made
    return {
      bibliography: entries.map((html, index) => ({
        id: externalId(params.entry_ids[index]?.[0] ?? ''),
        html: bareSubstitute(mergedPunctuation(html.replace(noPrintedEntry, '')).trim(), this.#authorSubstitute),
      })),
      hangingIndent: Boolean(params.hangingindent),
      secondFieldAlign: params['second-field-align'] || undefined,
    }
  }

  /**
   * citeproc's own way, `rebuildProcessorState`: each cluster is formatted against every cluster before it, so a
   * document of n clusters costs n² (a 3,000-citation book in a note style: most of citeproc's time).
   */
  #formatInWholeDocument(citations: EngineCitation[], uncited: readonly string[]): Map<string, string> {
    return new Map(this.#engine.rebuildProcessorState(citations, 'html', uncited.map(internalId)).map(([id, , html]) => [id, html]))
  }

  /**
   * The author part alone of a narrative citation ("Doe (2020)", "Doe argues…¹"): the first time in full,
   * afterwards in the style's subsequent form, as Pandoc's author-only cite does.
   */
  #authorOnly(item: CiteRequest, subsequent: boolean): string {
    const cite: CitationItem & { position?: number } = { ...toCitationItem(item), 'author-only': true, position: subsequent ? 1 : 0 }
    // Only the name is wanted: citeproc would print a suffix with it.
    delete cite['suppress-author']
    delete cite.suffix
    const html = this.#engine.makeCitationCluster([cite])
    // A style that prints no names in citations (numeric ones) has no author part: Pandoc prints just "[3]".
    // The author macro's own suffix (a style's "&#160;" before the year) ends nothing here: Pandoc prints "Doe¹".
    return html.includes('NO_PRINTED_FORM') ? '' : html.replace(/(?:\s|&#160;|&nbsp;|\u00A0)+((?:<\/[a-z]+>)*)$/i, '$1')
  }
}

export interface FormatOptions {
  wholeDocument?: boolean
  /** Told as the clusters are formatted (`done` of them so far), for a progress display. */
  onCluster?: ((done: number) => void) | undefined
}

/** The ids a document cites, in the order of their first citation. */
export function citedIds(clusters: readonly ClusterRequest[]): string[] {
  return [...new Set(clusters.flatMap((cluster) => cluster.items.map((item) => item.id)))]
}

interface Registered {
  cited: string[]
  uncited: string[]
}

/**
 * Punctuation that citeproc-js leaves side by side where Pandoc's citeproc merges it (its `fixPunct`), merged here too.
 * No typography prints any of these:
 * - a space before a comma, where a delimiter ends in a space and the next part starts with a comma (a group delimited
 *   by " " around a status with the prefix ", "): "(Faraday , forthcoming)";
 * - a space before the period that ends the whole, where a part's suffix " " meets the layout's suffix ".": "Title ."
 *   (only there: Pandoc merges where two parts meet, and a style's own `suffix=" ."` in the middle of an entry, as
 *   forensic-science-review's "1 . ", is one part; at the very end Galley cannot tell the two apart and merges);
 * - a period again after a period and the space of an affix, where a group's suffix ". " ends inside another's (an
 *   IEEE variant's web pages: "31-May-2021. . https://…"); a spaced ellipsis (". . .") is left as it is;
 * - a comma or period after a title's own question or exclamation mark, moved inside its closing quote by the
 *   locale's punctuation-in-quote: "“Which Third Parties Are Apps Talking To?,” in".
 */
function mergedPunctuation(html: string): string {
  return html
    .replace(/ +(?=,)/g, '')
    .replace(/(?<=[^\s.][.?!][”’]?) \.(?=\s(?!\.)|<|$)/g, '')
    .replace(/(?<=[^\s.?!]) +\.((?:<\/[a-z]+>)*\s*)$/, '.$1')
    .replace(/([?!])[,.](?=[”’])/g, '$1')
}

/** The bibliography's `subsequent-author-substitute`, its XML character references read, HTML-escaped as citeproc prints text. */
export function authorSubstitute(styleXml: string): string {
  const value = /<bibliography\b[^>]*?\ssubsequent-author-substitute\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(styleXml)
  const raw = value?.[1] ?? value?.[2] ?? ''
  const text = raw
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&(quot|apos|lt|gt);/g, (_, name: string) => ({ quot: '"', apos: "'", lt: '<', gt: '>' })[name] ?? '')
    .replace(/&amp;/g, '&')
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * An entry that opens with the substitute for a repeated author where the author's substitute is a title: citeproc-js
 * puts the dashes inside the title's quotation marks or italics ("“———.” 2018."); Pandoc's citeproc replaces the
 * whole rendered names, decoration and all ("———. 2018."), as CSL says the substitute replaces the names element.
 */
export function bareSubstitute(html: string, substitute: string): string {
  if (substitute === '') return html
  const s = substitute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return html
    .replace(new RegExp(`^((?:<[^>]+>)*)[“‘«„‚「『"'](?:\u00A0|\u202F)?(${s})([.,;:]?)(?:\u00A0|\u202F)?[”’»“‘」』"']`), '$1$2$3')
    .replace(new RegExp(`^((?:<[^>]+>)*)<(i|b|span)(?:\\s[^>]*)?>(${s})</\\2>`), '$1$3')
}

/**
 * What citeproc-js prints for an entry of a numeric style that prints nothing at all; Pandoc leaves the entry empty.
 * (Citations that print nothing are handled by `silentCites`.)
 */
const noPrintedEntry = /\d+\. \[CSL STYLE ERROR: reference with no printed form\.\]/

/** citeproc-js throws plain exceptions on data it cannot handle; the build reports them as a bibliography problem. */
function guarded<T>(run: () => T): T {
  try {
    return run()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new BibliographyError(`The citation processor (citeproc-js) failed on these entries: ${reason}. Check the names and dates of the entries cited`, undefined, { cause: error })
  }
}

/**
 * citeproc-js indexes entries by id in plain objects (`registry[id]`, `citationsByItemId[id]`), so a key such as
 * `constructor` or `__proto__` found an inherited property and stopped the build with a TypeError. Inside citeproc
 * every id carries a prefix that no property of `Object.prototype` starts with; ids are mapped back on the way out.
 */
function internalId(id: string): string {
  return `@${id}`
}

function externalId(id: string): string {
  return id.slice(1)
}

function toCitationItem(item: CiteRequest): CitationItem {
  const result: CitationItem & { galleySortGroup?: number } = { id: internalId(item.id) }
  if (item.sortGroup !== undefined) result.galleySortGroup = item.sortGroup
  if (item.locator !== undefined) result.locator = item.locator
  if (item.label !== undefined) result.label = item.label
  if (item.prefix) result.prefix = item.prefix
  if (item.suffix) result.suffix = item.suffix
  if (item.suppressAuthor) result['suppress-author'] = true
  return result
}
