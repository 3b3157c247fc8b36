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
import { citationLocale, loadLocale, loadStyle } from './styles.js'

export interface EarlyCiteproc {
  /** The worker, when citeproc will probably have to run. */
  thread: CiteprocThread | undefined
  /** The bibliography read, which the build takes instead of reading it again if `sources` are the same. */
  bibliography: Bibliography
  sources: string
}

export interface EarlyInput {
  files: readonly VFile[]
  /** The metadata layers above the front matter (command line, config file). */
  layers: readonly Layer[]
  /** The metadata layers below the front matter (YAML inputs, `--metadata-file`), the one that wins first. */
  lowerLayers?: readonly Layer[]
  projectDir: string
  /** The citation cache: when it records that these entries were registered before, a cache hit is likely and no thread is started. */
  cache: Cache | undefined
  /** A worker the caller has started already; closed if it is not needed. */
  thread?: CiteprocThread | undefined
}

/**
 * The bibliography, and a thread when citeproc will probably run: the text cites entries and the cache has not
 * seen them registered (always with `--no-cache`). Undefined on any problem with the inputs, which the build
 * reports as it reads them itself.
 */
export async function startCiteprocEarly(input: EarlyInput): Promise<EarlyCiteproc | undefined> {
  // Without a cache citeproc will run: the worker starts first and loads citeproc while this thread reads what it is
  // to register. With one, a hit is likely, and the worker starts only when the cache has not seen this registration.
  const spawned = input.thread ?? (input.cache === undefined ? CiteprocThread.spawn() : undefined)
  try {
    return await prepare(input, spawned)
  } catch {
    spawned?.close()
    return undefined
  }
}

async function prepare(input: EarlyInput, spawned: CiteprocThread | undefined): Promise<EarlyCiteproc> {
  const split = input.files.map(frontMatterOf)
  const metadata = resolveMetadata([...input.layers, ...split.map((file) => file.layer ?? new Map()).toReversed(), ...(input.lowerLayers ?? [])], { projectDir: input.projectDir })
  const styleXml = loadStyle(metadata.csl, input.projectDir).xml
  const lang = citationLocale(metadata, styleXml)
  spawned?.makeEngine({ styleXml, lang, projectDir: input.projectDir })
  const bibliography = await loadBibliography(metadata.bibliography, metadata.references, { file: input.files[0]?.path ?? 'front matter' }, { lang: metadata.lang })
  const sources = bibliographySources(metadata)
  const cited = [...new Set(split.flatMap((file) => scanCitationKeys(file.body)).filter((id) => bibliography.items.has(id)))]
  const uncited = uncitedKeys(metadata.nocite, bibliography.items, new Set(cited)).keys
  const options = { styleXml, lang, items: bibliography.items, retrieveLocale: (lang: string) => loadLocale(lang, input.projectDir) }
  const registration = cited.length === 0 && uncited.length === 0 ? undefined : registrationKey(options, cited, uncited)
  if (registration === undefined || input.cache?.get(registeredMarker(registration)) === true) {
    spawned?.close()
    return { thread: undefined, bibliography, sources }
  }
  const thread = spawned ?? CiteprocThread.spawn()
  thread?.register({ ...options, projectDir: input.projectDir, cited, uncited, registration })
  return { thread, bibliography, sources }
}

/** What a bibliography is read from. */
export function bibliographySources(metadata: Metadata): string {
  return JSON.stringify([metadata.bibliography, metadata.references, metadata.lang]) // the language decides how BibTeX titles are read
}
