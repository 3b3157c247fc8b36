// citation-js, loaded only when a BibTeX file is read (it is the one input format we do not parse ourselves).
import * as core from '@citation-js/core'
import '@citation-js/plugin-bibtex'

/** The part of citation-js's plugin API that parses text of a known format (not in our small type declarations). */
interface InputPlugins {
  input: { chain(data: string, options: { generateGraph: boolean; forceType: string }): unknown[] }
}

/** Parses BibTeX/BibLaTeX text into CSL-JSON items (`.bib` is read as BibLaTeX, as Pandoc does). */
export function parseBibtexText(text: string): unknown[] {
  const { plugins } = core as unknown as { plugins: InputPlugins }
  return plugins.input.chain(text, { generateGraph: false, forceType: '@biblatex/text' })
}
