// The `galley` command: Pandoc-style flags in, files out, diagnostics and exit codes for people and CI.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { reporter } from 'vfile-reporter'
import type { BuildOptions } from '../build.js'
import { build } from '../entry.js'
import type { Format } from '../formats.js'
import { formatError, GalleyError } from '../errors.js'
import { chooseFormats, ignoredOptions, pandocArgv, pandocOptions, pandocSettings, readFrom } from './pandoc-options.js'
import { progressLine } from './progress.js'
import { readsStandardInput, standardInput } from '../config/project.js'

export const exitCodes = {
  ok: 0,
  /** Warnings were reported and `--fail-on-warnings` was given. */
  warnings: 1,
  /** The input cannot be built: a missing file, metadata that does not parse, a broken bibliography or style. */
  input: 2,
  /** The browser or packaging failed. */
  render: 3,
  /** A bug in Galley. */
  internal: 70,
  /** An output cannot be written there (an input, a directory, a device, a link, no permission); nothing was written. */
  output: 73,
  usage: 64,
} as const

const usage = `Usage: galley [build] [FILE.md...] [options]
       galley init [DIR] [--template article|book|handout|course] [--ci github|gitlab|none]
       galley preview [FILE.md...] [options] [--port N] [--no-open]
       galley check [FILE.md...] [--format text|json] [--pdf]   (galley check --help)
       galley impose IN.pdf [-o OUT.pdf] [--layout booklet|2up|4up] [options]   (galley impose --help)

Builds Markdown chapters (in the order given) into HTML, PDF and EPUB. A .yaml or .yml input is metadata.
- is standard input, and so is no file at all when it is a pipe: \`cat a.md b.md | galley -o book.pdf\`
(without -o, its HTML goes to standard output).
Pandoc's command lines work as they are: \`galley paper.md -s --citeproc --bibliography refs.bib -o paper.html\`.

Options:
  -t, --to FORMAT         html, pdf or epub; repeat or comma-separate (default: all three); Pandoc's names too
                          (html5, html4, epub3, epub2; latex, context, ms with -o FILE.pdf mean the PDF)
  -o, --output FILE       write this one file (format from --to or the file extension); -o - : HTML to stdout
      --output-dir DIR    where outputs go (default: dist)
      --bibliography FILE CSL-JSON, CSL-YAML or BibTeX; repeatable
      --csl STYLE         CSL style file or name (default: chicago-author-date)
  -M, --metadata K=V      set a metadata key, as in Pandoc (K:V too); repeatable
  -V, --variable K=V      Pandoc's template variable, taken as metadata (below -M): -V fontsize=12pt
      --metadata-file FILE  YAML metadata, below the document's own (as in Pandoc); repeatable, later wins
      --toc, --table-of-contents   a table of contents (metadata toc: true)
      --toc-depth N       heading levels in it (default 3)
  -N, --number-sections   number the headings 1, 1.1, 1.1.1… (not {-} / .unnumbered ones)
      --number-offset N[,N...]  added to the section numbers, top level first; implies -N
      --shift-heading-level-by N  add N to every heading level (-1: ## becomes #, # the title)
      --top-level-division D  what a level-1 heading opens: chapter, part or section
      --split-level N     EPUB: a new file at each heading of level N or above (default 1)
      --resource-path DIRS  folders (separated by ${path.delimiter}) where images are looked for after the
                          chapter's own, even outside the project (default: the current folder, in the project)
      --default-image-extension EXT  added to image paths that have none (img/plot: img/plot.svg)
  -f, -r, --from FORMAT   markdown (also commonmark_x, gfm…, read as Pandoc's Markdown); others are refused
  -s, --standalone        accepted: every output is a whole document
  -C, --citeproc          accepted: citations are always formatted
      --self-contained, --embed-resources  accepted: the HTML always carries its images and fonts
      --pdf-engine PROG   accepted: the PDF is printed by Chromium (another engine gets a warning)
      --epub-cover-image FILE  the EPUB's cover (metadata cover-image)
      --template, --filter, -H, -B, -A, --css, --pdf-engine-opt, --listings…  Pandoc options that do
                          not apply to Galley: accepted, with one warning each; a filter is never run
      --profile NAME      make profile NAME active (Quarto's when-profile); repeatable or a comma list
      --variants A,B      one copy per name, each with that profile active: NAME.pdf, NAME-B.pdf…
  -d, --defaults FILE     a YAML config file (default: galley.yaml if present)
      --fail-on-warnings  exit with code 1 when there are warnings (also Pandoc's --fail-if-warnings)
      --no-cache          parse and format citations afresh (default: reuse .galley-cache/)
  -w, --watch             build again whenever a file the build read changes, until Ctrl-C
                          (-w FORMAT, with a format name, is Pandoc's --to)
      --batch             each FILE.md is a document of its own (dist/NAME.pdf…), all in one run, one browser
  -q, --quiet             report only problems
  -h, --help              show this help
  -v, --version           show the version

Exit codes: 0 ok, 1 warnings with --fail-on-warnings, 2 input error, 3 render error, 64 usage error, 70 bug,
73 cannot write an output, 130 interrupted (Ctrl-C: the browser is closed, no output is written).`

export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
  cwd: string
  env: NodeJS.ProcessEnv
  /** Ends `--watch` (by default Ctrl-C does). */
  stopWatching?: Promise<void>
  /** Whether stderr is a terminal, where a build shows its progress on a live line (stdout's, for colour in `check`). */
  stderrIsTTY?: boolean
  stdoutIsTTY?: boolean
  /** Reads standard input to its end; called only when the build reads it (`-`, or no input named). */
  stdin?: () => Promise<Uint8Array>
  /**
   * Whether standard input is a terminal. With no input named, standard input is read only when it is not (a pipe or
   * a file: `cat a.md | galley -o a.html`); `-` reads it either way, as Pandoc does.
   */
  stdinIsTTY?: boolean
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
  stdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  },
  stdinIsTTY: process.stdin.isTTY === true,
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  if (argv[0] === 'init') return init(argv.slice(1), io)
  if (argv[0] === 'check') {
    const { checkCommand } = await import('./check.js')
    return checkCommand(argv.slice(1), io)
  }
  if (argv[0] === 'impose') {
    // Loaded only for this command, with pdf-lib.
    const { imposeCommand } = await import('./impose.js')
    return imposeCommand(argv.slice(1), io)
  }
  let parsed
  try {
    parsed = parseArgs({
      args: pandocArgv(argv[0] === 'build' || argv[0] === 'preview' ? argv.slice(1) : argv),
      allowPositionals: true,
      options: {
        ...ignoredOptions,
        ...pandocOptions,
        to: { type: 'string', short: 't', multiple: true },
        output: { type: 'string', short: 'o' },
        'output-dir': { type: 'string' },
        bibliography: { type: 'string', multiple: true },
        csl: { type: 'string' },
        metadata: { type: 'string', short: 'M', multiple: true },
        'top-level-division': { type: 'string' },
        'split-level': { type: 'string' },
        'epub-chapter-level': { type: 'string' },
        profile: { type: 'string', multiple: true },
        variants: { type: 'string' },
        defaults: { type: 'string', short: 'd' },
        'fail-on-warnings': { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        watch: { type: 'boolean', short: 'w' },
        batch: { type: 'boolean' },
        port: { type: 'string' },
        'no-open': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    })
  } catch (error) {
    io.stderr(`galley: ${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`)
    return exitCodes.usage
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout(`${usage}\n`)
    return exitCodes.ok
  }
  if (values.version) {
    io.stdout(`galley ${await version()}\n`)
    return exitCodes.ok
  }
  const chosen = chooseFormats([...(values.to ?? []), ...(values.write ? [values.write] : [])], values.output)
  const from = values.from ?? values.read
  const reading = from === undefined ? { warnings: [] } : readFrom(from)
  const settings = pandocSettings(values)
  if ('error' in chosen || 'error' in reading || 'error' in settings) {
    const problem = [chosen, reading, settings].find((outcome): outcome is { error: string } => 'error' in outcome)
    io.stderr(`galley: ${problem?.error ?? 'usage'}\n`)
    return exitCodes.usage
  }
  // Standard input, as Pandoc reads it: the input `-`, or the document when none is named, no galley.yaml lists any
  // and it is not a terminal. Never for the commands that build again and again.
  const rebuilds = argv[0] === 'preview' || values.watch === true || values.batch === true
  const namesStdin = positionals.includes(standardInput)
  if (namesStdin && rebuilds) {
    io.stderr(`galley: ${argv[0] === 'preview' ? 'preview' : values.watch ? '--watch' : '--batch'} cannot read standard input (-): name the Markdown files\n`)
    return exitCodes.usage
  }
  const stdin = rebuilds ? undefined : await standardInputText(io, positionals, values.defaults)
  // The first chapter from standard input has no name to give the outputs: as Pandoc, Galley then writes HTML to
  // standard output, unless another format or a place for files was asked for (then -o is needed, exit 64).
  const firstChapter = positionals.find((input) => !/\.ya?ml$/i.test(input)) ?? (positionals.length === 0 && stdin && stdin.some((byte) => byte > 0x20) ? standardInput : undefined)
  const htmlOnly = chosen.formats.length === 1 && chosen.formats[0] === 'html'
  const stdinToStdout = firstChapter === standardInput && values.output === undefined && values['output-dir'] === undefined && (htmlOnly || (values.to === undefined && values.write === undefined))
  const to = stdinToStdout ? ['html' as const] : chosen.formats
  const toStdout = values.output === '-' || stdinToStdout
  if (values.output === '-' && (to.length !== 1 || to[0] !== 'html' || values.watch || argv[0] === 'preview')) {
    io.stderr('galley: -o - writes HTML to standard output, once; name a file for a PDF or EPUB (-o paper.pdf)\n')
    return exitCodes.usage
  }
  // Notes on Pandoc options that do not apply, once each, before the build's own report.
  const notes = [...chosen.warnings, ...reading.warnings, ...settings.warnings]
  for (const note of notes) io.stderr(`galley: warning: ${note}\n`)
  // --bibliography and --csl are metadata in Pandoc too; given on the command line they win over the file.
  const metadata = [...(values.metadata ?? []), ...settings.metadata]
  if (values.bibliography) metadata.push(...values.bibliography.map((file) => `bibliography=${file}`))
  if (values.csl) metadata.push(`csl=${values.csl}`)
  // So are Pandoc's options for the book's divisions; `--epub-chapter-level` is Pandoc 2's `--split-level`.
  if (values['top-level-division']) metadata.push(`top-level-division=${values['top-level-division']}`)
  const splitLevel = values['split-level'] ?? values['epub-chapter-level']
  if (splitLevel) metadata.push(`split-level=${splitLevel}`)
  // Quarto's `--profile` (repeatable, or a comma list) and Galley's copies from one run.
  if (values.profile) metadata.push(...values.profile.map((name) => `profile=${name}`))
  if (values.variants) metadata.push(`variants=${values.variants}`)

  const options: BuildOptions = {
    inputs: positionals,
    stdin,
    to,
    output: values.output,
    outputDir: values['output-dir'],
    metadata,
    variables: values.variable,
    metadataFiles: values['metadata-file'],
    // Pandoc's search path, separated as the system separates them (`:`); repeatable too.
    resourcePath: values['resource-path']?.flatMap((dirs) => dirs.split(path.delimiter)).filter(Boolean),
    defaultImageExtension: values['default-image-extension'],
    config: values.defaults,
    noCache: values['no-cache'],
    cwd: io.cwd,
    env: io.env,
  }
  const flags = { quiet: values.quiet === true, failOnWarnings: values['fail-on-warnings'] === true || values['fail-if-warnings'] === true, notes: notes.length }
  if (toStdout) return toStandardOutput(options, io, flags)
  const once = (browser?: BuildOptions['browser']): Promise<{ code: number; sources: string[] }> => buildAndReport({ ...options, browser }, io, flags)
  if (argv[0] === 'preview') return preview(options, { port: values.port, open: values['no-open'] !== true }, io, { quiet: true, failOnWarnings: false })
  if (values.batch) return batch(options, io, { ...flags, watch: values.watch === true })
  if (!values.watch) return (await once()).code
  const { watchAndBuild } = await import('./watch.js')
  const { startBrowser } = await import('../pdf/make-pdf.js')
  return watchAndBuild({
    build: once,
    startBrowser: (resolved) => startBrowser(resolved, io.env, undefined),
    initial: positionals.map((file) => path.resolve(io.cwd, file)),
    report: (line) => io.stderr(`${line}\n`),
    ...(io.stopWatching ? { stop: io.stopWatching } : {}),
  })
}

/**
 * Standard input, read when the build will read it: `-` among the inputs, or none named, no config file, and standard
 * input not a terminal (a pipe, a file). Otherwise it is left unread, so `galley build` in a project never waits on it.
 */
export async function standardInputText(io: Io, inputs: readonly string[], config: string | undefined): Promise<Uint8Array | undefined> {
  if (!io.stdin || !readsStandardInput({ inputs, config, cwd: io.cwd })) return undefined
  return inputs.includes(standardInput) || io.stdinIsTTY === false ? io.stdin() : undefined
}

interface ReportFlags {
  quiet: boolean
  failOnWarnings: boolean
  /** Warnings the command line gave already (Pandoc options that do not apply), counted with the build's. */
  notes?: number
}

/**
 * `-o -`: the HTML on standard output, as Pandoc writes it there. It is built into a private temporary folder and
 * copied out, so it goes through the same checks as any output, and nothing else is printed on standard output.
 */
async function toStandardOutput(options: BuildOptions, io: Io, flags: ReportFlags): Promise<number> {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(path.join(tmpdir(), 'galley-'))
  try {
    const output = path.join(dir, 'out.html')
    const result = await buildAndReport({ ...options, output }, { ...io, stdout: () => undefined }, flags)
    if (result.outputs?.includes(output)) io.stdout(readFileSync(output, 'utf8'))
    return result.code
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One build, reported: diagnostics to stderr, written files to stdout. */
async function buildAndReport(options: BuildOptions, io: Io, flags: ReportFlags): Promise<{ code: number; sources: string[]; outputs?: string[] }> {
  const progress = progressLine(io, flags.quiet)
  try {
    const result = await build({ ...options, onProgress: progress.update })
    progress.done(result)
    const report = reporter(result.files, { quiet: true, color: colour(io.env) })
    if (report) io.stderr(`${report}\n`)
    if (!flags.quiet) {
      for (const output of result.outputs) {
        io.stdout(`${path.relative(io.cwd, output.path)}  ${output.format.toUpperCase()}, ${kilobytes(output.bytes)}\n`)
      }
    }
    const warnings = result.files.reduce((count, file) => count + file.messages.length, flags.notes ?? 0)
    const code = flags.failOnWarnings && warnings > 0 ? exitCodes.warnings : exitCodes.ok
    return { code, sources: result.sources, outputs: result.outputs.map((output) => output.path) }
  } catch (error) {
    progress.done(undefined)
    if (error instanceof GalleyError) {
      io.stderr(`${formatError(error, io.cwd)}\n`)
      return { code: error.exitCode, sources: [] }
    }
    io.stderr(`galley: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return { code: exitCodes.internal, sources: [] }
  }
}

/**
 * `galley preview`: watch mode whose outputs go to `.galley-cache/preview/` and are shown by a local server. Each
 * change is built as HTML first (the quick view) and then, when pages are wanted, as PDF.
 */
async function preview(options: BuildOptions, { port, open }: { port: string | undefined; open: boolean }, io: Io, flags: ReportFlags): Promise<number> {
  if (port !== undefined && !/^\d{1,5}$/.test(port)) {
    io.stderr(`galley preview: --port must be a number, got "${port}"\n`)
    return exitCodes.usage
  }
  const [{ openInBrowser, startPreviewServer }, { watchAndBuild }, { startBrowser }] = await Promise.all([import('./preview.js'), import('./watch.js'), import('../pdf/make-pdf.js')])
  let server
  try {
    server = await startPreviewServer(port === undefined ? 7337 : Number(port))
  } catch (error) {
    io.stderr(`galley preview: cannot listen on 127.0.0.1:${port ?? 7337} (${(error as { code?: string }).code ?? String(error)}); choose another with --port\n`)
    return exitCodes.output
  }
  io.stderr(`Preview at ${server.url} — only this machine can open it. Ctrl-C to stop.\n`)
  if (open) openInBrowser(server.url, io.env)
  const outputDir = path.join(io.cwd, '.galley-cache', 'preview')
  const wantsPages = options.to.includes('pdf')
  const published = server
  const once = async (to: Format, browser: BuildOptions['browser']): Promise<{ code: number; sources: string[]; outputs?: string[] }> => {
    let report = ''
    const capture: Io = { ...io, stdout: () => undefined, stderr: (text) => {
      report += text
      io.stderr(text)
    } }
    const result = await buildAndReport({ ...options, to: [to], output: undefined, outputDir, browser }, capture, flags)
    // Every copy the build wrote (variants, booklets), the first copy first.
    const built = result.outputs?.length ? result.outputs : undefined
    published.publish({ ok: built !== undefined, report, ...(built ? { [to]: built } : {}) })
    return result
  }
  try {
    return await watchAndBuild({
      build: async (browser) => {
        const text = await once('html', browser)
        if (!wantsPages || text.outputs === undefined) return text
        const pages = await once('pdf', browser)
        return { code: Math.max(text.code, pages.code), sources: [...new Set([...text.sources, ...pages.sources])] }
      },
      startBrowser: (resolved) => startBrowser(resolved, io.env, undefined),
      initial: options.inputs.map((file) => path.resolve(io.cwd, file)),
      report: (line) => io.stderr(`${line}\n`),
      ...(io.stopWatching ? { stop: io.stopWatching } : {}),
    })
  } finally {
    await server.close()
  }
}

/** `--batch`: each file named is a document of its own, all built in one run with one browser. */
async function batch(options: BuildOptions, io: Io, flags: { quiet: boolean; failOnWarnings: boolean; notes: number; watch: boolean }): Promise<number> {
  const refuse = (reason: string): number => {
    io.stderr(`galley: --batch ${reason}\n`)
    return exitCodes.usage
  }
  if (options.output !== undefined) return refuse('writes one set of outputs per file: use --output-dir, not -o')
  if (flags.watch) return refuse('does not watch: build the files with --batch, or watch one document')
  const [{ buildBatch }, { startBrowser }] = await Promise.all([import('./batch.js'), import('../pdf/make-pdf.js')])
  // No files named: the `input-files` of galley.yaml, each a document of its own.
  let inputs = options.inputs
  if (inputs.length === 0) {
    const { resolveProject } = await import('../config/project.js')
    try {
      inputs = resolveProject({ inputs: [], config: options.config, cwd: io.cwd }).inputs.map((input) => path.relative(io.cwd, input))
    } catch (error) {
      return refuse(`needs the Markdown files to build, named or listed under input-files in galley.yaml (${error instanceof Error ? error.message : String(error)})`)
    }
  }
  // A `.yaml` input is metadata for every document, before its own front matter (which, later, wins).
  const yaml = inputs.filter((input) => /\.ya?ml$/i.test(input))
  const result = await buildBatch({
    build: { ...options, inputs: inputs.filter((input) => !yaml.includes(input)) },
    buildOne: async (one) => (await buildAndReport({ ...one, inputs: [...yaml, ...one.inputs] }, io, flags)).code,
    startBrowser: (metadata) => startBrowser(metadata, io.env, undefined),
  })
  return typeof result === 'number' ? result : refuse(result.refused)
}

/** `galley init [DIR] [--template NAME] [--ci SERVICE]`: a new project that builds as it is. */
async function init(argv: readonly string[], io: Io): Promise<number> {
  const { ciFiles, initProject, isCi, templates } = await import('./init.js')
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { template: { type: 'string', short: 't' }, ci: { type: 'string' } } })
  } catch (error) {
    io.stderr(`galley init: ${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`)
    return exitCodes.usage
  }
  const template = parsed.values.template ?? 'article'
  if (!(templates as readonly string[]).includes(template)) {
    io.stderr(`galley init: unknown template "${template}"; choose ${templates.join(', ')}\n`)
    return exitCodes.usage
  }
  const ci = parsed.values.ci ?? 'github'
  if (!isCi(ci)) {
    io.stderr(`galley init: unknown CI "${ci}"; choose ${Object.keys(ciFiles).join(', ')}\n`)
    return exitCodes.usage
  }
  if (parsed.positionals.length > 1) {
    io.stderr(`galley init: give one folder, not ${parsed.positionals.length}\n`)
    return exitCodes.usage
  }
  const dir = path.resolve(io.cwd, parsed.positionals[0] ?? '.')
  const result = initProject(dir, template as (typeof templates)[number], ci)
  if (result.refused !== undefined) {
    io.stderr(`galley init: ${result.refused}\n`)
    return exitCodes.output
  }
  const shown = path.relative(io.cwd, dir) || '.'
  io.stdout(`Created ${template === "article" ? "an" : "a"} ${template} in ${shown}: ${result.files.join(', ')}\n`)
  io.stdout(`Next: ${shown === '.' ? '' : `cd ${shown} && `}galley build   (writes dist/; edit galley.yaml and the Markdown, then build again)\n`)
  return exitCodes.ok
}

function colour(env: NodeJS.ProcessEnv): boolean {
  return !env['NO_COLOR'] && Boolean(process.stderr.isTTY)
}

function kilobytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const url = new URL('../../package.json', import.meta.url)
  return (JSON.parse(await readFile(url, 'utf8')) as { version: string }).version
}
