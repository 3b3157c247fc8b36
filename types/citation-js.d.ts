// citation-js 0.8 and citeproc ship no types; these declare just what Galley uses.
declare module '@citation-js/core' {
  export class Cite {
    static parse(input: string): unknown[]
  }
}
declare module '@citation-js/plugin-bibtex'
declare module '@citation-js/plugin-bibtex/lib/input/value.js' {
  /** One field's value read as LaTeX, by the rule its field name selects. */
  export function parse(text: string, field: string, languages?: string[]): string
}

declare module 'citeproc' {
  export interface CitationItem {
    id: string
    locator?: string
    label?: string
    prefix?: string
    suffix?: string
    'suppress-author'?: boolean
    'author-only'?: boolean
  }
  export interface Citation {
    citationID: string
    citationItems: CitationItem[]
    properties: { noteIndex: number; mode?: 'composite' | 'author-only' | 'suppress-author' }
  }
  export interface Sys {
    retrieveLocale(lang: string): string | false
    retrieveItem(id: string): unknown
    /** Replaces citeproc-js's comparison of sort keys (for every engine made after it: citeproc keeps it globally). */
    stringCompare?(a: string, b: string): number
  }
  export interface BibliographyParams {
    entry_ids: string[][]
    hangingindent?: number
    'second-field-align'?: string | false
    linespacing?: number
    entryspacing?: number
    bibstart: string
    bibend: string
  }
  export class Engine {
    constructor(sys: Sys, style: string, lang?: string, forceLang?: boolean)
    updateItems(ids: string[]): void
    updateUncitedItems(ids: string[]): void
    rebuildProcessorState(citations: Citation[], mode?: 'html' | 'text', uncited?: string[]): [string, number, string][]
    makeCitationCluster(items: CitationItem[]): string
    /** `bibsection` selects entries: `include` (any of), `exclude` (none of), `select` (all of) the field values. */
    makeBibliography(bibsection?: { include?: { field: string; value: string }[] }): [BibliographyParams, string[]] | false
  }
  const CSL: {
    Engine: typeof Engine
    ASSUME_ALL_ITEMS_REGISTERED: number
    SKIP_WORDS: string[]
    /** Called with the engine's state as `this`. */
    toLocaleLowerCase(this: unknown, text: string): string
    toLocaleUpperCase(this: unknown, text: string): string
  }
  export default CSL
}
