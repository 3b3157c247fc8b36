// `npm run bench`: generated books of three sizes through Galley and the tools users would pick instead, side by side
// in one run on one machine. Only ratios measured in the same run count; results go to bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BookSize, generateBook } from './generate.js'
import { generateMathBook } from './math-book.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const project = path.resolve(here, '../..')
const child = path.join(here, 'child.js')
/** The Node options the CLI starts with (its `#!` line): a build job runs as `galley` would. */
const cliOptions = (readFileSync(path.join(project, 'bin', 'galley.js'), 'utf8').split('\n', 1)[0] ?? '').split(/\s+/).filter((word) => word.startsWith('--'))

interface Run {
  ms: number
  peakMb: number
  stdout: string
  code: number | null
}

/**
 * Memory of a process and all its descendants (the browser's processes included), from /proc: the proportional set
 * size, which counts pages shared between Chromium's processes once instead of once per process.
 */
function treeRss(root: number): number {
  const children = new Map<number, number[]>()
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // The process ended while we looked.
    }
  }
  const stack = [root]
  while (stack.length > 0) {
    const pid = stack.pop() as number
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
      total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
    } catch {
      // Gone.
    }
    stack.push(...(children.get(pid) ?? []))
  }
  return total / 1024
}

/** Runs a command, timing it from outside and sampling the memory of its whole process tree. */
function measure(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const process_ = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } })
    let stdout = ''
    let stderr = ''
    let peakMb = 0
    process_.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    process_.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    // A sample reads each process's page tables (some 30 ms for a browser's tree here): sampled every 40 ms, that
    // took most of one core, which slowed the job it watched (a PDF build using both cores more than a job using one),
    // so the next sample waits ten times as long as the last took: a tenth of a core at most.
    const sample = (): void => {
      const before = performance.now()
      if (process_.pid !== undefined) peakMb = Math.max(peakMb, treeRss(process_.pid))
      sampler = setTimeout(sample, Math.max(40, 10 * (performance.now() - before)))
    }
    let sampler = setTimeout(sample, 40)
    process_.on('error', reject)
    process_.on('close', (code) => {
      clearTimeout(sampler)
      // A failed run has no time worth reporting.
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr.slice(-2000)}`))
      else resolve({ ms: performance.now() - started, peakMb, stdout, code })
    })
  })
}

/**
 * `galley build --watch` in the book's directory: after its first build, each prose edit is timed from the write to
 * the report of the build it caused (the same process throughout, as an author previewing would run it).
 */
function watchRebuilds(dir: string, to: string, edits: readonly (() => Promise<void>)[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const galley = spawn(process.execPath, [...cliOptions, path.join(project, 'bin', 'galley.js'), 'build', '--watch', '--to', to, '--quiet'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1700000000' },
    })
    const times: number[] = []
    let started = 0
    let next = 0
    let buffer = ''
    galley.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
        const line = buffer.slice(0, at)
        buffer = buffer.slice(at + 1)
        if (!line.startsWith('built in ')) continue
        if (started > 0) times.push(performance.now() - started)
        if (next === edits.length) {
          galley.kill('SIGINT')
          continue
        }
        const edit = edits[next++] as () => Promise<void>
        // Let the watcher settle before the edit, as a person's typing would.
        setTimeout(() => {
          started = performance.now()
          edit().catch(reject)
        }, 300)
      }
    })
    galley.on('error', reject)
    galley.on('close', () => (times.length === edits.length ? resolve(times) : reject(new Error(`watch mode stopped after ${times.length} rebuilds`))))
  })
}

/**
 * `galley preview` of the book (HTML and pages) in its directory: after its first build, each one-line edit is timed
 * from the write to the two reloads the server pushes on its event stream, the text's (the HTML build) and then the
 * pages' (the PDF build, the same layout pass as `galley build --to pdf`). Between edits, while the preview waits,
 * `between()` runs the same-run baselines. Times end when the event reaches the page, before the browser loads the file.
 */
function previewReloads(dir: string, edits: readonly (() => Promise<void>)[], between: () => Promise<void>): Promise<{ html: number[]; pages: number[] }> {
  return new Promise((resolve, reject) => {
    const galley = spawn(process.execPath, [...cliOptions, path.join(project, 'bin', 'galley.js'), 'preview', '--to', 'html,pdf', '--port', '0', '--no-open'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1700000000' },
    })
    const html: number[] = []
    const pages: number[] = []
    let written = 0
    let reloads = 0
    let next = 0
    let stderr = ''
    const fail = (error: unknown): void => {
      galley.kill('SIGINT')
      reject(error instanceof Error ? error : new Error(String(error)))
    }
    /** One edit, once the preview has built everything and the baselines have run. */
    const edit = (): void => {
      if (next === edits.length) {
        galley.kill('SIGINT')
        return
      }
      const run = edits[next++] as () => Promise<void>
      between()
        // Let the watcher settle before the edit, as a person's typing would.
        .then(() => new Promise((settled) => setTimeout(settled, 300)))
        .then(() => {
          written = performance.now()
          reloads = 0
          return run()
        })
        .catch(fail)
    }
    const follow = (port: number): void => {
      const events = request({ host: '127.0.0.1', port, path: '/events' }, (response) => {
        let buffer = ''
        response.on('data', (chunk: Buffer) => {
          buffer += chunk.toString()
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const update = JSON.parse(buffer.slice(0, end).replace(/^data: /, '')) as { ok: boolean; report: string }
            buffer = buffer.slice(end + 2)
            if (written === 0) continue
            if (!update.ok) return fail(new Error(`the preview's build failed: ${update.report}`))
            reloads += 1
            // Each save is built as HTML, then as pages: two reloads.
            if (reloads === 1) html.push(performance.now() - written)
            if (reloads === 2) pages.push(performance.now() - written)
          }
        })
      })
      events.on('error', () => undefined) // The stream ends when the preview stops.
      events.end()
    }
    let buffer = ''
    galley.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      stderr += chunk.toString()
      for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
        const line = buffer.slice(0, at)
        buffer = buffer.slice(at + 1)
        const port = /Preview at http:\/\/127\.0\.0\.1:(\d+)\//.exec(line)?.[1]
        if (port) follow(Number(port))
        // Both builds of a save are over: the next edit.
        if (line.startsWith('built in ')) edit()
      }
    })
    galley.on('error', reject)
    galley.on('close', () =>
      html.length === edits.length && pages.length === edits.length ? resolve({ html, pages }) : reject(new Error(`preview stopped after ${pages.length} reloads\n${stderr.slice(-2000)}`)),
    )
  })
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim()
  return found === '' ? undefined : found
}

interface Row {
  size: BookSize
  name: string
  ms: number
  peakMb: number
  note?: string
}

async function repeat(times: number, run: () => Promise<Run>): Promise<{ ms: number; peakMb: number; last: Run }> {
  const runs: Run[] = []
  for (let i = 0; i < times; i++) runs.push(await run())
  return { ms: median(runs.map((run) => run.ms)), peakMb: Math.max(...runs.map((run) => run.peakMb)), last: runs.at(-1) as Run }
}

function parseJson(run: Run): Record<string, unknown> {
  const line = run.stdout.trim().split('\n').at(-1) ?? '{}'
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return {}
  }
}

async function benchSize(size: BookSize, repeats: number, rows: Row[], stages: Record<string, Record<string, number>>): Promise<void> {
  const dir = path.join(project, 'bench', 'out', size)
  await mkdir(dir, { recursive: true })
  const book = await generateBook(size, dir)
  const chapters = book.chapters.map((chapter) => path.basename(chapter))
  const add = (name: string, result: { ms: number; peakMb: number }, note?: string): void => {
    rows.push({ size, name, ms: result.ms, peakMb: result.peakMb, ...(note === undefined ? {} : { note }) })
    process.stderr.write(`  ${size.padEnd(6)} ${name.padEnd(34)} ${(result.ms / 1000).toFixed(2).padStart(7)} s ${result.peakMb.toFixed(0).padStart(5)} MB${note ? `  ${note}` : ''}\n`)
  }
  const galley = (to: string, ...flags: string[]) => () => measure(process.execPath, [...cliOptions, child, 'build', dir, to, ...flags], dir)

  // A repeated build is what an author does all day: change a sentence in one chapter, build again.
  const middle = book.chapters[Math.floor(book.chapters.length / 2)] as string
  const original = readFileSync(middle, 'utf8')
  let edits = 0
  const afterProseEdit = (run: () => Promise<Run>) => async (): Promise<Run> => {
    edits += 1
    await writeFile(middle, original.replace(/\.\n\n/, `. An edited sentence, number ${edits}.\n\n`))
    return run()
  }

  // Galley and Pandoc in turns, so that a slow spell of this shared machine falls on both sides of a ratio.
  const csl = path.join(project, 'styles', 'csl', 'chicago-author-date.csl')
  const hasPandoc = which('pandoc') !== undefined
  if (!hasPandoc) process.stderr.write('  pandoc not found: skipped (apt-get install pandoc)\n')
  const pandoc = (format: string, out: string) => () =>
    measure('pandoc', [...chapters, '--citeproc', '--bibliography', 'references.json', '--csl', csl, '-M', 'title=Benchmark', '-s', '-t', format, '-o', out], dir)
  const runs = new Map<string, Run[]>()
  const record = async (name: string, run: () => Promise<Run>): Promise<void> => {
    runs.set(name, [...(runs.get(name) ?? []), await run()])
  }
  await galley('html')() // Fills the caches the repeated builds use.
  // Pandoc's times on this shared machine vary by a third from run to run: the comparisons with it take at least
  // seven turns where they are quick (every book but the large one).
  const turns = size === 'large' ? repeats : Math.max(repeats, 7)
  for (let i = 0; i < turns; i++) {
    await record('galley html, cold (--no-cache)', galley('html', '--no-cache'))
    if (hasPandoc) await record('pandoc --citeproc → html', pandoc('html', 'pandoc.html'))
    await record('galley html, repeated (prose edit)', afterProseEdit(galley('html')))
    await record('galley epub, cold (--no-cache)', galley('epub', '--no-cache'))
    if (hasPandoc) await record('pandoc --citeproc → epub3', pandoc('epub3', 'pandoc.epub'))
    await record('galley epub, repeated (prose edit)', afterProseEdit(galley('epub')))
  }
  for (const [name, list] of runs) add(name, { ms: median(list.map((run) => run.ms)), peakMb: Math.max(...list.map((run) => run.peakMb)) })
  stages[`${size} html cold`] = (parseJson(runs.get('galley html, cold (--no-cache)')?.at(-1) as Run)['timings'] as Record<string, number> | undefined) ?? {}
  const watched = await watchRebuilds(dir, 'html', Array.from({ length: repeats }, () => async () => {
    edits += 1
    await writeFile(middle, original.replace(/\.\n\n/, `. An edited sentence, number ${edits}.\n\n`))
  }))
  add('galley html, --watch rebuild (prose edit)', { ms: median(watched), peakMb: Number.NaN })
  // The PDF stage and its floor are measured in turns, so that a slow spell of this shared machine falls on both.
  await measure(process.execPath, [child, 'final-html', dir], dir)
  const pdfRuns: Run[] = []
  const floorRuns: Run[] = []
  // As many turns as the Pandoc comparisons take: the ratio of one turn spreads by a third on this machine.
  for (let i = 0; i < turns; i++) {
    pdfRuns.push(await afterProseEdit(galley('pdf'))())
    floorRuns.push(await measure(process.execPath, [child, 'floor', dir], dir))
  }
  await writeFile(middle, original)
  const pdf = { ms: median(pdfRuns.map((run) => run.ms)), peakMb: Math.max(...pdfRuns.map((run) => run.peakMb)), last: pdfRuns.at(-1) as Run }
  const pdfJson = parseJson(pdf.last)
  const checks = Array.isArray(pdfJson['checks']) ? pdfJson['checks'].length : 0
  add('galley pdf, prose edit, warm caches (whole process)', pdf, `${String(pdfJson['pages'] ?? '?')} pages, ${checks} self-check findings`)
  stages[`${size} pdf`] = (pdfJson['timings'] as Record<string, number> | undefined) ?? {}
  const stageOf = (run: Run): number => Number((parseJson(run)['timings'] as Record<string, number> | undefined)?.['pdf'] ?? Number.NaN)
  const floorOf = (run: Run): number => Number(parseJson(run)['ms'] ?? Number.NaN)
  // Each turn's stage over the floor measured right after it: a slow spell of the machine falls on both of a pair.
  const paired = pdfRuns.map((run, index) => stageOf(run) / floorOf(floorRuns[index] as Run))
  const pairs = `stage / floor per turn: ${paired.map((value) => `${value.toFixed(2)}×`).join(', ')} (median ${median(paired).toFixed(2)}×)`
  rows.push({ size, name: 'galley pdf stage (HTML → checked PDF)', ms: median(pdfRuns.map(stageOf)), peakMb: Number.NaN, note: pairs })
  const floorMs = median(floorRuns.map(floorOf))
  rows.push({ size, name: 'floor: Chromium prints the final HTML', ms: floorMs, peakMb: Math.max(...floorRuns.map((run) => run.peakMb)) })
  // Course printouts: the book's PDF imposed as a booklet by the command, whole process (Node and pdf-lib start-up included).
  const galleyBin = path.join(project, 'bin', 'galley.js')
  const imposed = await repeat(repeats, () => measure(process.execPath, [...cliOptions, galleyBin, 'impose', path.join('dist', 'chapter-01.pdf'), '-o', 'booklet.pdf', '-q'], dir))
  add('galley impose --layout booklet (whole process)', imposed, `${String(pdfJson['pages'] ?? '?')} pages`)
  const html = parseJson(await measure(process.execPath, [...cliOptions, child, 'build', dir, 'html'], dir))
  stages[`${size} html warm`] = (html['timings'] as Record<string, number> | undefined) ?? {}

  const pagedjs = process.env['PAGEDJS_CLI'] ?? which('pagedjs-cli')
  if (pagedjs && existsSync(pagedjs)) {
    // pagedjs-cli's own puppeteer starts the system Chromium (never a download), without the sandbox as root.
    const wrapper = path.join(project, 'bench', 'out', 'chromium-no-sandbox.sh')
    await writeFile(wrapper, '#!/bin/sh\nexec /usr/bin/chromium --no-sandbox --disable-gpu --disable-dev-shm-usage "$@"\n', { mode: 0o755 })
    const env = { PUPPETEER_EXECUTABLE_PATH: wrapper, PUPPETEER_SKIP_DOWNLOAD: '1' }
    // Galley's documents forbid scripts (a Content-Security-Policy meta tag); paged.js is a script: let it run.
    const finalHtml = readFileSync(path.join(dir, 'final.html'), 'utf8')
    await writeFile(path.join(dir, 'pagedjs-input.html'), finalHtml.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, ''))
    try {
      add('pagedjs-cli on the final HTML', await repeat(1, () => measure(pagedjs, ['pagedjs-input.html', '-o', 'pagedjs.pdf', '-t', '1800000'], dir, env)))
    } catch (error) {
      process.stderr.write(`  pagedjs-cli failed, left out: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error)}\n`)
    }
  } else {
    process.stderr.write('  pagedjs-cli not found: skipped (set PAGEDJS_CLI to its path; it must not download a browser)\n')
  }
  if (which('weasyprint')) {
    try {
      add('weasyprint on the final HTML', await repeat(1, () => measure('weasyprint', ['-q', 'final.html', 'weasyprint.pdf'], dir)))
    } catch (error) {
      process.stderr.write(`  weasyprint failed, left out: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`)
    }
  } else {
    process.stderr.write('  weasyprint not found: skipped (apt-get install weasyprint)\n')
  }
}

function table(columns: readonly string[], rows: Record<string, Record<string, number>>): string[] {
  return [
    `| run | ${columns.join(' | ')} |`,
    `|---|${'---:|'.repeat(columns.length)}`,
    ...Object.entries(rows).map(([name, timing]) => `| ${name} | ${columns.map((column) => (timing[column] === undefined ? '—' : Math.round(timing[column] ?? 0))).join(' | ')} |`),
  ]
}

/**
 * A book with 1,000 formulas (`math-book.ts`), through Galley and `pandoc --mathml`, and the same book with every
 * formula a word: the difference is what the formulas cost each program.
 */
async function benchMath(repeats: number): Promise<{ name: string; ms: number; peakMb: number }[]> {
  const withMath = await generateMathBook(path.join(project, 'bench', 'out', 'math'), true)
  const withoutMath = await generateMathBook(path.join(project, 'bench', 'out', 'no-math'), false)
  const galley = (dir: string, ...flags: string[]) => () => measure(process.execPath, [...cliOptions, child, 'build', dir, 'html', ...flags], dir)
  const hasPandoc = which('pandoc') !== undefined
  const pandoc = (book: typeof withMath) => () =>
    measure('pandoc', [...book.chapters.map((chapter) => path.basename(chapter)), '--mathml', '-M', 'title=Benchmark', '-s', '-t', 'html', '-o', 'pandoc.html'], book.dir)
  const middle = withMath.chapters[Math.floor(withMath.chapters.length / 2)] as string
  const original = readFileSync(middle, 'utf8')
  let edits = 0
  const afterProseEdit = async (): Promise<Run> => {
    edits += 1
    await writeFile(middle, original.replace(/ends the paragraph\./, `ends the paragraph, edit ${edits}.`))
    return galley(withMath.dir)()
  }
  const runs = new Map<string, Run[]>()
  const record = async (name: string, run: () => Promise<Run>): Promise<void> => {
    runs.set(name, [...(runs.get(name) ?? []), await run()])
  }
  await galley(withMath.dir)() // Fills the caches the repeated build uses.
  for (let i = 0; i < Math.max(repeats, 5); i++) {
    await record('galley html, cold (--no-cache)', galley(withMath.dir, '--no-cache'))
    if (hasPandoc) await record('pandoc --mathml → html', pandoc(withMath))
    await record('galley html, repeated (prose edit)', afterProseEdit)
    await record('galley html, no formulas, cold', galley(withoutMath.dir, '--no-cache'))
    if (hasPandoc) await record('pandoc → html, no formulas', pandoc(withoutMath))
  }
  await writeFile(middle, original)
  const rows = [...runs].map(([name, list]) => ({ name, ms: median(list.map((run) => run.ms)), peakMb: Math.max(...list.map((run) => run.peakMb)) }))
  for (const row of rows) process.stderr.write(`  math   ${row.name.padEnd(34)} ${(row.ms / 1000).toFixed(2).padStart(7)} s ${row.peakMb.toFixed(0).padStart(5)} MB\n`)
  return rows
}

interface CourseResult {
  rows: { name: string; ms: number; peakMb: number; note?: string }[]
  batchRatio: number
}

/**
 * A term's handouts: 30 one-page handouts (two citations each, one bibliography) built as one `--batch` run against
 * 30 separate `galley build` runs, both to PDF without caches; and `galley impose` on a 100-page A5 handout.
 */
async function benchCourse(repeats: number): Promise<CourseResult> {
  const dir = path.join(project, 'bench', 'out', 'course')
  await mkdir(path.join(dir, 'handouts'), { recursive: true })
  await writeFile(path.join(dir, 'references.json'), readFileSync(path.join(project, 'templates', 'common', 'references.json')))
  await writeFile(path.join(dir, 'galley.yaml'), 'metadata:\n  bibliography: references.json\n  layout: handout\n  name-line: true\n')
  const sentence = 'Each handout gives the week its questions, a short reading and room to answer, on one sheet. '
  const files: string[] = []
  for (let week = 1; week <= 30; week++) {
    const name = `handouts/week${String(week).padStart(2, '0')}.md`
    files.push(name)
    await writeFile(path.join(dir, name), `---\ntitle: Week ${week}\nauthor: A. Teacher\n---\n\n# Reading\n\nRead @bringhurst2004 and [@knuth1981, 1120].\n\n${sentence.repeat(6)}\n\n# Questions\n\n1. ${sentence}\n2. ${sentence}\n`)
  }
  const paragraphs = Array.from({ length: 700 }, (_, i) => `Paragraph ${i + 1}. ${sentence.repeat(3)}`).join('\n\n')
  await writeFile(path.join(dir, 'reader.md'), `---\ntitle: Course Reader\npapersize: a5\n---\n\n# Readings\n\n${paragraphs}\n`)
  const galleyBin = path.join(project, 'bin', 'galley.js')
  const galley = (...args: string[]) => () => measure(process.execPath, [...cliOptions, galleyBin, ...args], dir, { SOURCE_DATE_EPOCH: '1700000000' })
  const rows: CourseResult['rows'] = []
  const add = (name: string, result: { ms: number; peakMb: number }, note?: string): void => {
    rows.push({ name, ms: result.ms, peakMb: result.peakMb, ...(note === undefined ? {} : { note }) })
    process.stderr.write(`  course ${name.padEnd(44)} ${(result.ms / 1000).toFixed(2).padStart(7)} s ${result.peakMb.toFixed(0).padStart(5)} MB${note ? `  ${note}` : ''}\n`)
  }
  // Turns, so that a slow spell of this shared machine falls on both sides of the ratio.
  const batch: Run[] = []
  const separate: number[] = []
  let separatePeak = 0
  for (let i = 0; i < repeats; i++) {
    batch.push(await galley('build', ...files, '--batch', '--to', 'pdf', '--no-cache', '-q')())
    let total = 0
    for (const file of files) {
      const run = await galley('build', file, '--to', 'pdf', '--no-cache', '-q')()
      total += run.ms
      separatePeak = Math.max(separatePeak, run.peakMb)
    }
    separate.push(total)
  }
  const batchMs = median(batch.map((run) => run.ms))
  const separateMs = median(separate)
  add('30 handouts, one --batch run', { ms: batchMs, peakMb: Math.max(...batch.map((run) => run.peakMb)) })
  add('30 handouts, 30 separate runs (sum)', { ms: separateMs, peakMb: separatePeak })
  await galley('build', 'reader.md', '--to', 'pdf', '-q')()
  const pages = /Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [path.join(dir, 'dist', 'reader.pdf')], { encoding: 'utf8' }).stdout)?.[1] ?? '?'
  add('galley impose --layout booklet (whole process)', await repeat(repeats, galley('impose', path.join('dist', 'reader.pdf'), '-o', 'reader-booklet.pdf', '-q')), `${pages} A5 pages`)
  return { rows, batchRatio: batchMs / separateMs }
}

function courseLines(course: CourseResult): string[] {
  return [
    '## Course printouts',
    '',
    '30 one-page handouts (layout: handout, two citations each) to PDF without caches: one `galley build … --batch` run against',
    '30 separate `galley build` runs; and imposing a 100-page A5 reader as a booklet.',
    '',
    '| job | time (s) | peak memory (MB) | note |',
    '|---|---:|---:|---|',
    ...course.rows.map((row) => `| ${row.name} | ${(row.ms / 1000).toFixed(2)} | ${Number.isFinite(row.peakMb) ? row.peakMb.toFixed(0) : '—'} | ${row.note ?? ''} |`),
    '',
    `One batch / 30 separate runs: ${course.batchRatio.toFixed(2)}× (${(1 / course.batchRatio).toFixed(1)} times as fast).`,
    '',
  ]
}

interface PreviewResult {
  rows: { name: string; ms: number; peakMb: number; note?: string }[]
  html: number
  pages: number
  coldHtml: number
  warmPdf: number
}

/**
 * The author's loop on the medium book: `galley preview`'s reloads after a one-line edit of one chapter, the text and
 * the pages, against a cold `galley build --to html` and a warm `galley build --to pdf` (whole processes, no edit),
 * run in turns with the edits so that a slow spell of this shared machine falls on both sides.
 */
async function benchPreview(repeats: number): Promise<PreviewResult> {
  const dir = path.join(project, 'bench', 'out', 'preview')
  await mkdir(dir, { recursive: true })
  const book = await generateBook('medium', dir)
  const middle = book.chapters[Math.floor(book.chapters.length / 2)] as string
  const original = readFileSync(middle, 'utf8')
  const galley = (to: string, ...flags: string[]) => () => measure(process.execPath, [...cliOptions, child, 'build', dir, to, ...flags], dir)
  await galley('html')() // Fills the caches the preview's builds use.
  const cold: Run[] = []
  const warm: Run[] = []
  const turns = Math.max(repeats, 5)
  const reloads = await previewReloads(
    dir,
    Array.from({ length: turns }, (_, index) => () => writeFile(middle, original.replace(/\.\n\n/, `. An edited sentence, number ${index + 1}.\n\n`))),
    async () => {
      cold.push(await galley('html', '--no-cache')())
      warm.push(await galley('pdf')())
    },
  )
  await writeFile(middle, original)
  const result: PreviewResult = {
    rows: [],
    html: median(reloads.html),
    pages: median(reloads.pages),
    coldHtml: median(cold.map((run) => run.ms)),
    warmPdf: median(warm.map((run) => run.ms)),
  }
  const pageCount = String(parseJson(warm.at(-1) as Run)['pages'] ?? '?')
  result.rows.push(
    { name: 'galley preview: text reloaded after a one-line edit', ms: result.html, peakMb: Number.NaN, note: `from the save to the reload event; ${reloads.html.map((ms) => Math.round(ms)).join(', ')} ms` },
    { name: 'galley preview: pages reloaded after a one-line edit', ms: result.pages, peakMb: Number.NaN, note: `${pageCount} pages; ${reloads.pages.map((ms) => Math.round(ms)).join(', ')} ms` },
    { name: 'galley build --to html, cold (--no-cache)', ms: result.coldHtml, peakMb: Math.max(...cold.map((run) => run.peakMb)) },
    { name: 'galley build --to pdf, warm caches (whole process)', ms: result.warmPdf, peakMb: Math.max(...warm.map((run) => run.peakMb)) },
  )
  for (const row of result.rows) process.stderr.write(`  preview ${row.name.padEnd(54)} ${(row.ms / 1000).toFixed(2).padStart(7)} s${row.note ? `  ${row.note}` : ''}\n`)
  return result
}

function previewLines(preview: PreviewResult): string[] {
  return [
    '## Preview',
    '',
    'The medium book in `galley preview --to html,pdf`: one chapter gets a one-line edit, and the time runs from the save',
    'to the event that makes the open page reload, first the text (HTML), then the pages (the PDF, same layout pass as a',
    'build). Against, in turns with the edits: a cold HTML build and a warm PDF build, whole processes. Median of 5 turns.',
    '',
    '| job | time (ms) | peak memory (MB) | note |',
    '|---|---:|---:|---|',
    ...preview.rows.map((row) => `| ${row.name} | ${Math.round(row.ms)} | ${Number.isFinite(row.peakMb) ? row.peakMb.toFixed(0) : '—'} | ${row.note ?? ''} |`),
    '',
    `Text reload / cold HTML build: ${ratio(preview.html, preview.coldHtml)}; pages reload / warm PDF build: ${ratio(preview.pages, preview.warmPdf)}.`,
    '',
  ]
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—'
  return `${(a / b).toFixed(2)}×`
}

async function main(): Promise<void> {
  const jobs = (process.argv[2] ?? 'small,medium,large,course,preview').split(',')
  const sizes = jobs.filter((job) => job !== 'course' && job !== 'preview') as BookSize[]
  const repeats = Number(process.argv[3] ?? '3')
  // `npm run bench -- course [N]` or `-- preview [N]`: those jobs alone, reported on stderr and in bench/out/course.md
  // and bench/out/preview.md; RESULTS.md is left as the full run wrote it.
  if (sizes.length === 0) {
    if (jobs.includes('course')) {
      process.stderr.write('bench: course\n')
      const course = await benchCourse(repeats)
      await writeFile(path.join(project, 'bench', 'out', 'course.md'), courseLines(course).join('\n'))
      process.stderr.write(`bench: one batch / 30 separate runs ${course.batchRatio.toFixed(2)}×; wrote bench/out/course.md\n`)
    }
    if (jobs.includes('preview')) {
      process.stderr.write('bench: preview\n')
      const preview = await benchPreview(repeats)
      await writeFile(path.join(project, 'bench', 'out', 'preview.md'), previewLines(preview).join('\n'))
      process.stderr.write('bench: wrote bench/out/preview.md\n')
    }
    return
  }
  const rows: Row[] = []
  const stages: Record<string, Record<string, number>> = {}
  for (const size of sizes) {
    process.stderr.write(`bench: ${size}\n`)
    await benchSize(size, repeats, rows, stages)
  }
  process.stderr.write('bench: math\n')
  const mathRows = await benchMath(repeats)
  const course = jobs.includes('course') ? (process.stderr.write('bench: course\n'), await benchCourse(repeats)) : undefined
  const preview = jobs.includes('preview') ? (process.stderr.write('bench: preview\n'), await benchPreview(repeats)) : undefined
  const mathTime = (prefix: string): number | undefined => mathRows.find((row) => row.name.startsWith(prefix))?.ms
  const mathCost = (a: string, b: string): string => {
    const withMath = mathTime(a)
    const without = mathTime(b)
    return withMath === undefined || without === undefined ? '—' : ((withMath - without) / 1000).toFixed(2)
  }
  const find = (size: BookSize, prefix: string): number | undefined => rows.find((row) => row.size === size && row.name.startsWith(prefix))?.ms
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.`,
    'Shared machine: only ratios within this run mean anything. Median of the repeats (7 turns with Pandoc and for the PDF stage on the small and medium books, 3 elsewhere); peak memory is the whole process tree',
    '(Node and every browser process; proportional set size, so shared pages count once), sampled every 40 ms or, where a sample takes longer than 4 ms, ten times as long as it took (a tenth of a core at most).',
    '',
    '## Times',
    '',
    '| book | job | time (s) | peak memory (MB) | note |',
    '|---|---|---:|---:|---|',
    ...rows.map((row) => `| ${row.size} | ${row.name} | ${(row.ms / 1000).toFixed(2)} | ${Number.isFinite(row.peakMb) ? row.peakMb.toFixed(0) : '—'} | ${row.note ?? ''} |`),
    '',
    '## Ratios',
    '',
    '| book | HTML cold / pandoc | HTML repeated / pandoc | HTML --watch rebuild / pandoc | EPUB cold / pandoc | EPUB repeated / pandoc | PDF stage / floor | Markdown → PDF, warm / floor | PDF process / pagedjs-cli | PDF process / weasyprint |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes.map((size) => {
      const pandocHtml = find(size, 'pandoc --citeproc → html')
      const pandocEpub = find(size, 'pandoc --citeproc → epub3')
      const pdfProcess = find(size, 'galley pdf, prose edit')
      return `| ${size} | ${ratio(find(size, 'galley html, cold'), pandocHtml)} | ${ratio(find(size, 'galley html, repeated'), pandocHtml)} | ${ratio(find(size, 'galley html, --watch'), pandocHtml)} | ${ratio(find(size, 'galley epub, cold'), pandocEpub)} | ${ratio(find(size, 'galley epub, repeated'), pandocEpub)} | ${ratio(find(size, 'galley pdf stage'), find(size, 'floor'))} | ${ratio(pdfProcess, find(size, 'floor'))} | ${ratio(pdfProcess, find(size, 'pagedjs-cli'))} | ${ratio(pdfProcess, find(size, 'weasyprint'))} |`
    }),
    '',
    '## Math: a book with 1,000 formulas',
    '',
    'Ten chapters, each formula different (inline and displayed: sums, integrals, cases, matrices, aligned lines), to HTML;',
    'the same book with every formula a word gives what the formulas cost. Median of 5 turns.',
    '',
    '| job | time (s) | peak memory (MB) |',
    '|---|---:|---:|',
    ...mathRows.map((row) => `| ${row.name} | ${(row.ms / 1000).toFixed(2)} | ${Number.isFinite(row.peakMb) ? row.peakMb.toFixed(0) : '—'} |`),
    '',
    `Galley cold / pandoc --mathml: ${ratio(mathTime('galley html, cold'), mathTime('pandoc --mathml'))}; repeated / pandoc: ${ratio(mathTime('galley html, repeated'), mathTime('pandoc --mathml'))}.`,
    `What the 1,000 formulas cost: Galley cold ${mathCost('galley html, cold', 'galley html, no formulas')} s, pandoc ${mathCost('pandoc --mathml', 'pandoc → html, no formulas')} s.`,
    '',
    ...(course ? courseLines(course) : []),
    ...(preview ? previewLines(preview) : []),
    '## Galley stages',
    '',
    'Milliseconds inside one build: the last cold HTML build, a warm HTML build (no change), the last PDF build.',
    '',
    ...table(['early-citeproc', 'parse', 'read', 'citations', 'hast', 'epub', 'print', 'browser-start', 'pdf', 'write'], stages),
    '',
    'The PDF stage in steps: in Chromium, loading the page, line breaking, the layout pass and printing; then in Node, reading the',
    'PDF and setting its properties, the self-check, and saving.',
    '',
    ...table(
      ['pdf.load', 'pdf.lines', 'pdf.layout', 'pdf.print', 'pdf.properties', 'pdf.check', 'pdf.save'],
      Object.fromEntries(Object.entries(stages).filter(([name]) => name.endsWith(' pdf'))),
    ),
    '',
  ]
  await writeFile(path.join(project, 'bench', 'RESULTS.md'), lines.join('\n'))
  process.stderr.write(`bench: wrote bench/RESULTS.md\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
