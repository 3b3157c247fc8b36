// Progress on a build: a live line on a terminal, nothing in a pipe, with --quiet or in CI.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { progressLine } from '../src/cli/progress.js'
import type { Progress } from '../src/progress.js'
import { makeProject } from './helpers/project.js'

const galley = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'galley.js')
const hasScript = spawnSync('script', ['--version']).status === 0

const chapters = {
  'one.md': '---\ntitle: Progress\nbibliography: refs.json\n---\n\n# One\n\nAs @doe2020 says.\n',
  'two.md': '# Two\n\nText.\n',
  'refs.json': '[{"id": "doe2020", "type": "book", "title": "A Book", "author": [{"family": "Doe"}], "issued": {"date-parts": [[2020]]}}]\n',
}

/** The environment of a run on a developer's machine: no CI variable, a real terminal type. */
function localEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm', NO_COLOR: '1', ...extra }
  if (extra['CI'] === undefined) delete env['CI']
  return env
}

/** Runs galley under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function onTerminal(dir: string, args: string, env: NodeJS.ProcessEnv): string {
  const run = spawnSync('script', ['-qec', `node ${galley} ${args}`, '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 })
  expect(run.status).toBe(0)
  return run.stdout
}

describe('build progress', () => {
  it.runIf(hasScript)('shows a live line per stage and a summary on a terminal', () => {
    const dir = makeProject(chapters)
    const output = onTerminal(dir, 'build one.md two.md --to html,epub --no-cache', localEnv())
    expect(output).toContain('\r\u001b[K')
    for (const stage of ['Reading chapters 0/2', 'Reading chapters 2/2', 'Formatting citations 0/1', 'Formatting citations 1/1', 'Making the HTML', 'Packaging the EPUB', 'Hyphenating for print', 'Writing']) {
      expect(output).toContain(stage)
    }
    expect(output).toMatch(/Built HTML, EPUB in \d+\.\d s\r?\n/)
  })

  it.runIf(hasScript)('counts the citations as citeproc formats them, in its thread', () => {
    const many = Array.from({ length: 200 }, (_, index) => `Cited [@doe2020, ${index + 1}].`).join('\n\n')
    const dir = makeProject({ ...chapters, 'two.md': `# Two\n\n${many}\n` })
    const output = onTerminal(dir, 'build one.md two.md --to html --no-cache', localEnv())
    // 201 citations, told every third: the citations pass itself tells only 0 and 201; the counts between come from
    // citeproc's thread as it formats them.
    const counts = [...output.matchAll(/Formatting citations (\d+)\/201…/g)].map((match) => Number(match[1]))
    expect(counts[0]).toBe(0)
    expect(counts.at(-1)).toBe(201)
    expect(counts.filter((count) => count > 0 && count < 201).length).toBeGreaterThan(10)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
  })

  it('counts the citations as citeproc formats them, on the build\'s own thread', async () => {
    const many = Array.from({ length: 20 }, (_, index) => `Cited [@doe2020, ${index + 1}].`).join('\n\n')
    const dir = makeProject({ ...chapters, 'two.md': `# Two\n\n${many}\n` })
    const seen: Progress[] = []
    // Run from the TypeScript sources, which have no worker script: citeproc runs on this thread.
    await build({ inputs: ['one.md', 'two.md'], to: ['html'], cwd: dir, noCache: true, onProgress: (progress) => seen.push(progress) })
    const counts = seen.filter((progress) => progress.stage === 'citations' && progress.total !== undefined).map((progress) => `${progress.done}/${progress.total}`)
    expect(counts).toEqual(Array.from({ length: 22 }, (_, index) => `${index}/21`))
  })

  it.runIf(hasScript)('shows nothing of it with --quiet or in CI, even on a terminal', () => {
    const dir = makeProject(chapters)
    for (const output of [onTerminal(dir, 'build one.md two.md --to html --quiet', localEnv()), onTerminal(dir, 'build one.md two.md --to html', localEnv({ CI: 'true' }))]) {
      expect(output).not.toContain('\r\u001b[K')
      expect(output).not.toContain('Reading chapters')
    }
  })

  it('writes no carriage return or escape code into a pipe', () => {
    const dir = makeProject(chapters)
    const run = spawnSync(process.execPath, [galley, 'build', 'one.md', 'two.md', '--to', 'html'], { cwd: dir, env: localEnv(), encoding: 'utf8' })
    expect(run.status).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/^dist\/one\.html {2}HTML, \d+ kB\n$/)
    expect(run.stdout + run.stderr).not.toMatch(/[\r\u001b]/)
  })

  it('renders stages in place and clears the line before the summary', () => {
    let written = ''
    const line = progressLine({ stderr: (text) => (written += text), env: {}, stderrIsTTY: true }, false)
    line.update?.({ stage: 'parse', done: 1, total: 3 })
    line.update?.({ stage: 'layout', done: 7 })
    line.update?.({ stage: 'printing', total: 12 })
    line.done({ outputs: [{ format: 'pdf', path: 'dist/a.pdf', bytes: 1 }], pdf: { pages: 12, toc: [], notes: [] } })
    const steps = written.split('\r\u001b[K')
    expect(steps.map((step) => step.replace(/^ *\d+\.\d s {2}/, ''))).toEqual(['', 'Reading chapters 1/3…', 'Laying out pages: page 7…', 'Printing 12 pages…', expect.stringMatching(/^Built PDF \(12 pages\) in \d+\.\d s\n$/)])
  })

  it('is off without a terminal, with --quiet, in CI and on a dumb terminal', () => {
    const io = { stderr: (): void => undefined }
    expect(progressLine({ ...io, env: {}, stderrIsTTY: false }, false).update).toBeUndefined()
    expect(progressLine({ ...io, env: {}, stderrIsTTY: true }, true).update).toBeUndefined()
    expect(progressLine({ ...io, env: { CI: 'true' }, stderrIsTTY: true }, false).update).toBeUndefined()
    expect(progressLine({ ...io, env: { TERM: 'dumb' }, stderrIsTTY: true }, false).update).toBeUndefined()
    expect(progressLine({ ...io, env: { CI: 'false' }, stderrIsTTY: true }, false).update).toBeTypeOf('function')
  })
})
