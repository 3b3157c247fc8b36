// Ctrl-C in the middle of a PDF build: the command stops with 130, leaves no browser running and writes no file.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { alive, descendants } from './helpers/processes.js'

const root = path.resolve(import.meta.dirname, '..')

describe('interrupting a build', () => {
  // The real command runs from the compiled library: compile it from the current sources first.
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root })
  }, 120_000)

  it('stops on SIGINT while Chromium works, with exit code 130, no browser left and nothing written', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'galley-interrupt-'))
    const galley = spawn(process.execPath, ['bin/galley.js', 'build', 'manuscript/china-north-korea.md', '--to', 'pdf,html', '--output-dir', out], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1' },
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => galley.on('exit', (code, signal) => resolve({ code, signal })))
    // Wait until a page is open in the browser (the document is loading or being laid out), then press Ctrl-C.
    const rendering = (pid: number): boolean => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')
      } catch {
        return false
      }
    }
    let browser: number[] = []
    for (let waited = 0; !browser.some(rendering) && waited < 30_000; waited += 25) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      browser = descendants(galley.pid as number)
    }
    expect(browser.some(rendering)).toBe(true)
    galley.kill('SIGINT')
    const { code } = await exited
    expect(code).toBe(130)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(browser.filter(alive)).toEqual([])
    expect(readdirSync(out)).toEqual([])
  }, 60_000)
})
