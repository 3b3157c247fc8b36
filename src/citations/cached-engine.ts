// A content-addressed cache in front of citeproc: the same style, locale, entries and clusters give the same text.
import { contentKey, type Cache } from '../file-cache.js'
import type { CslItem } from './bibliography.js'
import { CslEngine, type CiteRequest, type ClusterRequest, type EngineOptions, type FormattedCluster, type FormattedDocument } from './csl-engine.js'

interface Record_ {
  document: Omit<FormattedDocument, 'clusters'> & { clusters: [string, FormattedCluster][] }
  authors: [string, string][]
}

/**
 * The engine the citations stage uses. With a cache, citeproc runs only when the key changes: the key is a hash of
 * everything citeproc reads (style, locales, the cited and uncited entries, every cluster in order with its
 * locators, affixes and note number), so an edit to the prose costs no citeproc time and no edit that changes a
 * citation can be served stale.
 */
export class CachedEngine {
  readonly #options: EngineOptions
  readonly #cache: Cache | undefined
  #engine: CslEngine | undefined
  #key: string | undefined
  #record: Record_ | undefined
  #authorsChanged = false

  constructor(options: EngineOptions, cache?: Cache) {
    this.#options = options
    this.#cache = cache
  }

  /** Read from the style itself, so a cache hit needs no engine. */
  get isNoteStyle(): boolean {
    return /<style\b[^>]*\bclass="note"/.test(this.#options.styleXml)
  }

  formatDocument(clusters: readonly ClusterRequest[], uncited: readonly string[]): FormattedDocument {
    if (this.#cache) {
      this.#key = cacheKey(this.#options, clusters, uncited)
      const cached = this.#cache.get(this.#key) as Record_ | undefined
      if (cached?.document?.clusters) {
        this.#record = cached
        return { ...cached.document, clusters: new Map(cached.document.clusters) }
      }
    }
    const document = this.#engineNow().formatDocument(clusters, uncited)
    this.#record = { document: { ...document, clusters: [...document.clusters] }, authors: [] }
    this.#authorsChanged = true
    return document
  }

  authorOnly(item: CiteRequest, subsequent: boolean): string {
    const key = `${subsequent ? 's' : 'f'}:${item.id}`
    const known = this.#record?.authors.find(([name]) => name === key)
    if (known) return known[1]
    const html = this.#engineNow().authorOnly(item, subsequent)
    this.#record?.authors.push([key, html])
    this.#authorsChanged = true
    return html
  }

  /** Stores what this build computed; call once the stage has asked for everything. */
  save(): void {
    if (this.#cache && this.#key && this.#record && this.#authorsChanged) this.#cache.set(this.#key, this.#record)
  }

  #engineNow(): CslEngine {
    this.#engine ??= new CslEngine(this.#options)
    return this.#engine
  }
}

function cacheKey(options: EngineOptions, clusters: readonly ClusterRequest[], uncited: readonly string[]): string {
  // With Galley's code and citeproc's version (the code fingerprint): a changed Galley never reads what an older one stored.
  const parts = [options.styleXml, options.lang]
  for (const lang of new Set([options.lang, 'en-US'])) parts.push(options.retrieveLocale(lang) ?? '')
  const ids = new Set<string>(uncited)
  for (const cluster of clusters) for (const item of cluster.items) ids.add(item.id)
  for (const id of [...ids].sort()) parts.push(JSON.stringify(options.items.get(id) ?? null))
  parts.push(JSON.stringify(clusters), JSON.stringify(uncited))
  return contentKey(parts)
}

export type { CslItem }
