// citation-js, loaded only when a BibTeX file is read (it is the one input format we do not parse ourselves).
import * as core from '@citation-js/core'
import '@citation-js/plugin-bibtex'
import { parse as parseBibtexValue } from '@citation-js/plugin-bibtex/lib/input/value.js'

/** One BibTeX entry as written: its fields' values still LaTeX, braces and all. */
export interface RawBibtexEntry {
  type: string
  label: string
  properties: Record<string, string>
}

/** The part of citation-js's plugin API that parses text of a known format (not in our small type declarations). */
interface InputPlugins {
  input: { chain(data: unknown, options: { generateGraph: boolean; forceType: string; target?: string }): unknown[] }
}

const { plugins } = core as unknown as { plugins: InputPlugins }

/** Splits BibTeX/BibLaTeX text into entries (`@string` macros expanded), fields not yet read. */
export function readBibtexEntries(text: string): RawBibtexEntry[] {
  return plugins.input.chain(text, { generateGraph: false, forceType: '@biblatex/text', target: '@biblatex/entries+list' }) as RawBibtexEntry[]
}

/** Maps entries to CSL-JSON items (`.bib` is read as BibLaTeX, as Pandoc does). */
export function bibtexEntriesToCsl(entries: readonly RawBibtexEntry[]): unknown[] {
  return plugins.input.chain(entries, { generateGraph: false, forceType: '@biblatex/entries+list' })
}

/** LaTeX text (accents, `\&`, `--`, braces) as Unicode; formatting commands become HTML tags citeproc reads. */
export function latexToText(value: string): string {
  return parseBibtexValue(value, 'note')
}
