// A bleed build read back from its PDF: full-bleed images and coloured pages have ink in the bleed, normal pages
// none; the text keeps its place on the trimmed page (within 0.02 pt, pdftotext's rounding) against the same book without bleed.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli } from './helpers/project.js'
import { pdfInfo, pdfText } from './helpers/tools.js'

const mm = (millimetres: number): number => (millimetres / 25.4) * 72

const plate = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200"><rect width="300" height="200" fill="#222"/></svg>'

const book = (print: string): string => `---
title: Plates
papersize: a5
${print}
---

A first paragraph of running text, long enough to run over a few lines of the text block on the page it opens.

![A plate that fills its page](plate.svg){.full-bleed}

Text after the plate, on a page of its own.

::: {.full-bleed background-color="#1d3557"}
A page in colour.
:::

The last paragraph.
`

/** A page's boxes as [x0, y0, x1, y1] in points, from `pdfinfo -box`. */
function boxes(file: string, page: number): Record<string, number[]> {
  const text = execFileSync('pdfinfo', ['-box', '-f', String(page), '-l', String(page), file], { encoding: 'utf8' })
  const found: Record<string, number[]> = {}
  for (const match of text.matchAll(/^Page\s+\d+\s+(\w+Box):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)$/gm)) {
    found[match[1] ?? ''] = match.slice(2, 6).map(Number)
  }
  return found
}

/** The grey (0 black to 255 white) of a page rendered at 300 dpi, at points measured from the top left of the MediaBox. */
function grey(file: string, page: number): (x: number, y: number) => number {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '300', '-f', String(page), '-l', String(page), file], { maxBuffer: 1 << 27 })
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))
  const width = Number(header?.[1])
  const height = Number(header?.[2])
  const pixels = pgm.subarray(pgm.length - width * height)
  const scale = 300 / 72
  return (x, y) => pixels[Math.round(y * scale) * width + Math.round(x * scale)] ?? 255
}

/** Ink (grey < 128) on a page, likewise. */
function ink(file: string, page: number): (x: number, y: number) => boolean {
  const at = grey(file, page)
  return (x, y) => at(x, y) < 128
}

/** The words of a page with their boxes as pdftotext gives them, in points from the top left of the MediaBox. */
function wordBoxes(file: string, page: number): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const text = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
  return [...text.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)].map((word) => ({
    text: word[5] ?? '',
    xMin: Number(word[1]),
    yMin: Number(word[2]),
    xMax: Number(word[3]),
    yMax: Number(word[4]),
  }))
}

/** The words of a page with where they start, in points from the top left of the TrimBox. */
function words(file: string, page: number): { text: string; x: number; y: number }[] {
  const media = boxes(file, page)['MediaBox'] ?? [0, 0, 0, 0]
  const trim = boxes(file, page)['TrimBox'] ?? media
  const dx = (trim[0] ?? 0) - (media[0] ?? 0)
  const dy = (media[3] ?? 0) - (trim[3] ?? 0)
  return wordBoxes(file, page).map((word) => ({ text: word.text, x: word.xMin - dx, y: word.yMin - dy }))
}

describe('bleed', () => {
  it('runs full-bleed images and coloured pages into the bleed, keeps normal pages and the text block where they were', async () => {
    const dir = makeProject({ 'book.md': book('bleed: 3mm\ncrop-marks: true'), 'plate.svg': plate, 'galley.yaml': 'input-files: [book.md]\n' })
    const run = await runCli(dir, ['build', '--to', 'pdf'])
    expect(run.exitCode).toBe(0)
    const pdf = path.join(dir, 'dist', 'book.pdf')
    // Each full-bleed box is a page of its own, and adds no empty page before or after it.
    expect(Number(pdfInfo(pdf)['Pages'])).toBe(5)
    expect(pdfText(pdf, 2)).toContain('A plate that fills its page')
    expect(pdfText(pdf, 4)).toContain('A page in colour.')
    const [trimLeft = 0, trimBottom = 0, trimRight = 0, trimTop = 0] = boxes(pdf, 1)['TrimBox'] ?? []
    const [mediaLeft = 0, , , mediaTop = 0] = boxes(pdf, 1)['MediaBox'] ?? []
    expect(trimRight - trimLeft).toBeCloseTo(mm(148), 0)
    expect(trimTop - trimBottom).toBeCloseTo(mm(210), 0)
    // Points 1.5 mm beyond the trim, in the bleed, at the middle of each side and at a corner (from the MediaBox's top left).
    const left = trimLeft - mediaLeft
    const top = mediaTop - trimTop
    const [w, h] = [trimRight - trimLeft, trimTop - trimBottom]
    const inBleed: [number, number][] = [[left + w / 2, top - mm(1.5)], [left + w / 2, top + h + mm(1.5)], [left - mm(1.5), top + h / 2], [left + w + mm(1.5), top + h / 2], [left - mm(1.5), top - mm(1.5)]]
    for (const page of [2, 4]) {
      const dark = ink(pdf, page)
      for (const [x, y] of inBleed) expect(dark(x, y), `page ${page} at ${x}, ${y}`).toBe(true)
      // Nothing beyond the bleed but the marks: 3.5 mm out, between the trim's corner and the crop mark.
      expect(dark(left + w / 2, top - mm(3.5))).toBe(false)
    }
    // The coloured page's text is set light on the dark colour: some of its word's pixels are near white.
    const colour = wordBoxes(pdf, 4).find((word) => word.text === 'colour.')
    const light = grey(pdf, 4)
    expect(colour).toBeDefined()
    const { xMin = 0, yMin = 0, xMax = 0, yMax = 0 } = colour ?? {}
    const samples = Array.from({ length: 400 }, (_, i) => light(xMin + ((xMax - xMin) * (i % 40)) / 40, yMin + ((yMax - yMin) * Math.floor(i / 40)) / 10))
    expect(Math.max(...samples)).toBeGreaterThan(200)
    for (const page of [1, 3, 5]) {
      const dark = ink(pdf, page)
      for (const [x, y] of inBleed) expect(dark(x, y), `page ${page} at ${x}, ${y}`).toBe(false)
    }

    // The same book without bleed: the words of its text pages sit where they do on the trimmed bleed pages.
    const plain = makeProject({ 'book.md': book(''), 'plate.svg': plate, 'galley.yaml': 'input-files: [book.md]\n' })
    expect((await runCli(plain, ['build', '--to', 'pdf'])).exitCode).toBe(0)
    const plainPdf = path.join(plain, 'dist', 'book.pdf')
    expect(Number(pdfInfo(plainPdf)['Pages'])).toBe(5)
    for (const page of [1, 3, 5]) {
      const placed = words(pdf, page)
      const unbled = words(plainPdf, page)
      expect(placed.length).toBeGreaterThan(1) // The folio and some text.
      expect(placed.map((word) => word.text)).toEqual(unbled.map((word) => word.text))
      placed.forEach((word, index) => {
        expect(Math.abs(word.x - (unbled[index]?.x ?? Number.NaN)), word.text).toBeLessThan(0.02)
        expect(Math.abs(word.y - (unbled[index]?.y ?? Number.NaN)), word.text).toBeLessThan(0.02)
      })
    }
  })
})
