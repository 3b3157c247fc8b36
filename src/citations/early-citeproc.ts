// Starts citeproc before the chapters are parsed, from what can be read without parsing them: the config, the
// front matter and a scan of the text for citation keys. See `CiteprocThread`.
import type { VFile } from 'vfile'
import { resolveMetadata, type Layer } from '../config/metadata.js'
import type { Metadata } from '../config/schema.js'
import type { Cache } from '../file-cache.js'
import { frontMatterOf } from '../markdown/parse.js'
import { scanCitationKeys } from '../markdown/remark-pandoc-citations.js'
import { loadBibliography, type Bibliography } from './bibliography.js'
import { registeredMarker, registrationKey } from './cached-engine.js'
import { CiteprocThread } from './citeproc-thread.js'
import { uncitedKeys } from './remark-citations.js'
import { loadLocale, loadStyle } from './styles.js'

export interface EarlyCiteproc {
  thread: CiteprocThread
  /** The bibliography it read, which the build takes instead of reading it again if `sources` are the same. */
  bibliography: Bibliography
  sources: string
}

export interface EarlyInput {
  files: readonly VFile[]
  /** The metadata layers above the front matter (command line, config file). */
  layers: readonly Layer[]
  projectDir: string
  /** The citation cache: when it records that these entries were registered before, a cache hit is likely and no thread is started. */
  cache: Cache | undefined
}

/**
 * The thread, when citeproc will probably run: the text cites entries and the cache has not seen them registered
 * (always with `--no-cache`). Undefined otherwise, and on any problem with the inputs, which the build reports
 * as it reads them itself.
 */
export async function startCiteprocEarly(input: EarlyInput): Promise<EarlyCiteproc | undefined> {
  let metadata: Metadata
  let bibliography: Bibliography
  let styleXml: string
  try {
    const frontMatter = input.files.map((file) => frontMatterOf(file) ?? new Map())
    metadata = resolveMetadata([...input.layers, ...frontMatter])
    styleXml = loadStyle(metadata.csl, input.projectDir).xml
    bibliography = await loadBibliography(metadata.bibliography, metadata.references, { file: input.files[0]?.path ?? 'front matter' })
  } catch {
    return undefined
  }
  const cited = [...new Set(input.files.flatMap((file) => scanCitationKeys(String(file.value))).filter((id) => bibliography.items.has(id)))]
  const uncited = uncitedKeys(metadata.nocite, bibliography.items, new Set(cited)).keys
  if (cited.length === 0 && uncited.length === 0) return undefined
  const options = { styleXml, lang: metadata.lang, items: bibliography.items, retrieveLocale: (lang: string) => loadLocale(lang, input.projectDir) }
  const registration = registrationKey(options, cited, uncited)
  if (input.cache?.get(registeredMarker(registration)) === true) return undefined
  const thread = CiteprocThread.start({ ...options, projectDir: input.projectDir, cited, uncited, registration })
  return thread && { thread, bibliography, sources: bibliographySources(metadata) }
}

/** What a bibliography is read from. */
export function bibliographySources(metadata: Metadata): string {
  return JSON.stringify([metadata.bibliography, metadata.references])
}
