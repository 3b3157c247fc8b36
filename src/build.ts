// Galley's library entry, the short loop: resolve the build once, make the book ready, render every output from its
// tree, write them all together. Never prints.
import type { Root as HastRoot } from 'hast'
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import type { Bibliography } from './citations/bibliography.js'
import { withCitationSession, type CitationSession } from './citations/session.js'
import type { Metadata } from './config/schema.js'
import { ownBrowser } from './output/browser.js'
import { coverProbablyDrawn, coverToDraw } from './output/epub.js'
import { renderOutputs } from './output/variants.js'
import { checkTargets, writeOutputs } from './output/write-outputs.js'
import type { Format } from './formats.js'
import type { PdfFacts } from './pdf/make-pdf.js'
import { standardInput } from './config/project.js'
import { processBook } from './process-book.js'
import { resolveBuild, type BuildOptions } from './resolve.js'
import { stopwatch } from './stopwatch.js'

export { formats, type Format } from './formats.js'
export type { Progress } from './progress.js'
export type { BuildOptions } from './resolve.js'

export interface BuildResult {
  /** Every file that may carry messages (manuscript chapters first, then the book). */
  files: VFile[]
  outputs: { format: Format; path: string; bytes: number }[]
  metadata: Metadata
  /** What the PDF self-check read back from the PDF (TOC entries, note pages), when a PDF was made. */
  pdf?: PdfFacts | undefined
  /** Milliseconds spent per stage (early-citeproc, parse, read, citations, hast, epub, print (with serialization), browser-start, pdf, impose, write), for the benchmark. */
  timings: Record<string, number>
  /** The book after the citations stage (mdast, with source positions) and the HTML tree made from it (before the print document, which uses it up, when `write` is false), for `galley check`. */
  book: Root
  tree: HastRoot
  bibliography: Bibliography
  projectDir: string
  /** Every file the build read (manuscripts, config, bibliographies, style, images): what watch mode watches. */
  sources: string[]
  /**
   * Where the citations came from: the citation cache, citeproc in the worker started before the parse, or citeproc
   * on the build's own thread. Undefined when nothing is cited.
   */
  citations: 'cache' | 'worker' | 'main' | undefined
}

/**
 * Builds the requested outputs. Throws `GalleyError`s for fatal input or render problems; warnings are on `files`.
 * `session` is the caller's citation session (`./entry.ts`), which the caller closes; without one, the build has its own.
 */
export async function build(options: BuildOptions, session?: CitationSession): Promise<BuildResult> {
  if (!session) return withCitationSession({ worker: options.earlyCiteproc !== false }, (own) => build(options, own))
  const resolved = await resolveBuild(options)
  const { files, bookFile, projectDir, progress, layers } = resolved
  const { lap, timings } = stopwatch()
  const citationCache = resolved.cache('citations')
  // Pandoc's order: a later --metadata-file over an earlier one, the document's own metadata over them all.
  const lowerLayers = [...[...layers.inputs.values()].toReversed(), ...layers.metadataFiles.toReversed()]
  const browser = ownBrowser({ runner: resolved.runner, env: resolved.env, timeout: resolved.timeout, kept: resolved.browser })
  try {
    // The browser starts first when an output will need it, the PDF always, the EPUB to draw its cover: its start-up
    // overlaps the parse and the citations. A cover found to be needed only once the metadata is known starts it then.
    if (resolved.wants('pdf') || (resolved.wants('epub') && coverProbablyDrawn(resolved))) browser.start()
    // When citeproc will have to run, it starts in a worker now and registers the entries while the chapters are parsed.
    if (resolved.earlyCiteproc) await session.prime({ files, layers: [...layers.cli, layers.config], lowerLayers, projectDir }, citationCache)
    lap('early-citeproc')
    const onMetadata = async (metadata: Metadata): Promise<void> => {
      if (resolved.wants('epub') && (await coverToDraw(metadata, resolved.cache('cover')))) browser.start()
    }
    const processed = await processBook(resolved, { session, onMetadata, lap })
    const { metadata, style } = processed
    const made = await renderOutputs({ resolved, processed, browser, hyphenateAhead: session.formatsInWorker, lap, timings })
    const sources = [
      ...resolved.inputs.filter((input) => input !== standardInput),
      ...processed.includedFiles,
      ...resolved.metadataFiles,
      ...(resolved.configFile ? [resolved.configFile] : []),
      ...metadata.bibliography,
      ...(style.file ? [style.file] : []),
      ...(metadata.coverImage ? [metadata.coverImage] : []),
      ...files.flatMap((file) => (file.data.probedFiles ?? []).map(([image]) => image)),
    ]
    // Written only once every output is made, and all together: a failure leaves all earlier files in place.
    if (resolved.write) {
      progress({ stage: 'write' })
      checkTargets(made.outputs.map((output) => output.path), sources)
      writeOutputs(made.outputs)
      lap('write')
    }
    const outputs = made.outputs.map((output) => ({ format: output.format, path: output.path, bytes: output.bytes.byteLength }))
    const reported = [...files, ...processed.sideFiles, bookFile]
    // Copies and per-output trees run the same passes again: each message once.
    for (const file of reported) dropRepeatedMessages(file)
    return { files: reported, outputs, metadata, pdf: made.pdf, book: made.book, tree: made.tree, bibliography: processed.bibliography, projectDir, timings, sources, citations: bookFile.data.citeproc }
  } finally {
    await browser.close()
  }
}

/** Keeps the first of messages that say the same thing at the same place. */
function dropRepeatedMessages(file: VFile): void {
  const seen = new Set<string>()
  file.messages = file.messages.filter((message) => {
    const key = `${String(message)}\u0000${message.ruleId ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
