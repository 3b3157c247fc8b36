// A guess, made before the chapters are parsed, at what citeproc will register: from the config, the front matter
// and a scan of the text for citation keys. Only a guess: `CitationSession` uses the worker it feeds only if the parse
// finds exactly these entries, so a wrong one costs time, never output.
import type { VFile } from 'vfile'
import { resolveMetadata, type Layer } from '../config/metadata.js'
import type { Metadata } from '../config/schema.js'
import { frontMatterOf } from '../markdown/parse.js'
import { scanCitationKeys } from '../markdown/remark-pandoc-citations.js'
import { loadBibliography, type Bibliography } from './bibliography.js'
import type { EngineSetup } from './citeproc-thread.js'
import type { EngineOptions } from './csl-engine.js'
import { uncitedKeys } from './nocite.js'
import { citationLocale, loadLocale, loadStyle } from './styles.js'

export interface GuessInput {
  files: readonly VFile[]
  /** The metadata layers above the front matter (command line, config file). */
  layers: readonly Layer[]
  /** The metadata layers below the front matter (YAML inputs, `--metadata-file`), the one that wins first. */
  lowerLayers?: readonly Layer[]
  projectDir: string
}

/** The style and language the book will probably be formatted in, and the metadata they were read from. */
export interface GuessedEngine {
  setup: EngineSetup
  metadata: Metadata
  /** Each file's text after its front matter. */
  bodies: string[]
}

/** The entries the book will probably register, and the bibliography read to find them. */
export interface GuessedEntries {
  engine: EngineOptions
  cited: string[]
  uncited: string[]
  bibliography: Bibliography
  /** Whether the build, once it knows its metadata, would read the bibliography from the same sources. */
  readsSame: (metadata: Metadata) => boolean
}

/** The style and language, from the config and the front matter. Throws on bad inputs, which the build reports itself. */
export function guessEngine(input: GuessInput): GuessedEngine {
  const split = input.files.map(frontMatterOf)
  const metadata = resolveMetadata([...input.layers, ...split.map((file) => file.layer ?? new Map()).toReversed(), ...(input.lowerLayers ?? [])], { projectDir: input.projectDir })
  const styleXml = loadStyle(metadata.csl, input.projectDir).xml
  return { setup: { styleXml, lang: citationLocale(metadata, styleXml), projectDir: input.projectDir }, metadata, bodies: split.map((file) => file.body) }
}

/** The bibliography, and the ids the text cites (in the order first cited) and `nocite` adds. */
export async function guessEntries(input: GuessInput, { setup, metadata, bodies }: GuessedEngine): Promise<GuessedEntries> {
  const bibliography = await loadBibliography(metadata.bibliography, metadata.references, { file: input.files[0]?.path ?? 'front matter' }, { lang: metadata.lang })
  const cited = [...new Set(bodies.flatMap((body) => scanCitationKeys(body)).filter((id) => bibliography.items.has(id)))]
  const uncited = uncitedKeys(metadata.nocite, bibliography.items, new Set(cited)).keys
  const engine = { styleXml: setup.styleXml, lang: setup.lang, items: bibliography.items, retrieveLocale: (lang: string) => loadLocale(lang, input.projectDir) }
  const sources = bibliographySources(metadata)
  return { engine, cited, uncited, bibliography, readsSame: (actual) => bibliographySources(actual) === sources }
}

/** What a bibliography is read from. */
function bibliographySources(metadata: Metadata): string {
  return JSON.stringify([metadata.bibliography, metadata.references, metadata.lang]) // the language decides how BibTeX titles are read
}
