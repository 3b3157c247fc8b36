// A content-addressed cache in front of citeproc: the same style, locale, entries and clusters give the same text.
import { contentKey, type Cache } from '../file-cache.js'
import type { CslItem } from './bibliography.js'
import type { CiteprocThread } from './citeproc-thread.js'
import { citedIds, CslEngine, type AuthorRequest, type ClusterRequest, type EngineOptions, type Formatted, type FormattedCluster, type FormattedDocument } from './csl-engine.js'

interface Record_ {
  document: Omit<FormattedDocument, 'clusters'> & { clusters: [string, FormattedCluster][] }
  authors: [string, string][]
}

/**
 * The engine the citations stage uses. With a cache, citeproc runs only when the key changes: the key is a hash of
 * everything citeproc reads (style, locales, the cited and uncited entries, every cluster in order with its
 * locators, affixes and note number, the author parts asked for), so an edit to the prose costs no citeproc time
 * and no edit that changes a citation can be served stale. When citeproc must run, a `CiteprocThread` that has
 * already registered exactly these entries does the rest; otherwise it runs here.
 */
export class CachedEngine {
  readonly #options: EngineOptions
  readonly #cache: Cache | undefined
  readonly #thread: CiteprocThread | undefined

  constructor(options: EngineOptions, cache?: Cache, thread?: CiteprocThread) {
    this.#options = options
    this.#cache = cache
    this.#thread = thread
  }

  /** Read from the style itself, so a cache hit needs no engine. */
  get isNoteStyle(): boolean {
    return /<style\b[^>]*\bclass="note"/.test(this.#options.styleXml)
  }

  /** Formats the document, and says where the result came from: the cache, the early worker, or citeproc here. */
  async format(clusters: readonly ClusterRequest[], uncited: readonly string[], authors: readonly AuthorRequest[], onCluster?: (done: number) => void): Promise<Formatted & { source: 'cache' | 'worker' | 'main' }> {
    const cited = citedIds(clusters)
    const registration = registrationKey(this.#options, cited, uncited)
    const key = this.#cache && contentKey([registration, JSON.stringify(clusters), JSON.stringify(authors)])
    const cached = key === undefined ? undefined : (this.#cache?.get(key) as Record_ | undefined)
    if (cached?.document?.clusters && Array.isArray(cached.authors)) {
      this.#thread?.close()
      return { document: { ...cached.document, clusters: new Map(cached.document.clusters) }, authors: new Map(cached.authors), source: 'cache' }
    }
    const fromWorker = this.#thread && (await this.#thread.format(registration, clusters, authors, onCluster))
    const formatted = fromWorker ?? this.#formatHere(cited, clusters, uncited, authors, onCluster)
    if (this.#cache && key !== undefined) {
      const record: Record_ = { document: { ...formatted.document, clusters: [...formatted.document.clusters] }, authors: [...formatted.authors] }
      this.#cache.set(key, record)
      // Tells the next build that these entries were registered before, so a citation cache hit is likely. A wrong
      // guess is recorded too: the same guess next time would start a worker only to stop it again.
      this.#cache.set(registeredMarker(registration), true)
      const guessed = this.#thread?.registration
      if (guessed !== undefined && guessed !== registration) this.#cache.set(registeredMarker(guessed), true)
    }
    return { ...formatted, source: fromWorker ? 'worker' : 'main' }
  }

  #formatHere(cited: readonly string[], clusters: readonly ClusterRequest[], uncited: readonly string[], authors: readonly AuthorRequest[], onCluster?: (done: number) => void): Formatted {
    this.#thread?.close()
    const engine = new CslEngine(this.#options)
    engine.register(cited, uncited)
    return engine.formatAll(clusters, authors, { onCluster })
  }
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
export function registeredMarker(registration: string): string {
  return contentKey(['registered', registration])
}

export type { CslItem }
