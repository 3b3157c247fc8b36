// `galley preview` with its pages: the PDF it shows is the one `galley build` makes (the same layout pass), the open
// page reloads it after an edit, and a broken edit's message appears in the page until the next good save.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findBrowser, launchBrowser } from '../src/pdf/browser.js'
import { follow, get, startPreview } from './helpers/preview.js'
import { alive, descendants } from './helpers/processes.js'
import { makeProject, runCli } from './helpers/project.js'

const galley = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'galley.js')

const manuscript = (text: string): string => `---\ntitle: Pages\n---\n\n# One\n\n${text}^[A note at the foot of the page.]\n`

describe('galley preview, pages', () => {
  it('shows the PDF a build makes, reloads it after an edit, and shows a broken edit in the page', async () => {
    const dir = makeProject({ 'paper.md': manuscript('First version.') })
    const built = await runCli(dir, ['build', 'paper.md', '--to', 'pdf'])
    expect(built.exitCode, built.stderr).toBe(0)
    const preview = await startPreview(dir, ['paper.md', '--to', 'html,pdf'], { SOURCE_DATE_EPOCH: '1700000000' })
    const { port } = preview
    const events = follow(port)
    const browser = await launchBrowser({ executablePath: findBrowser(undefined) })
    try {
      const first = await events.next((update) => update.ok && update.pdf)
      const pdf = await get(port, '/document.pdf')
      expect(pdf.type).toBe('application/pdf')
      // Byte for byte the PDF of `galley build --to pdf`: the same layout pass, notes at the foot, running heads.
      expect(pdf.bytes.equals(readFileSync(path.join(dir, 'dist', 'paper.pdf')))).toBe(true)

      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${port}/`)
      const shown = (): Promise<string> => page.$eval('#view', (frame) => frame.getAttribute('src') ?? '')
      await page.waitForFunction(() => document.getElementById('view')?.getAttribute('src')?.startsWith('/document.pdf'))
      expect(await shown()).toMatch(new RegExp(`^/document\\.pdf\\?copy=paper&v=${first.version}$`))

      writeFileSync(path.join(dir, 'paper.md'), manuscript('Second version.'))
      // A save is built as text, then as pages: the page shows the pages of the second build.
      await events.next((update) => update.ok)
      const pages = await events.next((update) => update.ok)
      await page.waitForFunction((version: number) => document.getElementById('view')?.getAttribute('src') === `/document.pdf?copy=paper&v=${version}`, {}, pages.version)
      const text = execFileSync('pdftotext', ['-', '-'], { input: (await get(port, '/document.pdf')).bytes, encoding: 'utf8' })
      expect(text).toContain('Second version.')

      writeFileSync(path.join(dir, 'paper.md'), '---\ntitle: [unclosed\n---\n\nBroken.\n')
      await events.next((update) => !update.ok)
      await page.waitForFunction(() => /^paper\.md:2:\d+: error: YAML metadata does not parse/.test(document.getElementById('problems')?.textContent ?? ''))
      expect(await page.$eval('#status', (status) => status.textContent)).toBe('the last edit did not build: showing the last good build')
      expect(await shown()).toBe(`/document.pdf?copy=paper&v=${pages.version}`)

      writeFileSync(path.join(dir, 'paper.md'), manuscript('Third version.'))
      await events.next((update) => update.ok)
      const recovered = await events.next((update) => update.ok)
      await page.waitForFunction((version: number) => document.getElementById('view')?.getAttribute('src') === `/document.pdf?copy=paper&v=${version}`, {}, recovered.version)
      expect(await page.$eval('#problems', (problems) => problems.textContent)).toBe('')
      expect(await page.$eval('#status', (status) => status.textContent)).toBe('up to date')
    } finally {
      events.close()
      await browser.close()
      await preview.stop()
    }
  }, 240_000)
})

describe('galley preview, Ctrl-C', () => {
  it('stops on SIGINT with the exit code of an interruption, its port closed and its browser gone', async () => {
    const dir = makeProject({ 'paper.md': manuscript('Text.') })
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    const running = spawn(process.execPath, [galley, 'preview', 'paper.md', '--to', 'html,pdf', '--port', '0', '--no-open'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    const built = new Promise<void>((resolve) =>
      running.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (/built in \d+ ms/.test(stderr)) resolve()
      }),
    )
    const exited = new Promise<number | null>((resolve) => running.on('close', (code) => resolve(code)))
    await built
    const port = Number(/127\.0\.0\.1:(\d+)\//.exec(stderr)?.[1])
    const browser = descendants(running.pid ?? 0)
    expect(browser.length).toBeGreaterThan(0)
    running.kill('SIGINT')
    // 130, as for any command Ctrl-C stops (the browser is closed first).
    expect(await exited).toBe(130)
    await expect(get(port, '/')).rejects.toThrow()
    // Chromium's processes end a moment after the browser is told to close.
    for (let wait = 0; wait < 50 && browser.some(alive); wait++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(browser.filter(alive)).toEqual([])
  }, 120_000)
})
