// What a build's project is: its directory (the one boundary for files a document may name), config file and inputs.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { ConfigError, InputError } from '../errors.js'
import { isInside, projectFile } from '../paths.js'
import { readYamlLayer, type Layer } from './metadata.js'

export interface Project {
  /**
   * Absolute, links resolved. The directory of the config file when there is one (`-d FILE`, or `galley.yaml` where
   * Galley runs); else where Galley runs when that is a project's root (`projectMarkers`) holding every input file,
   * as `galley chapters/*.md` is run from a repository's root; else the directory holding the input files. Never
   * simply where Galley happens to run: a home directory without a marker does not become the project.
   */
  dir: string
  /** Markdown files, chapters in order, absolute; `-` for standard input. */
  inputs: string[]
  /** The config file's metadata layer (empty without one). */
  layer: Layer
  /** The config file read, if any. */
  configFile?: string
}

export interface ProjectOptions {
  /**
   * Input files named on the command line, relative to `cwd`; trusted (the person running Galley chose them). `-` is
   * standard input (`standardInput`).
   */
  inputs: readonly string[]
  /** `-d FILE`; else `galley.yaml` in `cwd` when present. */
  config?: string | undefined
  cwd: string
  /**
   * The text of standard input, when it may be read: for the input `-`, and, when no input is named and no config
   * file lists any, as the one document (as Pandoc reads standard input then). Undefined: it is not available (a
   * terminal), and naming no input is an error as before.
   */
  stdin?: string | Uint8Array | undefined
}

/**
 * The input that is standard input, as in Pandoc: one Markdown document that stands in the current directory (its
 * images and bibliography are found there, and it is inside the project), named `<stdin>` in messages.
 */
export const standardInput = '-'

/** How messages name standard input, as Pandoc does. */
export const standardInputName = '<stdin>'

/**
 * Whether a build with these inputs would read standard input: `-` among them, or none named and no config file to
 * list them (`galley.yaml` here, or `-d`). The caller reads standard input only then, so a project's usual
 * `galley build` never waits on it.
 */
export function readsStandardInput(options: Readonly<Omit<ProjectOptions, 'stdin'>>): boolean {
  if (options.inputs.length > 0) return options.inputs.includes(standardInput)
  if (existsSync(options.config ? path.resolve(options.cwd, options.config) : path.join(options.cwd, 'galley.yaml'))) return false
  try {
    return quartoBook(options.cwd) === undefined
  } catch {
    return false // A _quarto.yml that does not parse: the build reports it.
  }
}

/** Quarto's project file in `dir`, if any. */
function quartoFile(dir: string): string | undefined {
  return ['_quarto.yml', '_quarto.yaml'].map((name) => path.join(dir, name)).find((file) => existsSync(file))
}

/**
 * A Quarto book's files in reading order, from the `_quarto.yml` in `cwd`: `book:` `chapters:` then `appendices:`,
 * each a file or a `part:` with its own `chapters:` (a part given as a file is read before its chapters; a part
 * given as a title has no page in Galley). Undefined when there is no such file or it lists no chapters. Like a
 * config file's `input-files`, the chapters must be inside the project: `_quarto.yml` is part of the document.
 */
export function quartoBook(cwd: string): { file: string; inputs: string[] } | undefined {
  const file = quartoFile(cwd)
  if (file === undefined) return undefined
  const shown = path.relative(cwd, file)
  const book = readYamlLayer(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), shown, cwd).get('book')
  if (!book || !book.value || typeof book.value !== 'object' || Array.isArray(book.value)) return undefined
  const root = realDir(cwd)
  const inputs: string[] = []
  const add = (entry: unknown): void => {
    if (typeof entry === 'string') {
      const input = path.resolve(cwd, entry)
      if (!/\.(qmd|md|markdown|rmd)$/i.test(entry)) {
        throw new ConfigError(`The Quarto book's chapter ${entry} is not Markdown (.qmd, .md, .Rmd); Galley cannot read ${path.extname(entry) || 'it'}: convert it with quarto convert, or leave it out`, book.place)
      }
      if (projectFile(root, input).refused === 'outside') {
        throw new ConfigError(`The Quarto book's chapters name ${entry}, which is outside the project directory ${root}: _quarto.yml may only name files inside its project`, book.place)
      }
      inputs.push(input)
    } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const { part, chapters, href, file: named } = entry as Record<string, unknown>
      if (typeof href === 'string') add(href)
      else if (typeof named === 'string') add(named)
      if (typeof part === 'string' && /\.(qmd|md|markdown|rmd)$/i.test(part)) add(part)
      if (Array.isArray(chapters)) chapters.forEach(add)
    }
  }
  const { chapters, appendices } = book.value as Record<string, unknown>
  if (Array.isArray(chapters)) chapters.forEach(add)
  if (Array.isArray(appendices)) appendices.forEach(add)
  return inputs.length > 0 ? { file, inputs } : undefined
}

export function resolveProject(options: Readonly<ProjectOptions>): Project {
  const { cwd } = options
  const configFile = options.config ? path.resolve(cwd, options.config) : path.join(cwd, 'galley.yaml')
  const hasConfig = existsSync(configFile)
  if (options.config && !hasConfig) throw new ConfigError(`Config file ${options.config} not found`, { file: options.config })
  // Standard input is read when named, or as the one document when nothing else names one and it holds text.
  // Nothing named and no config file: a Quarto book's chapters, else standard input when it holds text.
  const quarto = options.inputs.length > 0 || hasConfig ? undefined : quartoBook(cwd)
  const named = options.inputs.length > 0 ? options.inputs : quarto ? quarto.inputs : !hasConfig && hasText(options.stdin) ? [standardInput] : []
  if (named.filter((input) => input === standardInput).length > 1) throw new InputError('Standard input (-) is named twice; it can be read once')
  const given = named.map((input) => (input === standardInput ? standardInput : path.resolve(cwd, input)))
  // Standard input's place is the current directory.
  const placeOf = (input: string): string => (input === standardInput ? cwd : path.dirname(input))
  const dir = hasConfig ? realDir(path.dirname(configFile)) : projectRootAbove(cwd, given.map(placeOf)) ?? realDir(commonDirectory(given.map(placeOf)) ?? cwd)
  if (!hasConfig) {
    if (given.length === 0) {
      if (quartoFile(cwd)) throw new InputError(`No input files: ${path.basename(quartoFile(cwd) ?? '')} lists no book chapters (book: chapters:); name the .qmd files to build`)
      throw new InputError('No input files: name the Markdown files to build, or list them under input-files in galley.yaml')
    }
    return { dir, inputs: given, layer: new Map() }
  }
  const config = readConfig(configFile, cwd, dir)
  const inputs = given.length > 0 ? given : config.inputFiles
  if (inputs.length === 0) throw new InputError('No input files: name the Markdown files to build, or list them under input-files in galley.yaml')
  return { dir, inputs, layer: config.layer, configFile }
}

/**
 * A Quarto project's `_quarto.yml`, read as a metadata file below every other (as Quarto merges it under each
 * document's front matter), when the inputs are Quarto documents (`.qmd`), no Galley config file was read and it is
 * in the project directory: its `title`, `author`, `bibliography`, `csl`, `crossref`… apply.
 */
export function quartoMetadataFile(project: Project): string | undefined {
  if (project.configFile || !project.inputs.some((input) => /\.qmd$/i.test(input))) return undefined
  return quartoFile(project.dir)
}

/**
 * What makes a directory a project's root, so that Galley run there on files below it takes it as the project: a
 * repository, a build file, a Quarto, Galley or Node project, a Pandoc metadata file. Each is something a person
 * puts at the top of a piece of work, which a home or temporary directory does not have.
 */
export const projectMarkers = ['.git', '.hg', 'Makefile', 'makefile', 'GNUmakefile', '_quarto.yml', '_quarto.yaml', 'galley.yml', 'package.json', 'metadata.yaml', 'metadata.yml'] as const

/**
 * The project root for inputs named from `cwd`: `cwd` (real path) when it holds one of `projectMarkers` and every
 * input's directory is inside it once symbolic links are resolved (a `chapters` link that leads out of it does not
 * count); else, when the inputs are not below `cwd` (a Makefile in `build/` runs on `../chapters/*.md`), the nearest
 * directory above it that holds a marker and them all. Never a home directory or the file system's root, which a
 * dotfiles repository can mark. Undefined when there is none.
 */
function projectRootAbove(cwd: string, inputDirs: readonly string[]): string | undefined {
  if (inputDirs.length === 0) return undefined
  const never = new Set([realDir(homedir()), path.parse(realDir(cwd)).root])
  const marked = (dir: string): boolean => !never.has(dir) && projectMarkers.some((marker) => existsSync(path.join(dir, marker)))
  const holdsAll = (root: string): boolean => inputDirs.every((dir) => isInside(root, realDir(dir)))
  const root = realDir(cwd)
  if (holdsAll(root)) return marked(root) ? root : undefined
  for (let dir = path.dirname(root); !never.has(dir) && dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (holdsAll(dir)) return marked(dir) ? dir : undefined
  }
  return undefined
}

function hasText(stdin: string | Uint8Array | undefined): boolean {
  if (stdin === undefined) return false
  return typeof stdin === 'string' ? stdin.trim() !== '' : stdin.some((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09)
}

/** The deepest directory that holds all of `dirs`. */
function commonDirectory(dirs: readonly string[]): string | undefined {
  const [first, ...rest] = dirs
  if (first === undefined) return undefined
  let common = first
  for (const dir of rest) {
    while (path.relative(common, dir).startsWith('..') || path.isAbsolute(path.relative(common, dir))) common = path.dirname(common)
  }
  return common
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir)
  } catch {
    return dir
  }
}

/**
 * Reads `galley.yaml` (or `-d FILE`): `input-files`, `metadata:`, and metadata keys at the top level. The config file
 * belongs to the project, as a document does: the input files it lists must be inside the project.
 */
function readConfig(file: string, cwd: string, projectDir: string): { inputFiles: string[]; layer: Layer } {
  const shown = path.relative(cwd, file)
  const top = readYamlLayer(readFileSync(file, 'utf8'), shown, path.dirname(file))
  const layer: Layer = new Map()
  let inputFiles: string[] = []
  for (const [key, setting] of top) {
    if (key === 'input-files') {
      const value = setting.value
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        throw new ConfigError('"input-files" must be a list of Markdown files', setting.place)
      }
      inputFiles = value.map((item: string) => path.resolve(setting.baseDir, item))
      const outside = inputFiles.find((input) => projectFile(projectDir, input).refused === 'outside')
      if (outside !== undefined) {
        throw new ConfigError(
          `"input-files" names ${outside}, which is outside the project directory ${projectDir}: a config file may only name files inside its project`,
          setting.place,
        )
      }
    } else if (key === 'metadata') {
      if (!setting.value || typeof setting.value !== 'object' || Array.isArray(setting.value)) {
        throw new ConfigError('"metadata" must be a mapping of keys to values', setting.place)
      }
      for (const [inner, value] of Object.entries(setting.value)) layer.set(inner, { ...setting, value })
    } else {
      layer.set(key, setting)
    }
  }
  return { inputFiles, layer }
}
