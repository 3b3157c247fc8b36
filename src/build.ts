// Galley's library entry: read the inputs, make one HTML tree, write HTML, PDF and EPUB from it. Never prints.
import { readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { readCliLayer, readMetadataFile, resolveMetadata, type Layer } from './config/metadata.js'
import type { Metadata } from './config/schema.js'
import { loadBibliography, type Bibliography } from './citations/bibliography.js'
import type { Root } from 'mdast'
import type { Root as HastRoot } from 'hast'
import type { CiteprocThread } from './citations/citeproc-thread.js'
import { bibliographySources, startCiteprocEarly } from './citations/early-citeproc.js'
import { cacheDir, fileCache } from './file-cache.js'
import { citationLocale, loadLocale, loadStyle } from './citations/styles.js'
import { resolveProject } from './config/project.js'
import { InputError, type SourcePlace } from './errors.js'
import { renderEpub } from './output/epub.js'
import { openPdfOutput, type PdfOutput } from './output/pdf.js'
import { openPrintOutput } from './output/print.js'
import { checkTargets, writeOutputs } from './output/write-outputs.js'
import { galleyRoot } from './paths.js'
import { stopwatch } from './stopwatch.js'
import { fontDataUri, fontFaceCss, hasMathFont, mathFont, mathFontDataUri, mathFontFaceCss } from './html/fonts.js'
import { pageCss } from './html/page-css.js'
import { shiftHeadingLevels } from './html/shift-heading-levels.js'
import { openReadings, packFrontMatter } from './html/course-pack.js'
import { bookToHtmlTree, citeBook, hasCodeLanguage, hasMath, parseBook, type DocumentOptions } from './pipeline.js'
import { copyBook, formatDependentCitations, formatGroups, resolveConditions } from './markdown/conditional-content.js'
import type { Browser, PdfFacts } from './pdf/make-pdf.js'
import type { Format } from './formats.js'
import type { OnProgress } from './progress.js'

export { formats, type Format } from './formats.js'
export type { Progress } from './progress.js'

export interface BuildOptions {
  /** Markdown files, chapters in this order; when empty, `input-files` of the config file. */
  inputs: readonly string[]
  to: readonly Format[]
  /** One output file (`-o`); only with a single format. */
  output?: string | undefined
  /** Where outputs go when `output` is not given. Default `dist`. */
  outputDir?: string | undefined
  /** `-M key=value` pairs, plus `--bibliography`/`--csl` turned into the same. */
  metadata?: readonly string[] | undefined
  /** `-V key=value` pairs: Pandoc's template variables, taken as metadata just below `-M`. */
  variables?: readonly string[] | undefined
  /**
   * `--metadata-file` files, relative to `cwd`: below the front matter, a later file over an earlier one, as in
   * Pandoc. Their contents are the document's (paths in them must be inside the project).
   */
  metadataFiles?: readonly string[] | undefined
  /** Pandoc's `--resource-path`: folders, relative to `cwd`, where images are looked for after the chapter's folder. */
  resourcePath?: readonly string[] | undefined
  /** A YAML defaults file (Pandoc's `--defaults`); `galley.yaml` in `cwd` is read when present. */
  config?: string | undefined
  cwd?: string | undefined
  env?: NodeJS.ProcessEnv | undefined
  /** The clock, for dates in the outputs when `SOURCE_DATE_EPOCH` is not set. */
  now?: (() => Date) | undefined
  /** Parse every chapter and format every citation afresh instead of reusing `.galley-cache/` (never stale either way). */
  noCache?: boolean | undefined
  /**
   * Start citeproc in a worker thread before the chapters are parsed, when it will probably have to run (default
   * true). The output is the same either way; false keeps all the work on the calling thread.
   */
  earlyCiteproc?: boolean | undefined
  /**
   * The browser to print with, for a caller that builds many times (watch mode): it is started once and stays open.
   * By default each build starts its own and closes it.
   */
  browser?: ((metadata: Metadata) => Promise<Browser>) | undefined
  /** Write the outputs (default true). `galley check` makes them in memory only, to read what the making reports. */
  write?: boolean | undefined
  /** Told as each stage starts (and as each chapter is parsed), for a progress display; the library never prints. */
  onProgress?: OnProgress | undefined
}

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
 * `citeproc` is a worker the caller started (`./entry.ts`), used if citeproc has to run; the build closes it.
 */
export async function build(options: BuildOptions, citeproc?: CiteprocThread): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const env = options.env ?? process.env
  const project = resolveProject({ inputs: options.inputs, config: options.config, cwd })
  const projectDir = project.dir
  const config = { layer: project.layer, file: project.configFile }
  // A `.yaml`/`.yml` input is metadata, as a YAML file given to Pandoc is: its keys count where the file stands.
  const isMetadataFile = (input: string): boolean => /\.ya?ml$/i.test(input)
  const inputs = project.inputs.filter((input) => !isMetadataFile(input))
  if (inputs.length === 0) throw new InputError('No Markdown input files: the files given are all metadata (.yaml)')
  const files = await Promise.all(inputs.map((input) => readManuscript(input, cwd)))
  const inputLayers = new Map(project.inputs.filter(isMetadataFile).map((input) => [input, readMetadataLayer(input, cwd)]))
  const metadataFiles = (options.metadataFiles ?? []).map((file) => readMetadataLayer(path.resolve(cwd, file), cwd))
  const bookFile = new VFile({ path: files[0]?.path ?? 'book', cwd })

  const wants = (format: Format): boolean => options.to.includes(format)
  const wantsPrint = wants('html') || wants('pdf')
  const { lap, timings } = stopwatch()
  const progress = options.onProgress ?? ((): void => undefined)
  // Messages about files other than the chapters (config file, bibliography), one VFile each.
  const sideFiles = new Map<string, VFile>()
  const sideFile = (file: string): VFile => {
    const shown = path.isAbsolute(file) ? path.relative(cwd, file) : file
    const existing = sideFiles.get(shown) ?? files.find((chapter) => chapter.path === shown)
    if (existing) return existing
    const created = new VFile({ path: shown, cwd })
    sideFiles.set(shown, created)
    return created
  }
  const cacheOf = options.noCache ? undefined : (kind: string): string => cacheDir(cwd, kind)
  const citationCache = cacheOf && fileCache(cacheOf('citations'))
  const cliLayers = [readCliLayer(options.metadata ?? [], cwd), readCliLayer(options.variables ?? [], cwd, '-V')]
  // Pandoc's order: a later --metadata-file over an earlier one, the document's own metadata over them all.
  const lowerLayers = [...[...inputLayers.values()].toReversed(), ...metadataFiles.toReversed()]
  // When citeproc will have to run, it starts in a worker now and registers the entries while the chapters are parsed.
  const early =
    options.earlyCiteproc === false ? undefined : await startCiteprocEarly({ files, layers: [...cliLayers, config.layer], lowerLayers, projectDir, cache: citationCache, thread: citeproc })
  lap('early-citeproc')
  let pdf: PdfOutput | undefined
  try {
    const resourcePath = options.resourcePath?.map((dir) => path.resolve(cwd, dir))
    progress({ stage: 'parse', done: 0, total: files.length })
    let parsed = 0
    const onParsed = (): void => progress({ stage: 'parse', done: ++parsed, total: files.length })
    const book = await parseBook(files, projectDir, cacheOf && fileCache(cacheOf('parse'), { format: 'v8' }), { ...(resourcePath ? { resourcePath } : {}), onParsed })
    lap('parse')
    progress({ stage: 'read' })
    // The files' front matter, a YAML input in its place among them: as in Pandoc, which reads them as one text, a
    // key set again in a later file takes the later value.
    const frontMatter = project.inputs.map((input) => inputLayers.get(input) ?? files[inputs.indexOf(input)]?.data.frontMatter ?? new Map())
    const layers: Layer[] = [...cliLayers, config.layer, ...packFrontMatter(frontMatter, [...cliLayers, config.layer]).toReversed(), ...metadataFiles.toReversed()]
    const metadata = resolveMetadata(layers, {
      projectDir,
      warn: (reason, place, ruleId) => sideFile(place.file).message(reason, { ruleId, source: 'galley:config', place: lineAndColumn(place) }),
    })
    // Pandoc's --shift-heading-level-by; with -1, a `#` heading opening an untitled book is its title.
    const headingTitle = shiftHeadingLevels(book, metadata.shiftHeadingLevelBy, metadata.given.includes('title'))
    if (headingTitle !== undefined) metadata.title = headingTitle
    if (metadata.layout === 'course-pack') openReadings(book, metadata)
    if (metadata.title === 'Untitled') {
      bookFile.message('No title in the metadata; using "Untitled"', { ruleId: 'missing-title', source: 'galley:config' })
    }
    // GALLEY_TIMEOUT (ms) bounds the browser's start and each load and print; a hung browser is given up.
    const timeout = /^\d+$/.test(env['GALLEY_TIMEOUT'] ?? '') ? Number(env['GALLEY_TIMEOUT']) : undefined
    // The PDF output starts its browser now: its start-up overlaps the citation work.
    if (wants('pdf')) pdf = await openPdfOutput({ metadata, env, timeout, browser: options.browser })
    const style = loadStyle(metadata.csl, projectDir)
    const localeName = citationLocale(metadata, style.xml)
    if (!loadLocale(localeName, projectDir)) {
      bookFile.message(`No CSL locale for "${localeName}"; citations use en-US terms`, { ruleId: 'unknown-locale', source: 'galley:citations' })
    }
    const inlinePlace = { file: files[0]?.path ?? 'front matter' }
    // The worker's bibliography, if it read the same files and references.
    const bibliography =
      early?.sources === bibliographySources(metadata) ? early.bibliography : await loadBibliography(metadata.bibliography, metadata.references, inlinePlace, { lang: metadata.lang })
    for (const issue of bibliography.issues) {
      sideFile(issue.place.file).message(issue.reason, { ruleId: issue.ruleId, source: 'galley:bibliography', place: lineAndColumn(issue.place) })
    }
    for (const issue of style.ignored ?? []) {
      sideFile(issue.file).message(issue.reason, { ruleId: 'invalid-csl', source: 'galley:citations', place: { line: issue.line, column: issue.column } })
    }
    const math = hasMath(book)
    if (math && !hasMathFont()) {
      bookFile.message(`The math font ${mathFont.family} is not installed (Debian package fonts-dejavu-extra; \`npm run setup\` installs it): formulas are set in the system's math font`, {
        ruleId: 'math-font',
        source: 'galley:math',
      })
    }
    const mathFontCss = math && hasMathFont() ? [mathFontFaceCss(mathFontDataUri())] : []
    const css = [fontFaceCss(fontDataUri), ...mathFontCss, readFileSync(path.join(galleyRoot, 'styles', 'print.css'), 'utf8'), pageCss(metadata)].join('\n')
    const retrieveLocale = (lang: string): string | undefined => loadLocale(lang, projectDir)
    const mathCache = math && !options.noCache ? fileCache(cacheDir(cwd, 'math'), { format: 'v8', keep: 8 }) : undefined
    const codeCache = !options.noCache && hasCodeLanguage(book) ? fileCache(cacheDir(cwd, 'code'), { format: 'v8', keep: 8 }) : undefined
    const documentOptions = { metadata, bibliography, styleXml: style.xml, retrieveLocale, css, cache: citationCache, citeproc: early?.thread, mathCache, codeCache }
    // The drawn EPUB cover's browser: the PDF's (or watch mode's) when there is one, else one started for the cover alone.
    const kept = options.browser
    const shared = pdf?.browser ?? (kept && (() => kept(metadata)))
    const coverBrowser = shared
      ? async () => ({ browser: await shared(), release: async () => undefined })
      : async () => {
          const { findBrowser, launchBrowser } = await import('./pdf/browser.js')
          const started = await launchBrowser({ executablePath: findBrowser(metadata.browser, env), ...(timeout === undefined ? {} : { timeout }) })
          return { browser: started, release: () => started.close() }
        }
    const coverCache = cacheOf && fileCache(cacheOf('cover'), { format: 'v8', keep: 8 })
    const fontCache = cacheOf && fileCache(cacheOf('epub-fonts'), { format: 'v8', keep: 8 })
    /**
     * One copy's outputs from its book tree (the profiles applied). Outputs that show the same content share one tree;
     * when some content shows in one output and not another, each group of outputs gets its own copy, and the citations
     * are formatted once for all unless that content holds citations (then once per group, as they number differently).
     */
    const renderVariant = async (variantBook: Root, run: { profiles: readonly string[]; documentOptions: DocumentOptions; hyphenateAhead: boolean; date: Date }): Promise<{ bytesOf: Map<Format, Uint8Array>; pdfFacts: PdfFacts | undefined; book: Root; tree: HastRoot }> => {
      const groups = formatGroups(variantBook, run.profiles, options.to)
      const citeOnce = groups.length === 1 || !formatDependentCitations(variantBook, run.profiles)
      if (groups.length === 1) resolveConditions(variantBook, { profiles: run.profiles, format: groups[0]?.[0] })
      const prints = groups.map((group) =>
        group.includes('html') || group.includes('pdf')
          ? openPrintOutput({ lang: metadata.lang, print: group.includes('pdf'), standalone: group.includes('html'), projectDir, inputs, cacheDir: cacheOf })
          : undefined,
      )
      let cited: Root | undefined
      if (citeOnce) {
        progress({ stage: 'citations' })
        const citing = citeBook(variantBook, bookFile, run.documentOptions)
        citing.catch(() => undefined) // Awaited below, after the work in between.
        // While the worker formats the citations, this thread hyphenates the book's new words for the print document.
        if (run.hyphenateAhead) for (const print of prints) print?.hyphenateAhead(variantBook)
        cited = await citing
        lap('citations')
      }
      const bytesOf = new Map<Format, Uint8Array>()
      let pdfFacts: PdfFacts | undefined
      let first: { book: Root; tree: HastRoot } | undefined
      for (const [index, group] of groups.entries()) {
        const has = (format: Format): boolean => group.includes(format)
        let groupBook: Root
        if (groups.length === 1) groupBook = cited ?? variantBook
        else {
          groupBook = copyBook(cited ?? variantBook)
          resolveConditions(groupBook, { profiles: run.profiles, format: group[0] })
          if (!cited) {
            progress({ stage: 'citations' })
            groupBook = await citeBook(groupBook, bookFile, index === 0 ? run.documentOptions : { ...run.documentOptions, citeproc: undefined })
            lap('citations')
          }
        }
        progress({ stage: 'html' })
        const tree = await bookToHtmlTree(groupBook, bookFile, run.documentOptions)
        // The print document uses the tree up; a caller that reads it afterwards (`galley check`) gets a copy of the first.
        if (index === 0) first = { book: groupBook, tree: options.write === false && prints[index] ? structuredClone(tree) : tree }
        // A book (chapters or parts, not an article's sections): chapter openings and running heads in print.
        // A handout is never a book: no title page, no chapter openings.
        const chapters = bookFile.data.division !== 'section' && metadata.layout !== 'handout'
        lap('hast')
        // One tree, up to three outputs. Large books make large trees: copy only when a later output still needs the
        // original (the EPUB takes the unhyphenated tree; print and HTML hyphenate it in place).
        const print = prints[index]
        if (has('epub')) {
          progress({ stage: 'epub' })
          bytesOf.set('epub', await renderEpub(print ? structuredClone(tree) : tree, { metadata, projectDir, date: run.date, bookFile, browser: coverBrowser, coverCache, fontCache }))
          lap('epub')
        }
        if (print) {
          progress({ stage: 'print' })
          const printed = print.render(tree, chapters)
          if (printed.standalone !== undefined) bytesOf.set('html', new TextEncoder().encode(printed.standalone))
          lap('print')
          if (pdf && has('pdf')) {
            const made = await pdf.render(printed.print ?? '', { projectDir, book: chapters, date: run.date, bookFile, lap, timings, progress })
            bytesOf.set('pdf', made.bytes)
            pdfFacts = made.facts
          }
        }
      }
      if (!first) throw new Error('No output group was rendered')
      return { bytesOf, pdfFacts, ...first }
    }
    lap('read')
    const date = sourceDate(env, options.now)
    const rendered: { format: Format; path: string; bytes: Uint8Array }[] = []
    let pdfFacts: PdfFacts | undefined
    let returned: { book: Root; tree: HastRoot } | undefined
    const profiles = metadata.profile
    // `variants: [student, key]`: one copy per name, each with that profile active too, from the one parse.
    const variants: (string | undefined)[] = metadata.variants.length > 0 ? metadata.variants : [undefined]
    for (const [index, variant] of variants.entries()) {
      const active = variant === undefined ? profiles : [...new Set([...profiles, variant])]
      const variantBook = variants.length > 1 ? copyBook(book) : book
      resolveConditions(variantBook, { profiles: active, warn: index === 0 })
      const made = await renderVariant(variantBook, {
        profiles: active,
        // The worker registered the entries once; a later copy formats its citations here (or finds them cached).
        // The copy's metadata names its active profiles (the answer key, `key`, prints no name line).
        documentOptions: { ...documentOptions, metadata: { ...metadata, profile: active }, ...(index === 0 ? {} : { citeproc: undefined }) },
        hyphenateAhead: index === 0 && early?.thread !== undefined,
        date,
      })
      pdfFacts ??= made.pdfFacts
      returned ??= { book: made.book, tree: made.tree }
      const suffix = index === 0 || variant === undefined ? '' : `-${variant}`
      const target = (format: Format): string => withSuffix(
        options.output ? path.resolve(cwd, options.output) : path.resolve(cwd, options.outputDir ?? 'dist', `${path.parse(inputs[0] ?? 'book').name}.${format}`),
        suffix,
      )
      rendered.push(...[...new Set(options.to)].map((format) => ({ format, path: target(format), bytes: made.bytesOf.get(format) ?? new Uint8Array() })))
      // `imposition:` adds the copy for printing, beside the reading PDF, written with the other outputs.
      const readingPdf = made.bytesOf.get('pdf')
      if (metadata.imposition && readingPdf) {
        const { imposePdf, imposedPath } = await import('./pdf/impose.js')
        rendered.push({ format: 'pdf', path: imposedPath(target('pdf'), metadata.imposition), bytes: await imposePdf(readingPdf, metadata.imposition, date) })
        lap('impose')
      }
    }
    const sources = [
      ...project.inputs,
      ...(options.metadataFiles ?? []).map((file) => path.resolve(cwd, file)),
      ...(config.file ? [config.file] : []),
      ...metadata.bibliography,
      ...(style.file ? [style.file] : []),
      ...(metadata.coverImage ? [metadata.coverImage] : []),
      ...files.flatMap((file) => (file.data.probedFiles ?? []).map(([image]) => image)),
    ]
    // Written only once every output is made, and all together: a failure leaves all earlier files in place.
    if (options.write !== false) {
      progress({ stage: 'write' })
      checkTargets(rendered.map((output) => output.path), sources)
      writeOutputs(rendered)
      lap('write')
    }
    const outputs = rendered.map((output) => ({ format: output.format, path: output.path, bytes: output.bytes.byteLength }))
    const reported = [...files, ...sideFiles.values(), bookFile]
    // Copies and per-output trees run the same passes again: each message once.
    for (const file of reported) dropRepeatedMessages(file)
    if (!returned) throw new Error('No copy of the book was rendered')
    return { files: reported, outputs, metadata, pdf: pdfFacts, book: returned.book, tree: returned.tree, bibliography, projectDir, timings, sources, citations: bookFile.data.citeproc }
  } finally {
    early?.thread?.close()
    await pdf?.close()
  }
}

/** A metadata file's layer (`--metadata-file`, a `.yaml` input); a missing or unreadable one stops the build. */
function readMetadataLayer(file: string, cwd: string): Layer {
  const shown = path.relative(cwd, file)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(`Cannot read metadata file ${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error)}`, { file: shown })
  }
  return readMetadataFile(text.replace(/^\uFEFF/, ''), shown, path.dirname(file))
}

async function readManuscript(file: string, cwd: string): Promise<VFile> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    const code = (error as { code?: string }).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error)
    throw new InputError(`Cannot read manuscript ${path.relative(cwd, file)}: ${reason}`, { file: path.relative(cwd, file) })
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new InputError(`Manuscript ${path.relative(cwd, file)} is not UTF-8 text; save it as UTF-8`, { file: path.relative(cwd, file) })
  }
  const manuscript = new VFile({ path: path.relative(cwd, file), cwd, value: text.replace(/^\uFEFF/, '') })
  const nul = text.indexOf('\u0000')
  if (nul !== -1) {
    const before = text.slice(0, nul)
    const line = before.split('\n').length
    manuscript.message('NUL character in the manuscript (shown as �); is this a text file?', {
      place: { line, column: nul - before.lastIndexOf('\n') },
      ruleId: 'nul-character',
      source: 'galley:markdown',
    })
  }
  return manuscript
}

/** `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible builds; else the clock. */
function sourceDate(env: NodeJS.ProcessEnv, now: (() => Date) | undefined): Date {
  const epoch = env['SOURCE_DATE_EPOCH']
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000)
  return now ? now() : new Date()
}

/** A source place as a VFile message place: a line and column when known. */
function lineAndColumn(place: SourcePlace): { line: number; column: number } | undefined {
  return place.line === undefined ? undefined : { line: place.line, column: place.column ?? 1 }
}

/** `dist/handout.pdf` with `-key`: `dist/handout-key.pdf`. */
function withSuffix(file: string, suffix: string): string {
  if (suffix === '') return file
  const { dir, name, ext } = path.parse(file)
  return path.join(dir, `${name}${suffix}${ext}`)
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
