// `galley preview` with its pages: the PDF it shows is the one `galley build` makes (the same layout pass), the open
// page reloads it after an edit, and a broken edit's message appears in the page until the next good save.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findBrowser, launchBrowser } from '../src/pdf/browser.js'
import { follow, get, startPreview } from './helpers/preview.js'
import { makeProject, runCli } from './helpers/project.js'

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
      expect(await shown()).toMatch(new RegExp(`^/document\\.pdf\\?v=${first.version}$`))

      writeFileSync(path.join(dir, 'paper.md'), manuscript('Second version.'))
      // A save is built as text, then as pages: the page shows the pages of the second build.
      await events.next((update) => update.ok)
      const pages = await events.next((update) => update.ok)
      await page.waitForFunction((version: number) => document.getElementById('view')?.getAttribute('src') === `/document.pdf?v=${version}`, {}, pages.version)
      const text = execFileSync('pdftotext', ['-', '-'], { input: (await get(port, '/document.pdf')).bytes, encoding: 'utf8' })
      expect(text).toContain('Second version.')

      writeFileSync(path.join(dir, 'paper.md'), '---\ntitle: [unclosed\n---\n\nBroken.\n')
      await events.next((update) => !update.ok)
      await page.waitForFunction(() => /^paper\.md:2:\d+: error: YAML metadata does not parse/.test(document.getElementById('problems')?.textContent ?? ''))
      expect(await page.$eval('#status', (status) => status.textContent)).toBe('the last edit did not build: showing the last good build')
      expect(await shown()).toBe(`/document.pdf?v=${pages.version}`)

      writeFileSync(path.join(dir, 'paper.md'), manuscript('Third version.'))
      await events.next((update) => update.ok)
      const recovered = await events.next((update) => update.ok)
      await page.waitForFunction((version: number) => document.getElementById('view')?.getAttribute('src') === `/document.pdf?v=${version}`, {}, recovered.version)
      expect(await page.$eval('#problems', (problems) => problems.textContent)).toBe('')
      expect(await page.$eval('#status', (status) => status.textContent)).toBe('up to date')
    } finally {
      events.close()
      await browser.close()
      await preview.stop()
    }
  }, 240_000)
})
