// The one module that talks to citeproc-js: a whole document's clusters in, formatted HTML strings out.
import { createRequire } from 'node:module'
import type CSLModule from 'citeproc'
import type { Citation, CitationItem, Engine } from 'citeproc'
import { BibliographyError } from '../errors.js'
import type { CslItem } from './bibliography.js'

export interface CiteRequest {
  id: string
  locator?: string
  label?: string
  prefix?: string
  suffix?: string
  suppressAuthor?: boolean
}

export interface ClusterRequest {
  id: string
  items: CiteRequest[]
  /** The footnote number this cluster lives in, or 0 in running text. */
  noteIndex: number
  /**
   * Print the cites in the order written even if the style sorts them: Pandoc does not move a cite past another's
   * prefix or suffix (`[see @b, for more; cf. @a]`).
   */
  unsorted?: boolean
}

export interface BibliographyEntry {
  id: string
  html: string
}

export interface FormattedCluster {
  html: string
  /** The cited ids in the order the style prints them (it may sort them). */
  order: string[]
}

export interface FormattedDocument {
  clusters: Map<string, FormattedCluster>
  bibliography: BibliographyEntry[]
  /** Whether the style asks for a hanging indent. */
  hangingIndent: boolean
  /** `flush`/`margin` for numeric styles that align the label in its own column. */
  secondFieldAlign: string | undefined
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
function loadCiteproc(): typeof CSLModule {
  citeproc ??= createRequire(import.meta.url)('citeproc') as typeof CSLModule
  return citeproc
}

/** A citeproc engine for one build. Not shared between builds: it keeps the state of the document it formats. */
export class CslEngine {
  readonly #engine: Engine

  constructor(options: EngineOptions) {
    this.#engine = new (loadCiteproc().Engine)(
      {
        retrieveLocale: (lang) => options.retrieveLocale(lang) ?? false,
        // citeproc mutates what it is given; hand it a copy so our items stay as loaded.
        retrieveItem: (id) => structuredClone(options.items.get(id)),
      },
      options.styleXml,
      options.lang,
      true,
    )
  }

  get isNoteStyle(): boolean {
    return this.#engine.opt.xclass === 'note'
  }

  /** Formats every cluster in document order (positions, ibid, disambiguation, numbering) and the bibliography. */
  formatDocument(clusters: readonly ClusterRequest[], uncited: readonly string[]): FormattedDocument {
    return guarded(() => this.#formatDocument(clusters, uncited))
  }

  #formatDocument(clusters: readonly ClusterRequest[], uncited: readonly string[]): FormattedDocument {
    // `unsorted` is a citeproc-js extension to CSL, not in our small type declarations.
    const citations: (Citation & { properties: { unsorted?: boolean } })[] = clusters.map((cluster) => ({
      citationID: cluster.id,
      citationItems: cluster.items.map(toCitationItem),
      properties: cluster.unsorted ? { noteIndex: cluster.noteIndex, unsorted: true } : { noteIndex: cluster.noteIndex },
    }))
    // Uncited (nocite) entries take part in disambiguation: register them before the citations are formatted.
    if (uncited.length > 0) this.#engine.updateUncitedItems([...uncited])
    const result = this.#engine.rebuildProcessorState(citations, 'html', [...uncited])
    const registry = (this.#engine as unknown as EngineInternals).registry?.citationreg.citationById
    const formatted = new Map(
      result.map(([id, , html]): [string, FormattedCluster] => {
        const sorted = registry?.[id]?.sortedItems
        const order = sorted ? sorted.map(([, item]) => String(item.id)) : (citations.find((c) => c.citationID === id)?.citationItems.map((item) => item.id) ?? [])
        return [id, { html, order }]
      }),
    )
    const made = this.#engine.makeBibliography()
    if (!made) return { clusters: formatted, bibliography: [], hangingIndent: false, secondFieldAlign: undefined }
    const [params, entries] = made
    return {
      clusters: formatted,
      bibliography: entries.map((html, index) => ({ id: params.entry_ids[index]?.[0] ?? '', html: html.trim() })),
      hangingIndent: Boolean(params.hangingindent),
      secondFieldAlign: params['second-field-align'] || undefined,
    }
  }

  /**
   * The author part alone of a narrative citation ("Doe (2020)", "Doe argues…¹"): the first time in full,
   * afterwards in the style's subsequent form, as Pandoc's author-only cite does.
   */
  authorOnly(item: CiteRequest, subsequent: boolean): string {
    return guarded(() => this.#authorOnly(item, subsequent))
  }

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

/** The part of citeproc's state that says in which order a cluster's items came out (after the style's sort). */
interface EngineInternals {
  registry?: { citationreg: { citationById: Record<string, { sortedItems?: [unknown, { id: string | number }][] } | undefined> } }
}

/** citeproc-js throws plain exceptions on data it cannot handle; the build reports them as a bibliography problem. */
function guarded<T>(run: () => T): T {
  try {
    return run()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new BibliographyError(`The citation processor (citeproc-js) failed on these entries: ${reason}. Check the names and dates of the entries cited`, undefined, { cause: error })
  }
}

function toCitationItem(item: CiteRequest): CitationItem {
  const result: CitationItem = { id: item.id }
  if (item.locator !== undefined) result.locator = item.locator
  if (item.label !== undefined) result.label = item.label
  if (item.prefix) result.prefix = item.prefix
  if (item.suffix) result.suffix = item.suffix
  if (item.suppressAuthor) result['suppress-author'] = true
  return result
}
