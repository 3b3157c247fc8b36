// A build resolved once from its options and the environment: the project, its chapters and the metadata layers
// known before the parse, the outputs and where they go, the caches, the date, the time limit. The only place a
// build reads the environment.
import { readFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import type { Browser } from 'puppeteer-core'
import { systemCslDir } from './citations/styles.js'
import { quartoLayer, readCliLayer, readMetadataFile, resolveMetadata, type Layer } from './config/metadata.js'
import { quartoMetadataFile, resolveProject, standardInput, standardInputName } from './config/project.js'
import type { Metadata } from './config/schema.js'
import { InputError, UsageError } from './errors.js'
import { buildCaches, cacheDir, type Cache, type CacheKind } from './file-cache.js'
import type { Format } from './formats.js'
import { normalizeLineEnds } from './markdown/line-ends.js'
import type { OnProgress } from './progress.js'

export interface BuildOptions {
  /**
   * Markdown files, chapters in this order; when empty, `input-files` of the config file, else standard input (`stdin`).
   * `-` is standard input.
   */
  inputs: readonly string[]
  /**
   * The text of standard input, read by the caller (the library reads no stream): the input `-`, or the one document
   * when no input is named and no config file lists any. Undefined when there is none to read (a terminal).
   */
  stdin?: string | Uint8Array | undefined
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
  /** Pandoc's `--default-image-extension`: added to an image path that has none (`svg` or `.svg`). */
  defaultImageExtension?: string | undefined
  /** A YAML defaults file (Pandoc's `--defaults`); `galley.yaml` in `cwd` is read when present. */
  config?: string | undefined
  cwd?: string | undefined
  /** `SOURCE_DATE_EPOCH`, `GALLEY_TIMEOUT`, `GALLEY_BROWSER`, `CSL_DIR`; default `process.env`. */
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

export interface ResolvedBuild {
  /** Where Galley runs: messages name files relative to it. */
  cwd: string
  env: NodeJS.ProcessEnv
  /** The one boundary for files a document may name (`Project.dir`). */
  projectDir: string
  configFile: string | undefined
  /** Every input in order, Markdown and YAML, absolute. */
  inputs: readonly string[]
  /** The chapters: the Markdown inputs, read, in order. */
  chapters: readonly string[]
  files: VFile[]
  /** Where messages about the book as a whole go. */
  bookFile: VFile
  /** The metadata layers known before the parse: `-M` and `-V`, the config file, each YAML input, `--metadata-file`. */
  layers: { cli: Layer[]; config: Layer; inputs: ReadonlyMap<string, Layer>; metadataFiles: Layer[] }
  /** The command line's metadata alone: what only the person running Galley may set (`browser`) is final here. */
  runner: Metadata
  /** `--metadata-file`s, absolute (watch mode watches them). */
  metadataFiles: string[]
  resourcePath: string[] | undefined
  defaultImageExtension: string | undefined
  to: readonly Format[]
  wants(format: Format): boolean
  /** Where an output of this format goes; `suffix` tells a variant's copy (`-key`). */
  target(format: Format, suffix: string): string
  write: boolean
  earlyCiteproc: boolean
  /** The build's caches (`.galley-cache/<kind>`), none with `--no-cache`. */
  cache: (kind: CacheKind) => Cache | undefined
  /** Whether a cache of this kind holds nothing yet (always with `--no-cache`): a first build. */
  coldCache: (kind: CacheKind) => boolean
  /** `GALLEY_TIMEOUT` (ms): bounds the browser's start and each load and print; a hung browser is given up. */
  timeout: number | undefined
  /** `dcterms:modified` and the PDF's dates: `SOURCE_DATE_EPOCH` when set, for reproducible builds; else the clock. */
  date: Date
  /** Where the system's CSL styles and locales are (`CSL_DIR`). */
  cslDir: string
  browser: BuildOptions['browser']
  progress: OnProgress
}

/** Reads the project, its chapters and its metadata files; throws `InputError`/`ConfigError` for what cannot be read. */
export async function resolveBuild(options: Readonly<BuildOptions>): Promise<ResolvedBuild> {
  const cwd = options.cwd ?? process.cwd()
  const env = options.env ?? process.env
  const project = resolveProject({ inputs: options.inputs, config: options.config, cwd, stdin: options.stdin })
  // A `.yaml`/`.yml` input is metadata, as a YAML file given to Pandoc is: its keys count where the file stands.
  const isMetadataFile = (input: string): boolean => /\.ya?ml$/i.test(input)
  const chapters = project.inputs.filter((input) => !isMetadataFile(input))
  if (chapters.length === 0) throw new InputError('No Markdown input files: the files given are all metadata (.yaml)')
  // Outputs are named after the first chapter; standard input has no name to give them.
  if (chapters[0] === standardInput && options.output === undefined && options.write !== false) {
    throw new UsageError(`A document read from standard input has no file name for its outputs: name the output with -o (-o book.pdf), or use -o - for HTML on standard output`)
  }
  const files = await Promise.all(chapters.map((input) => (input === standardInput ? readStandardInput(options.stdin, cwd) : readManuscript(input, cwd))))
  const inputLayers = new Map(project.inputs.filter(isMetadataFile).map((input) => [input, readMetadataLayer(input, cwd)]))
  // A Quarto project's _quarto.yml comes first: a metadata file named on the command line is over it.
  const quarto = quartoMetadataFile(project)
  const given = (options.metadataFiles ?? []).map((file) => path.resolve(cwd, file))
  const metadataFiles = quarto && !given.includes(quarto) ? [quarto, ...given] : given
  const metadataFileLayers = metadataFiles.map((file) => (file === quarto ? quartoLayer(readMetadataLayer(file, cwd)) : readMetadataLayer(file, cwd)))
  const bookFile = new VFile({ path: files[0]?.path ?? 'book', cwd })
  const cli = [readCliLayer(options.metadata ?? [], cwd), readCliLayer(options.variables ?? [], cwd, '-V')]
  const cslDir = env['CSL_DIR'] ?? systemCslDir
  const target = (format: Format, suffix: string): string =>
    withSuffix(options.output ? path.resolve(cwd, options.output) : path.resolve(cwd, options.outputDir ?? 'dist', `${path.parse(chapters[0] ?? 'book').name}.${format}`), suffix)
  return {
    cwd,
    env,
    projectDir: project.dir,
    configFile: project.configFile,
    inputs: project.inputs,
    chapters,
    files,
    bookFile,
    layers: { cli, config: project.layer, inputs: inputLayers, metadataFiles: metadataFileLayers },
    runner: resolveMetadata(cli, { projectDir: project.dir }),
    metadataFiles,
    resourcePath: options.resourcePath?.map((dir) => path.resolve(cwd, dir)),
    defaultImageExtension: options.defaultImageExtension,
    to: options.to,
    wants: (format) => options.to.includes(format),
    target,
    write: options.write !== false,
    // The worker looks locales up where Galley does by default: with another CSL_DIR, citeproc stays on this thread.
    earlyCiteproc: options.earlyCiteproc !== false && cslDir === systemCslDir,
    cache: buildCaches(cwd, options.noCache !== true),
    coldCache: (kind) => options.noCache === true || !existsSync(cacheDir(cwd, kind)),
    timeout: /^\d+$/.test(env['GALLEY_TIMEOUT'] ?? '') ? Number(env['GALLEY_TIMEOUT']) : undefined,
    date: sourceDate(env, options.now),
    cslDir,
    browser: options.browser,
    progress: options.onProgress ?? ((): void => undefined),
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
  return manuscriptFile(path.relative(cwd, file), cwd, text)
}

/**
 * Standard input as a chapter: its VFile is `<stdin>` in the current directory, so its images and front matter's
 * files resolve there, as Pandoc resolves them, and messages name it `<stdin>:line:col`.
 */
function readStandardInput(stdin: string | Uint8Array | undefined, cwd: string): VFile {
  if (stdin === undefined) throw new InputError('The input - is standard input, and there is none to read', { file: standardInputName })
  if (typeof stdin === 'string') return manuscriptFile(standardInputName, cwd, stdin)
  try {
    return manuscriptFile(standardInputName, cwd, new TextDecoder('utf-8', { fatal: true }).decode(stdin))
  } catch {
    throw new InputError('Standard input is not UTF-8 text; convert it to UTF-8 (iconv -t UTF-8)', { file: standardInputName })
  }
}

function manuscriptFile(shown: string, cwd: string, text: string): VFile {
  // Line ends as Pandoc reads them: a file saved on Windows (CRLF) or an old Mac (CR) reads as one saved with LF.
  const manuscript = new VFile({ path: shown, cwd, value: normalizeLineEnds(text.replace(/^\uFEFF/, '')) })
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

/** `dist/handout.pdf` with `-key`: `dist/handout-key.pdf`. */
function withSuffix(file: string, suffix: string): string {
  if (suffix === '') return file
  const { dir, name, ext } = path.parse(file)
  return path.join(dir, `${name}${suffix}${ext}`)
}
