// Every change Galley makes to citeproc-js beyond its documented interface, in one place, for the one version they
// were written against: citeproc-js keeps such settings process-wide, and these read and replace its internals.
import { createRequire } from 'node:module'
import type CSLModule from 'citeproc'
import type { Engine } from 'citeproc'
import { citeGroupMark } from './cluster-html.js'

/** The citeproc-js these patches are written for (`package.json` pins it): another version is a porting job. */
export const patchedVersion = '2.4.63'

/** Marks citeproc-js as patched, for every copy of Galley loaded in the process (the library and its bundle share it). */
const patched = Symbol.for('galley.citeproc-patched')

/**
 * Applies the process-wide patches once: CSL's stop words, case mapping by language, Pandoc's groups of one author's
 * cites, and cites that print nothing. Throws if citeproc-js is not the version they were written for, or lacks a
 * method they replace.
 */
export function patchCiteproc(csl: typeof CSLModule): void {
  const marked = csl as unknown as { [patched]?: true }
  if (marked[patched]) return
  const version = (createRequire(import.meta.url)('citeproc/package.json') as { version: string }).version
  if (version !== patchedVersion) {
    throw new Error(`Galley's patches of citeproc-js (src/citations/citeproc-patches.ts) are written for ${patchedVersion}, not ${version}: check each against the new version, or pin citeproc to ${patchedVersion}`)
  }
  const internals = csl as unknown as SilentInternals & GroupInternals & GivenNameInternals & { NameOutput: { prototype: Partial<NameOutputInternals> } }
  const methods = [
    internals.getCitationCluster, internals.getCite, internals.getSpliceDelimiter, internals.NameOutput.prototype._collapseAuthor, internals.NameOutput.prototype._givenName,
    internals.Util.Names.unInitialize, internals.Util.Names.initializeWith, csl.toLocaleLowerCase, csl.toLocaleUpperCase,
  ]
  if (!methods.every((method) => typeof method === 'function')) throw new Error(`citeproc-js ${version} lacks a method that Galley's patches replace (src/citations/citeproc-patches.ts)`)
  csl.SKIP_WORDS = [...stopWords]
  fastCaseMapping(csl)
  citeGroups(csl)
  silentCites(csl)
  initialsInFullGivenNames(csl)
  marked[patched] = true
}

/**
 * A given name printed in full although the style initializes (disambiguation adds it, as "J Lam 2012; John Lam
 * 2013"): CSL 1.0.2 adds the style's `initialize-with` to the initials already in it, as with `initialize="false"`,
 * and so does Pandoc ("J. Lam"); citeproc-js printed it as written ("J Lam", "J O"). In `_givenName`, the full form is
 * the one place that calls `unInitialize` while the style has an `initialize-with`: there it normalizes the initials
 * instead, with citeproc-js's own `initialize="false"` code (a whole name stays as written).
 */
function initialsInFullGivenNames(csl: typeof CSLModule): void {
  const internals = csl as unknown as GivenNameInternals
  const names = internals.Util.Names
  const proto = internals.NameOutput.prototype
  const { _givenName: givenName } = proto
  const { unInitialize } = names
  proto._givenName = function (this: GivenNameOutput, name: { block_initialize?: boolean }, ...rest: unknown[]): unknown {
    const terminator = this.state.inheritOpt(this.name, 'initialize-with')
    if (typeof terminator !== 'string' || name.block_initialize) return givenName.call(this, name, ...rest)
    // Each part of a hyphenated name on its own: citeproc-js's code drops the hyphen after an initial ("J.-P." →
    // "J. P."), Pandoc keeps it.
    names.unInitialize = (state, given) => given.split('-').map((part) => names.initializeWith(state, part, terminator, true)).join('-')
    try {
      return givenName.call(this, name, ...rest)
    } finally {
      names.unInitialize = unInitialize
    }
  }
}

/** The parts of citeproc-js's name rendering that `initialsInFullGivenNames` replaces. */
interface GivenNameInternals {
  Util: { Names: { unInitialize: (state: unknown, given: string) => string; initializeWith: (state: unknown, given: string, terminator: string, normalizeOnly: boolean) => string } }
  NameOutput: { prototype: { _givenName: (this: GivenNameOutput, name: { block_initialize?: boolean }, ...rest: unknown[]) => unknown } }
}

interface GivenNameOutput {
  state: { inheritOpt: (node: unknown, option: string) => unknown }
  name: unknown
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

/**
 * Cites of different sort groups (`CiteRequest.sortGroup`) keep their order; within one the style's sort applies.
 * citeproc-js copies every property of a cite, so the group travels with it to the comparison.
 */
export function sortInGroups(engine: Engine): void {
  const sorting = (engine as unknown as { citation: { srt: { compareCompositeKeys: (a: SortedCite, b: SortedCite) => number } } }).citation.srt
  const compare = sorting.compareCompositeKeys
  const group = (cite: SortedCite): number => cite[1]?.galleySortGroup ?? 0
  sorting.compareCompositeKeys = (a, b) => group(a) - group(b) || compare(a, b)
}

type SortedCite = [unknown, { galleySortGroup?: number } | undefined]

