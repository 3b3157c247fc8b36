// `galley check --pdf`: the PDF is made in memory, and its self-check's findings come back at source lines.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { characterAdvances } from '../src/check/font-metrics.js'
import { fontFaces, trueTypeFaces } from '../src/html/fonts.js'
import { findBrowser, launchBrowser } from '../src/pdf/browser.js'
import { makeProject, png, runCli } from './helpers/project.js'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Finding {
  file: string
  line: number | null
  column: number | null
  rule: string
  severity: string
}

describe('galley check --pdf', () => {
  it('gives each image the resolution it has in the printed PDF (pdfimages -list)', async () => {
    const dir = makeProject({
      'doc.md': '---\ntitle: Resolution\n---\n\n![Wide](wide.png)\n\n![Small](wide.png){width=4cm}\n\n![Tall](tall.png){height=50%}\n\n![Narrow](narrow.png){width=60%}\n',
      'wide.png': png(640, 480),
      'tall.png': png(720, 960),
      'narrow.png': png(900, 300),
    })
    const run = await runCli(dir, ['check', 'doc.md', '--format', 'json'])
    const claimed = (JSON.parse(run.stdout) as (Finding & { message: string })[]).map((finding) => Number(/at (\d+) dpi/.exec(finding.message)?.[1]))
    await runCli(dir, ['build', 'doc.md', '--to', 'pdf'])
    const listed = execFileSync('pdfimages', ['-list', path.join(dir, 'dist', 'doc.pdf')], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
    const printed = listed.map((row) => Number(row.trim().split(/\s+/)[12]))
    // 640 px across the text block; the same at 4 cm (406 dpi, no finding); 960 px tall at 60% of the page area; 900 px at 60% of the measure.
    expect(printed.length).toBe(4)
    const reported = [printed[0], printed[2], printed[3]]
    expect(claimed.length).toBe(3)
    claimed.forEach((dpi, index) => expect(Math.abs(dpi - (reported[index] ?? 0))).toBeLessThanOrEqual(1))
    expect(printed[1]).toBeGreaterThanOrEqual(300)
  }, 120_000)

  it('places text running out of the text block at its line in the chapter it is in, and writes nothing', async () => {
    const digits = '0123456789'.repeat(12)
    const dir = makeProject({
      'a.md': '---\ntitle: Overflow\n---\n\n# One\n\nFirst chapter.\n',
      'b.md': `# Two\n\nSome text.\n\nThe sequence GATTACA${digits}END is long.\n`,
    })
    const run = await runCli(dir, ['check', 'a.md', 'b.md', '--pdf', '--format', 'json'])
    const findings = JSON.parse(run.stdout) as Finding[]
    const overflow = findings.filter((finding) => finding.rule === 'text-outside-text-area')
    expect(overflow.length).toBeGreaterThan(0)
    expect(overflow[0]).toMatchObject({ file: 'b.md', line: 5, column: 1, severity: 'error' })
    // The estimate without a browser finds the same token, at its first character.
    expect(findings).toContainEqual(expect.objectContaining({ file: 'b.md', line: 5, column: 14, rule: 'long-unbreakable-token' }))
    expect(run.exitCode).toBe(1)
    expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    expect(readdirSync(dir).sort()).toEqual(['.galley-cache', 'a.md', 'b.md'])
  }, 120_000)

  it('passes the shipped sample clean with its PDF', async () => {
    const run = await runCli(root, ['check', 'manuscript/china-north-korea.md', '--pdf', '--no-cache'])
    expect(run).toEqual({ exitCode: 0, stdout: 'No problems found.\n', stderr: '' })
  }, 120_000)
})

describe('text widths for the long-token audit', () => {
  it('are the widths Chromium sets with the print\'s own font files, before kerning', async () => {
    const words = ['Pneumonoultramicroscopicsilicovolcanoconiosis', 'iiiiiiiiii', 'MMMMMMMMMM', 'Zürich–Genève']
    const browser = await launchBrowser({ executablePath: findBrowser(undefined) })
    try {
      for (const [weight, style] of [[400, 'normal'], [600, 'normal'], [400, 'italic']] as const) {
        const faces = fontFaces.filter((face) => face.weight === weight && face.style === style)
        const css = faces.map((face) => `@font-face { font-family: T; src: url(data:font/woff2;base64,${readFileSync(face.file).toString('base64')}) format("woff2"); }`).join('\n')
        const page = await browser.newPage()
        await page.setContent(`<style>${css} span { font: 16px T; font-kerning: none; white-space: nowrap; }</style>${words.map((word) => `<div><span>${word}</span></div>`).join('')}`)
        await page.evaluate(() => document.fonts.ready)
        const inChromium = await page.$$eval('span', (spans) => spans.map((span) => span.getBoundingClientRect().width))
        await page.close()
        const file = trueTypeFaces.find((face) => face.weight === weight && face.style === style)?.file ?? ''
        const advances = characterAdvances(readFileSync(file))
        const read = words.map((word) => [...word].reduce((width, character) => width + 16 * (advances.get(character.codePointAt(0) ?? 0) ?? Number.NaN), 0))
        read.forEach((width, index) => expect(width, `${weight} ${style} ${words[index]}`).toBeCloseTo(inChromium[index] ?? 0, 1))
      }
    } finally {
      await browser.close()
    }
  }, 60_000)
})
