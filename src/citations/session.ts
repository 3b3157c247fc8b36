// The one owner of citeproc in a build: the cache in front of it, the worker started early on a guess, and citeproc
// on the build's own thread. The citations stage sees only its `format` port.
import type { Metadata } from '../config/schema.js'
import { contentKey, type Cache } from '../file-cache.js'
import type { Bibliography } from './bibliography.js'
import { CiteprocThread } from './citeproc-thread.js'
import { citedIds, CslEngine, type AuthorRequest, type BibliographyEntry, type ClusterRequest, type EngineOptions, type Formatted, type FormattedCluster, type FormattedDocument } from './csl-engine.js'
import type { GuessInput } from './guess.js'

/** Everything the citations stage asks of citeproc for one book: its style and entries, every cluster, the author parts. */
export interface CitationRequest {
  engine: EngineOptions
  clusters: readonly ClusterRequest[]
  uncited: readonly string[]
  authors: readonly AuthorRequest[]
  /**
   * Reference lists of chosen entries (`section-bibliographies`), each from the same registration as the book's, so
   * year suffixes and numbers agree with the citations.
   */
  selections?: readonly (readonly string[])[] | undefined
}

/** Where formatted citations came from: the citation cache, the early worker, or citeproc on the build's thread. */
export type CitationSource = 'cache' | 'worker' | 'main'

/** The port the citations stage formats through. */
export type FormatCitations = (request: CitationRequest, onCluster?: (done: number) => void) => Promise<FormattedRequest>

/** The formatted book, the lists of `selections` in their order, and where the result came from. */
export type FormattedRequest = Formatted & { lists: BibliographyEntry[][]; source: CitationSource }

export interface SessionOptions {
  /**
   * Whether citeproc may run in a worker thread started before the parse, on a guess at the entries (`prime`). The
   * output is the same either way.
   */
  worker: boolean
  /** Start that worker now: citeproc is sure to run (no cache), and it boots while the rest of Galley loads. */
  startNow?: boolean
}

/** Opens a session for `run` and closes it (and so its worker) however `run` ends. The only place sessions are made. */
export async function withCitationSession<T>(options: SessionOptions, run: (session: CitationSession) => Promise<T>): Promise<T> {
  const session = new CitationSession(options)
  try {
    return await run(session)
  } finally {
    session.close()
  }
}

/**
 * citeproc for one build. With a cache, citeproc runs only when the key changes: the key is a hash of everything
 * citeproc reads (style, locales, the cited and uncited entries, every cluster in order with its locators, affixes
 * and note number, the author parts asked for), so an edit to the prose costs no citeproc time and no edit that
 * changes a citation can be served stale. When citeproc must run, a worker that has already registered exactly
 * these entries formats them (registering is most of citeproc's time in an author-date book, and runs beside the
 * parse); otherwise citeproc runs on the build's thread. The worker is used for one request at most.
 */
export class CitationSession {
  readonly #worker: boolean
  #thread: CiteprocThread | undefined
  #guessed: { bibliography: Bibliography; readsSame: (metadata: Metadata) => boolean } | undefined

  /** Made by `withCitationSession`, which closes it. */
  constructor(options: SessionOptions) {
    this.#worker = options.worker
    if (options.worker && options.startNow) this.#thread = CiteprocThread.spawn()
  }

  /**
   * Guesses, before the parse, what citeproc will register, and has the worker register it now when citeproc will
   * probably run: the text cites entries and the cache has not seen them registered (always without a cache). A
   * problem with the inputs stops the guess quietly: the build reports it as it reads them itself.
   */
  async prime(input: GuessInput, cache: Cache | undefined): Promise<void> {
    if (!this.#worker) return
    // Without a cache citeproc will run: the worker starts first and loads citeproc while this thread reads what it
    // is to register. With one, a hit is likely, and the worker starts only when the cache has not seen this registration.
    if (cache === undefined) this.#thread ??= CiteprocThread.spawn()
    try {
      // Loaded here, not with this module: the library's entry makes a session before the rest of Galley is loaded.
      const { guessEngine, guessEntries } = await import('./guess.js')
      const engine = guessEngine(input)
      this.#thread?.makeEngine(engine.setup)
      const guess = await guessEntries(input, engine)
      this.#guessed = guess
      const registration = guess.cited.length === 0 && guess.uncited.length === 0 ? undefined : registrationKey(guess.engine, guess.cited, guess.uncited)
      if (registration === undefined || cache?.get(registeredMarker(registration)) === true) {
        this.#stopWorker()
        return
      }
      this.#thread ??= CiteprocThread.spawn()
      this.#thread?.register({ ...guess.engine, projectDir: input.projectDir, cited: guess.cited, uncited: guess.uncited, registration })
    } catch {
      this.#guessed = undefined
      this.#stopWorker()
    }
  }

  /** The bibliography the guess read, if the build would read it from the same sources. */
  bibliographyFor(metadata: Metadata): Bibliography | undefined {
    return this.#guessed?.readsSame(metadata) ? this.#guessed.bibliography : undefined
  }

  /** Whether a worker is at work on citeproc, so this thread has time for other work while the citations are formatted. */
  get formatsInWorker(): boolean {
    return this.#thread !== undefined
  }

  /** The port for the citations stage, with formatted citations kept in `cache` between builds. */
  formatter(cache: Cache | undefined): FormatCitations {
    return (request, onCluster) => this.#format(request, cache, onCluster)
  }

  async #format({ engine, clusters, uncited, authors, selections = [] }: CitationRequest, cache: Cache | undefined, onCluster?: (done: number) => void): Promise<FormattedRequest> {
    // The worker registered once, for the first request; any later one (another copy of the book) is formatted here.
    const thread = this.#thread
    this.#thread = undefined
    const cited = citedIds(clusters)
    const registration = registrationKey(engine, cited, uncited)
    const key = cache && contentKey([registration, JSON.stringify(clusters), JSON.stringify(authors), ...(selections.length > 0 ? [JSON.stringify(selections)] : [])])
    const cached = key === undefined ? undefined : (cache?.get(key) as CacheRecord | undefined)
    if (cached?.document?.clusters && Array.isArray(cached.authors)) {
      thread?.close()
      return { document: { ...cached.document, clusters: new Map(cached.document.clusters) }, authors: new Map(cached.authors), lists: cached.lists ?? [], source: 'cache' }
    }
    const fromWorker = thread && (await thread.format(registration, clusters, authors, onCluster))
    thread?.close()
    const formatted = fromWorker ?? formatHereNow(engine, cited, clusters, uncited, authors, onCluster)
    const lists = selectedLists(engine, cited, uncited, selections)
    if (cache && key !== undefined) {
      const record: CacheRecord = { document: { ...formatted.document, clusters: [...formatted.document.clusters] }, authors: [...formatted.authors], lists }
      cache.set(key, record)
      // Tells the next build that these entries were registered before, so a citation cache hit is likely. A wrong
      // guess is recorded too: the same guess next time would start a worker only to stop it again.
      cache.set(registeredMarker(registration), true)
      const guessed = thread?.registration
      if (guessed !== undefined && guessed !== registration) cache.set(registeredMarker(guessed), true)
    }
    return { ...formatted, lists, source: fromWorker ? 'worker' : 'main' }
  }

  #stopWorker(): void {
    this.#thread?.close()
    this.#thread = undefined
  }

  close(): void {
    this.#stopWorker()
  }
}

/** The port without a session: citeproc on this thread, no cache (for tests of the passes alone). */
export const formatHere: FormatCitations = async ({ engine, clusters, uncited, authors, selections = [] }, onCluster) => ({
  ...formatHereNow(engine, citedIds(clusters), clusters, uncited, authors, onCluster),
  lists: selectedLists(engine, citedIds(clusters), uncited, selections),
  source: 'main',
})

function formatHereNow(options: EngineOptions, cited: readonly string[], clusters: readonly ClusterRequest[], uncited: readonly string[], authors: readonly AuthorRequest[], onCluster?: (done: number) => void): Formatted {
  const engine = new CslEngine(options)
  engine.register(cited, uncited)
  return engine.formatAll(clusters, authors, { onCluster })
}

/**
 * The lists of `section-bibliographies`, from one engine registered with the whole book (on this thread: only a book
 * with such lists pays for a second registration, and the lists are cached with the rest).
 */
function selectedLists(options: EngineOptions, cited: readonly string[], uncited: readonly string[], selections: readonly (readonly string[])[]): BibliographyEntry[][] {
  if (selections.length === 0) return []
  const engine = new CslEngine(options)
  engine.register(cited, uncited)
  return selections.map((ids) => (ids.length === 0 ? [] : engine.selectedBibliography([...ids])))
}

interface CacheRecord {
  document: Omit<FormattedDocument, 'clusters'> & { clusters: [string, FormattedCluster][] }
  authors: [string, string][]
  lists?: BibliographyEntry[][]
}

/**
 * A hash of what `CslEngine.register` reads: style, language and locales, the cited ids in order, the uncited ones
 * and every one of those entries. With Galley's code and citeproc's version (the code fingerprint).
 */
export function registrationKey(options: EngineOptions, cited: readonly string[], uncited: readonly string[]): string {
  const parts = [options.styleXml, options.lang]
  for (const lang of new Set([options.lang, 'en-US'])) parts.push(options.retrieveLocale(lang) ?? '')
  parts.push(JSON.stringify(cited), JSON.stringify(uncited))
  for (const id of [...cited, ...uncited]) parts.push(JSON.stringify(options.items.get(id) ?? null))
  return contentKey(parts)
}

/** The cache key that records that a build registered these entries, or guessed them (see `registrationKey`). */
function registeredMarker(registration: string): string {
  return contentKey(['registered', registration])
}
