// The one module that talks to citeproc-js: a whole document's clusters in, formatted HTML strings out.
import { createRequire } from 'node:module'
import type CSLModule from 'citeproc'
import type { Citation, CitationItem, Engine } from 'citeproc'
import { BibliographyError } from '../errors.js'
import type { CslItem } from './bibliography.js'
import { citeGroupMark } from './cluster-html.js'
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
  /** With the delimiters inside a group of one author's cites marked (`citeGroupMark`). */
  html: string
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
    citeproc.SKIP_WORDS = [...stopWords]
    fastCaseMapping(citeproc)
    citeGroups(citeproc)
    silentCites(citeproc)
  }
  return citeproc
}

/**
 * A cite can print nothing: MLA's `[-@doe]` without a locator, a suppressed author in a note style's short form.
 * citeproc-js then writes its own markers into the text ("[NO_PRINTED_FORM]", "[CSL STYLE ERROR: reference with no
 * printed form.]") or loses the layout's suffix ("(Lee et al."). Pandoc leaves such a cite out, with its delimiter,
 * and a citation of nothing but such cites is empty. So: each cite's output is checked as it is made, and a citation
 * with silent cites is made again without them (their positions, ibid and the rest, were settled before).
 */
function silentCites(csl: typeof CSLModule): void {
  const internals = csl as unknown as SilentInternals
  const { getCitationCluster, getCite } = internals
  internals.getCite = function (this: SilentState, ...args: unknown[]): unknown {
    const result = getCite.apply(this, args)
    const record = this.tmp.galleySilent
    if (record && this.tmp.area === 'citation' && !this.tmp.just_looking) record.push(printsNothing(this.output.queue.at(-1)))
    return result
  }
  internals.getCitationCluster = function (this: SilentState, ...args: unknown[]): unknown {
    const outer = this.tmp.galleySilent
    const silent: boolean[] = []
    this.tmp.galleySilent = silent
    let html: unknown
    try {
      html = getCitationCluster.apply(this, args)
    } finally {
      this.tmp.galleySilent = outer
    }
    const cites = args[0]
    // An author-only cite stops after the first cite; anything else unforeseen is left as citeproc made it.
    if (!silent.includes(true) || !Array.isArray(cites) || silent.length !== cites.length) return html
    const kept = cites.filter((_, index) => !silent[index])
    // Noted on the citation, for the build to say which cites printed nothing.
    const citation = args[1] as { galleySilent?: string[] } | undefined
    if (citation && typeof citation === 'object') {
      citation.galleySilent = (cites as [{ id: unknown }][]).flatMap(([item], index) => (silent[index] ? [String(item.id)] : []))
    }
    return kept.length === 0 ? '' : internals.getCitationCluster.call(this, kept, ...args.slice(1))
  }
}

/** Whether a cite's output blob holds no text at all (what citeproc-js's `purgeEmptyBlobs` would remove entirely). */
function printsNothing(blob: OutputBlob | undefined): boolean {
  if (!blob) return true
  if (typeof blob.blobs === 'string') return blob.blobs.length === 0
  return !Array.isArray(blob.blobs) || blob.blobs.every(printsNothing)
}

interface OutputBlob {
  blobs?: string | OutputBlob[]
}

/** The parts of citeproc-js's citation assembly that `silentCites` changes and reads. */
interface SilentInternals {
  getCitationCluster: (this: SilentState, ...args: unknown[]) => unknown
  getCite: (this: SilentState, ...args: unknown[]) => unknown
}

interface SilentState {
  output: { queue: OutputBlob[] }
  tmp: { area: string; just_looking: boolean; galleySilent?: boolean[] | undefined }
}

/**
 * Cites by one author in a row are a group (`collapse="year"`: "Doe 2019, 2020a, 2020b; Roe 2018"), and citeproc-js
 * does three things there otherwise than Pandoc 2.17 (and, for the first, CSL 1.0.2):
 * - Inside a group the delimiter is the style's cite-group-delimiter, ", " when it sets none. citeproc-js put the
 *   layout's delimiter there in a style that also sets an after-collapse-delimiter, such as Chicago author-date,
 *   Pandoc's default: "(Doe 2019; 2020a; 2020b; Roe 2018)".
 * - When any cite of a group has a locator, Pandoc puts the after-collapse-delimiter (or the layout's) all through
 *   the group: "(Doe 2019, 3; 2020a; 2020b)". citeproc-js did so only next to a cite with a locator, or not at all.
 * - A cite with a suffix, or with a prefix after the first, is not grouped with the cite before it, and the author's
 *   name is printed again: "(see Doe 2020a; also Doe 2020b)", where citeproc-js printed "also 2020b". A suffix
 *   ends a group too.
 * - A cite whose names citeproc-js left out as the same as the last cite's is in the group, whatever else it prints:
 *   "(Doe 2018, in press)", where citeproc-js stopped collapsing at the status it printed and wrote "; in press".
 * Each delimiter inside a group is left marked (`citeGroupMark`), so that the cites can be told apart afterwards.
 */
function citeGroups(csl: typeof CSLModule): void {
  const internals = csl as unknown as GroupInternals
  const { getCitationCluster, getCite, getSpliceDelimiter } = internals
  const names = (csl as unknown as { NameOutput: { prototype: NameOutputInternals } }).NameOutput.prototype
  const { _collapseAuthor: collapseAuthor } = names
  // Where citeproc-js leaves out a cite's names as the previous cite's: it drops their output and keeps the last names.
  names._collapseAuthor = function (this: NameOutputInternals, ...args: unknown[]): unknown {
    const tmp = this.state.tmp
    const before = tmp.last_primary_names_string
    const count = tmp.name_node?.top?.blobs?.length
    const result = collapseAuthor.apply(this, args)
    const after = tmp.name_node?.top?.blobs?.length
    if (count !== undefined && after !== undefined && after < count && tmp.last_primary_names_string === before) tmp.galleySameNames = true
    return result
  }
  internals.getCitationCluster = function (this: GroupState, ...args: unknown[]): unknown {
    const outer = this.tmp.galleyCluster
    const items = ((args[0] ?? []) as [unknown, { locator?: unknown } | undefined][]).map(([, item]) => item)
    const cluster: ClusterRecord = { items, grouped: [] }
    this.tmp.galleyCluster = cluster
    try {
      const html = getCitationCluster.apply(this, args)
      return typeof html === 'string' ? settleGroups(html, cluster) : html
    } finally {
      this.tmp.galleyCluster = outer
    }
  }
  internals.getCite = function (this: GroupState, ...args: unknown[]): unknown {
    const item = args[1] as { prefix?: unknown; suffix?: unknown } | undefined
    // Only the rendering of a citation's cites in order, not disambiguation's look at one cite.
    if (this.tmp.area !== 'citation' || this.tmp.just_looking) return getCite.apply(this, args)
    const first = args[2] === null || args[2] === undefined
    // citeproc-js leaves out a cite's names when they are the same as the last cite's: forget those, and they are not.
    if (item?.prefix || item?.suffix || (!first && this.tmp.galleyLastSuffix)) this.tmp.last_primary_names_string = false
    this.tmp.galleyLastSuffix = Boolean(item?.suffix)
    this.tmp.galleySameNames = false
    return getCite.apply(this, args)
  }
  internals.getSpliceDelimiter = function (this: GroupState, lastLocator: boolean, lastCollapsed: boolean, pos: number): string {
    const delimiter = getSpliceDelimiter.call(this, lastLocator, lastCollapsed, pos)
    const options = this.citation.opt
    const cluster = this.tmp.galleyCluster
    if (options.collapse !== 'year' || !(this.tmp.have_collapsed || this.tmp.galleySameNames) || pos === 0 || !cluster) return delimiter
    cluster.grouped[pos] = true
    // Both delimiters, until the whole group is known (`settleGroups`).
    const inGroup = options.cite_group_delimiter || ', '
    const withLocator = options['after-collapse-delimiter'] ?? options.layout_delimiter ?? delimiter
    this.tmp.splice_delimiter = citeGroupMark + inGroup + groupChoiceMark + withLocator + citeGroupMark
    return this.tmp.splice_delimiter
  }
}

/** Separates the two delimiters `citeGroups` offers inside a group (a Unicode noncharacter, for internal use). */
const groupChoiceMark = '\uFDD1'

/** What `citeGroups` notes of the citation being rendered: its cites, and which of them joined the group before. */
interface ClusterRecord {
  items: ({ locator?: unknown } | undefined)[]
  grouped: boolean[]
}

/** Picks each group's delimiter: the after-collapse one if any cite of the group has a locator. Keeps the marks. */
function settleGroups(html: string, cluster: ClusterRecord): string {
  const joined = cluster.grouped.flatMap((grouped, pos) => (grouped ? [pos] : []))
  let next = 0
  const choice = new RegExp(`${citeGroupMark}([^${citeGroupMark}${groupChoiceMark}]*)${groupChoiceMark}([^${citeGroupMark}]*)${citeGroupMark}`, 'g')
  return html.replace(choice, (_, inGroup: string, withLocator: string) => {
    const pos = joined[next++]
    let start = pos ?? 0
    while (start > 0 && cluster.grouped[start]) start -= 1
    let end = pos ?? 0
    while (cluster.grouped[end + 1]) end += 1
    const located = pos !== undefined && cluster.items.slice(start, end + 1).some((item) => Boolean(item?.locator))
    return citeGroupMark + (located ? withLocator : inGroup) + citeGroupMark
  })
}

/** The parts of citeproc-js's citation assembly that `citeGroups` changes and reads. */
interface GroupInternals {
  getCitationCluster: (this: GroupState, ...args: unknown[]) => unknown
  getCite: (this: GroupState, ...args: unknown[]) => unknown
  getSpliceDelimiter: (this: GroupState, lastLocator: boolean, lastCollapsed: boolean, pos: number) => string
}

interface GroupState {
  citation: { opt: { collapse?: string; 'after-collapse-delimiter'?: string; cite_group_delimiter?: string; layout_delimiter?: string } }
  tmp: {
    area: string
    just_looking: boolean
    have_collapsed: boolean
    splice_delimiter: string
    last_primary_names_string: string | false
    galleyCluster?: ClusterRecord | undefined
    galleyLastSuffix?: boolean
    galleySameNames?: boolean
  }
}

/** The part of citeproc-js's name rendering that `citeGroups` watches. */
interface NameOutputInternals {
  _collapseAuthor: (this: NameOutputInternals, ...args: unknown[]) => unknown
  state: { tmp: GroupState['tmp'] & { name_node?: { top?: { blobs?: unknown[] } } } }
}

/**
 * citeproc-js changes case with `toLocaleLowerCase(languages)` for every name part and title word; V8 resolves the
 * language list on every call, which made it a tenth of a cold build's citeproc time. Only Turkish, Azeri and
 * Lithuanian (and Greek, upper case) map case differently from the root mapping: other languages take the plain
 * mapping, which gives the same letters. An empty list no longer falls back to the machine's default locale (a
 * Turkish one lower-cased "I" to "ı").
 *
 * Like the stop words, this changes citeproc-js for the whole process: citeproc-js keeps such settings globally.
 */
function fastCaseMapping(csl: typeof CSLModule): void {
  const { toLocaleLowerCase: lower, toLocaleUpperCase: upper } = csl
  const lowerDiffers = /^(tr|az|lt)\b/i
  const upperDiffers = /^(tr|az|lt|el)\b/i
  const any = (state: CaseState, pattern: RegExp): boolean => (state.tmp.lang_array ?? []).some((tag) => pattern.test(tag))
  csl.toLocaleLowerCase = function (this: CaseState, text: string): string {
    return any(this, lowerDiffers) ? lower.call(this, text) : text.toLowerCase()
  }
  csl.toLocaleUpperCase = function (this: CaseState, text: string): string {
    return any(this, upperDiffers) ? upper.call(this, text) : text.toUpperCase()
  }
}

interface CaseState {
  tmp: { lang_array?: string[] }
}

/**
 * The words title case leaves in lower case: CSL 1.0.2's stop words, with those Pandoc's citeproc adds ("about" and
 * the particles van, von, de, d', l'). citeproc-js's own list has some 150 (every preposition, "after", "before",
 * "between"…), so a title that Pandoc prints "Up on Month After Falling" came out "up on Month after Falling".
 * citeproc-js also drops these words when it makes a `citation-label` from a title.
 */
const stopWords = ['a', 'an', 'and', 'as', 'at', 'but', 'by', 'down', 'for', 'from', 'in', 'into', 'nor', 'of', 'on', 'onto', 'or', 'over', 'so', 'the', 'till', 'to', 'up', 'via', 'with', 'yet', 'about', 'van', 'von', 'de', "d'", "l'"]

/** A citeproc engine for one build. Not shared between builds: it keeps the state of the document it formats. */
export class CslEngine {
  readonly #engine: Engine
  readonly #styleXml: string
  #registered: Registered | undefined

  constructor(options: EngineOptions) {
    this.#styleXml = options.styleXml
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
    const html = !how.wholeDocument && this.#contextFree(cited) ? this.#formatInContext(citations) : this.#formatInWholeDocument(citations, uncited)
    return new Map(
      citations.map((citation): [string, FormattedCluster] => {
        const silent = citation.galleySilent ?? []
        const printed = citation.sortedItems?.map(([, item]) => String(item.id)) ?? citation.citationItems.map((item) => item.id)
        const order = printed.filter((id) => !silent.includes(id)).map(externalId)
        return [citation.citationID, { html: noSpaceBeforeComma(html.get(citation.citationID) ?? ''), order, silent: silent.map(externalId) }]
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
      bibliography: entries.map((html, index) => ({ id: externalId(params.entry_ids[index]?.[0] ?? ''), html: noSpaceBeforeComma(html.replace(noPrintedEntry, '')).trim() })),
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
   * The same result in linear time. With every entry registered ahead, what citeproc derives from the clusters
   * before a cluster (the positions first, subsequent, ibid, ibid-with-locator and near-note, the
   * first-reference-note-number, the citation count that reruns disambiguation in note styles) comes from a few of
   * them: for each of its entries the first and the latest cluster citing it, in running text and in notes; the
   * cluster before it in its stream (text or notes) with every cluster of that note; the clusters before it in its
   * own note; and the first cluster citing each entry of those (so their first-reference note numbers stay as they
   * were and citeproc does not rerun their disambiguation). Each cluster is formatted against just those, and only
   * its own text is taken: what citeproc re-formats of the context clusters is an artefact of the shortened list.
   * Tests compare this with `#formatInWholeDocument` on generated documents in many styles.
   */
  #formatInContext(citations: EngineCitation[]): Map<string, string> {
    const engine = this.#engine as unknown as EngineInternals
    const first = new Map<string, number>()
    const latest = new Map<string, number>()
    const inNote = new Map<number, number[]>()
    let previousInText = -1
    let previousInNotes = -1
    const html = new Map<string, string>()
    engine.setOutputFormat('html')
    citations.forEach((citation, index) => {
      const note = citation.properties.noteIndex
      const context = new Set<number>()
      /** Adds the clusters that `seen` records for the entries of `cluster`, in either stream. */
      const addCiting = (cluster: EngineCitation | undefined, ...seen: Map<string, number>[]): void => {
        for (const item of cluster?.citationItems ?? []) {
          for (const map of seen) {
            for (const at of [map.get(`t${item.id}`), map.get(`n${item.id}`)]) if (at !== undefined) context.add(at)
          }
        }
      }
      addCiting(citation, first, latest)
      const previous = note ? previousInNotes : previousInText
      if (previous >= 0) {
        context.add(previous)
        for (const at of inNote.get(citations[previous]?.properties.noteIndex ?? 0) ?? []) context.add(at)
      }
      for (const at of inNote.get(note) ?? []) context.add(at)
      for (const at of [...context]) addCiting(citations[at], first)
      const before = [...context].sort((a, b) => a - b).flatMap((at) => citations[at] ?? [])
      // citeproc looks clusters up by id in a table that each call replaces with the clusters it was given.
      for (const earlier of before) engine.registry.citationreg.citationById[earlier.citationID] = earlier
      const pre = before.map((earlier): [string, number] => [earlier.citationID, earlier.properties.noteIndex])
      const [, formatted] = engine.processCitationCluster(citation, pre, [], loadCiteproc().ASSUME_ALL_ITEMS_REGISTERED)
      html.set(citation.citationID, formatted.find(([, , id]) => id === citation.citationID)?.[1] ?? '')
      const stream = note ? 'n' : 't'
      for (const item of citation.citationItems) {
        if (!first.has(stream + item.id)) first.set(stream + item.id, index)
        latest.set(stream + item.id, index)
      }
      if (note) {
        inNote.set(note, [...(inNote.get(note) ?? []), index])
        previousInNotes = index
      } else previousInText = index
    })
    return html
  }

  /**
   * Whether positions follow from entry ids alone, as `#formatInContext` assumes. CSL-M's legal and container
   * tracking and parallel citations tie an entry's position to other entries: those documents take citeproc's way.
   */
  #contextFree(ids: readonly string[]): boolean {
    const engine = this.#engine as unknown as EngineInternals
    // CSL-M's `check-ambiguity-and-backreference` prints according to the citation count itself.
    if (this.#styleXml.includes('check-ambiguity-and-backreference')) return false
    if (engine.opt.parallel?.enable || engine.bibliography.opt.track_container_items) return false
    return ids.every((id) => !engine.registry.registry[internalId(id)]?.ref?.legislation_id)
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
    return html.includes('NO_PRINTED_FORM') ? '' : html
  }
}

export interface FormatOptions {
  wholeDocument?: boolean
}

/** The ids a document cites, in the order of their first citation. */
export function citedIds(clusters: readonly ClusterRequest[]): string[] {
  return [...new Set(clusters.flatMap((cluster) => cluster.items.map((item) => item.id)))]
}

interface Registered {
  cited: string[]
  uncited: string[]
}

/** A cluster as citeproc keeps it: it adds the cites in the order the style printed them. */
type EngineCitation = Citation & { properties: { unsorted?: boolean }; sortedItems?: [unknown, { id: string | number }][]; galleySilent?: string[] }

/** The parts of citeproc-js beyond its documented interface that formatting in context uses. */
interface EngineInternals {
  opt: { parallel?: { enable?: boolean }; sort_sep: string }
  bibliography: { opt: { track_container_items?: unknown } }
  registry: {
    registry: Record<string, { ref?: { legislation_id?: string } } | undefined>
    citationreg: { citationById: Record<string, EngineCitation> }
  }
  setOutputFormat(mode: 'html'): void
  processCitationCluster(citation: EngineCitation, pre: [string, number][], post: [string, number][], flag: number): [unknown, [number, string, string][]]
}

/**
 * A space and a comma meet where a delimiter ends in a space and the next part starts with a comma (a group
 * delimited by " " around a status with the prefix ", "): citeproc-js prints "(Faraday , forthcoming)", Pandoc's
 * citeproc keeps the comma alone (its `fixPunct`). No typography puts a plain space before a comma.
 */
function noSpaceBeforeComma(html: string): string {
  return html.replace(/ +(?=,)/g, '')
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

/**
 * Cites of different sort groups (`CiteRequest.sortGroup`) keep their order; within one the style's sort applies.
 * citeproc-js copies every property of a cite, so the group travels with it to the comparison.
 */
function sortInGroups(engine: Engine): void {
  const sorting = (engine as unknown as { citation: { srt: { compareCompositeKeys: (a: SortedCite, b: SortedCite) => number } } }).citation.srt
  const compare = sorting.compareCompositeKeys
  const group = (cite: SortedCite): number => cite[1]?.galleySortGroup ?? 0
  sorting.compareCompositeKeys = (a, b) => group(a) - group(b) || compare(a, b)
}

type SortedCite = [unknown, { galleySortGroup?: number } | undefined]

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
