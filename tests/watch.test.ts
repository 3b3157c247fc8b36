// `galley build --watch`: a change to a file the build read starts a new build in the same process; a broken edit is
// reported and the watch goes on; stopping ends with exit code 0.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli/main.js'
import { makeProject } from './helpers/project.js'

/** Runs `galley --watch` in `dir`; `builds(n)` waits until the n-th build has been reported. */
function watching(dir: string, args: readonly string[]) {
  let stderr = ''
  let stop: () => void = () => undefined
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const waiters: { count: number; resolve: () => void }[] = []
  const built = (): number => stderr.split('\n').filter((line) => line.startsWith('built in ')).length
  const exit = main(['build', ...args, '--watch'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1700000000' },
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text
      for (const waiter of waiters.filter((candidate) => built() >= candidate.count)) waiter.resolve()
    },
    stopWatching: stopped,
  })
  return {
    builds: (count: number): Promise<void> =>
      built() >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    stderr: () => stderr,
    stop: async (): Promise<number> => {
      stop()
      return exit
    },
  }
}

const manuscript = (body: string): string => `---\ntitle: Watched\nbibliography: refs.json\n---\n\n${body}\n`
const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] } }])

describe('watch mode', () => {
  it('builds again when the manuscript or the bibliography changes, and survives a broken edit', async () => {
    const dir = makeProject({ 'ms.md': manuscript('First version [@doe].'), 'refs.json': refs })
    const out = (): string => readFileSync(path.join(dir, 'out.html'), 'utf8').replaceAll('\u00AD', '')
    const run = watching(dir, ['ms.md', '--to', 'html', '-o', 'out.html'])
    await run.builds(1)
    expect(out()).toContain('First version')

    writeFileSync(path.join(dir, 'ms.md'), manuscript('Second version [@doe].'))
    await run.builds(2)
    expect(out()).toContain('Second version')

    // The bibliography was read by the build, so it is watched too.
    writeFileSync(path.join(dir, 'refs.json'), refs.replace('2020', '2021'))
    await run.builds(3)
    expect(out()).toContain('(Doe 2021)')

    // Broken front matter: an error with its place, the last good output stays, and the watch goes on.
    writeFileSync(path.join(dir, 'ms.md'), '---\ntitle: [unclosed\n---\n\nText.\n')
    await run.builds(4)
    expect(run.stderr()).toMatch(/ms\.md:2:\d+: error: /)
    expect(out()).toContain('Second version')

    writeFileSync(path.join(dir, 'ms.md'), manuscript('Mended [@doe].'))
    await run.builds(5)
    expect(out()).toContain('Mended')
    expect(await run.stop()).toBe(0)
  }, 60_000)
})
