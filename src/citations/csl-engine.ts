// The one module that talks to citeproc-js: a whole document's clusters in, formatted HTML strings out.
import CSL, { type Citation, type CitationItem, type Engine } from 'citeproc'
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
  /** `composite` is a narrative citation in an in-text style: "Doe (2020, 33)". */
  mode?: 'composite'
}

export interface BibliographyEntry {
  id: string
  html: string
}

export interface FormattedDocument {
  clusters: Map<string, string>
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

/** A citeproc engine for one build. Not shared between builds: it keeps the state of the document it formats. */
export class CslEngine {
  readonly #engine: Engine

  constructor(options: EngineOptions) {
    this.#engine = new CSL.Engine(
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
    const citations: Citation[] = clusters.map((cluster) => ({
      citationID: cluster.id,
      citationItems: cluster.items.map(toCitationItem),
      properties: cluster.mode ? { noteIndex: cluster.noteIndex, mode: cluster.mode } : { noteIndex: cluster.noteIndex },
    }))
    const result = this.#engine.rebuildProcessorState(citations, 'html', [...uncited])
    const formatted = new Map(result.map(([id, , html]) => [id, html]))
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

  /** The author part alone, for the running text of a narrative citation in a note style ("Doe argues…¹"). */
  authorOnly(item: CiteRequest): string {
    return this.#engine.makeCitationCluster([{ ...toCitationItem(item), 'author-only': true }])
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
