// Imposing what Galley prints: a booklet written by the build (`imposition: booklet`) and 2-up by `galley impose`,
// read back with poppler: sheet count and size, each page's text in its cell, fonts embedded, no images, blank cells.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { bookletOrder, nUpOrder, type Side } from '../src/pdf/impose.js'
import { makeProject, runCli } from './helpers/project.js'
import { pdfInfo } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

/** About six A5 pages of numbered paragraphs, so that every page's text is its own. */
function handout(): string {
  const sentence = 'The reading for this week returns to the harbour ledgers and asks what each revision kept. '
  const parts = ['---\ntitle: Week Three Handout\nauthor: A. Teacher\npapersize: a5\nimposition: booklet\n---\n', '# Readings\n']
  for (let i = 1; i <= 34; i++) parts.push(`Paragraph ${i}. ${sentence.repeat(2)}\n`)
  return parts.join('\n')
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim()

function pageText(file: string, page: number): string {
  return squash(execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }))
}

/** The text in one cell of a sheet, the sheet cut into `columns` × `rows` cells (PostScript points at 72 dpi). */
function cellText(file: string, sheet: number, cell: number, size: { width: number; height: number }, columns: number, rows: number): string {
  const width = size.width / columns
  const height = size.height / rows
  const box = [Math.round((cell % columns) * width), Math.round(Math.floor(cell / columns) * height), Math.round(width), Math.round(height)]
  const [x, y, w, h] = box.map(String) as [string, string, string, string]
  return squash(execFileSync('pdftotext', ['-f', String(sheet), '-l', String(sheet), '-x', x, '-y', y, '-W', w, '-H', h, file, '-'], { encoding: 'utf8' }))
}

function sheetSize(file: string): { width: number; height: number } {
  const match = /^([\d.]+) x ([\d.]+) pts/.exec(pdfInfo(file)['Page size'] ?? '')
  return { width: Number(match?.[1]), height: Number(match?.[2]) }
}

/** Every cell of every sheet holds the text of the page the order puts there, and blank cells hold none. */
function expectCells(imposed: string, source: string, order: readonly Side[], columns: number, rows: number): void {
  const size = sheetSize(imposed)
  const found = order.map((side, index) => side.map((_, cell) => cellText(imposed, index + 1, cell, size, columns, rows)))
  const expected = order.map((side) => side.map((page) => (page === null ? '' : pageText(source, page + 1))))
  expect(found).toEqual(expected)
}

/** Fonts as pdffonts lists them: name, type, embedded. */
function fonts(file: string): { name: string; type: string; embedded: boolean }[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
  return lines.map((line) => {
    const columns = line.trim().split(/\s+/)
    return { name: columns[0] ?? '', type: columns.slice(1, -5).join(' '), embedded: columns.at(-5) === 'yes' }
  })
}

/** The share of dark pixels in each half of a sheet, rendered grey at 20 dpi (a blank half has none). */
function inkByHalf(file: string, sheet: number): [number, number] {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '20', '-f', String(sheet), '-l', String(sheet), file])
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))
  const width = Number(header?.[1])
  const height = Number(header?.[2])
  const pixels = pgm.subarray(pgm.length - width * height)
  let left = 0
  let right = 0
  pixels.forEach((value, index) => {
    if (value >= 128) return
    if (index % width < width / 2) left += 1
    else right += 1
  })
  const half = (width * height) / 2
  return [left / half, right / half]
}

describe('imposing a Galley PDF', () => {
  it('writes a booklet beside the reading PDF in the same build, page order, text and fonts intact', async () => {
    const dir = makeProject({ 'handout.md': handout() })
    const result = await build({ inputs: ['handout.md'], to: ['pdf'], cwd: dir, env })
    const reading = path.join(dir, 'dist', 'handout.pdf')
    const booklet = path.join(dir, 'dist', 'handout-booklet.pdf')
    expect(result.outputs.map((output) => path.relative(dir, output.path))).toEqual(['dist/handout.pdf', 'dist/handout-booklet.pdf'])
    const pages = Number(pdfInfo(reading)['Pages'])
    // Not a multiple of 4, so the booklet has blanks to place.
    expect(pages % 4).not.toBe(0)
    expect(pages).toBeGreaterThanOrEqual(5)
    const info = pdfInfo(booklet)
    expect(Number(info['Pages'])).toBe(Math.ceil(pages / 4) * 2)
    expect(info['Page size']).toBe('841.89 x 595.28 pts (A4)')
    expect(info['Title']).toBe('Week Three Handout')
    expectCells(booklet, reading, bookletOrder(pages), 2, 1)

    const found = fonts(booklet)
    expect(found.length).toBeGreaterThan(0)
    expect(found.map((font) => font.name).sort()).toEqual(fonts(reading).map((font) => font.name).sort())
    expect(found.every((font) => font.embedded && font.type !== 'Type 3')).toBe(true)
    // Vector pages: no image on any sheet.
    expect(execFileSync('pdfimages', ['-list', booklet], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)).toEqual([])
    // The first sheet as an image: the blank padding page (left) is white, page 1 (right) is not.
    const [left, right] = inkByHalf(booklet, 1)
    expect(left).toBe(0)
    expect(right).toBeGreaterThan(0.005)
  }, 120_000)

  it('gives a print-shop PDF (bleed, crop marks) whose booklet is imposed as trimmed', async () => {
    const front = 'imposition: booklet\nbleed: 3mm\ncrop-marks: true\n'
    const dir = makeProject({ 'handout.md': handout().replace('imposition: booklet\n', front) })
    await build({ inputs: ['handout.md'], to: ['pdf'], cwd: dir, env })
    const reading = path.join(dir, 'dist', 'handout.pdf')
    const box = (name: string): string => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(execFileSync('pdfinfo', ['-box', reading], { encoding: 'utf8' }))?.[1]?.trim() ?? ''
    // The page is printed grown by the bleed rounded up to a whole CSS pixel (12 px, 9 pt): the trim is 9 pt inside
    // it and as large as the page without bleed (420 x 594.96), the BleedBox 3 mm (8.50 pt) beyond the trim.
    expect(box('TrimBox').split(/\s+/)).toEqual(['9.00', '9.00', '429.00', '603.96'])
    expect(box('BleedBox').split(/\s+/)).toEqual(['0.50', '0.50', '437.50', '612.46'])
    expect(box('MediaBox').split(/\s+/)).toEqual(['-19.35', '-19.35', '457.35', '632.31'])
    const booklet = path.join(dir, 'dist', 'handout-booklet.pdf')
    expect(pdfInfo(booklet)['Page size']).toBe('841.89 x 595.28 pts (A4)')
    expectCells(booklet, reading, bookletOrder(Number(pdfInfo(reading)['Pages'])), 2, 1)
  }, 120_000)

  it('imposes the same PDF 2-up and in signatures with galley impose', async () => {
    const dir = makeProject({ 'handout.md': handout().replace('imposition: booklet\n', '') })
    await build({ inputs: ['handout.md'], to: ['pdf'], cwd: dir, env })
    const reading = path.join(dir, 'dist', 'handout.pdf')
    const pages = Number(pdfInfo(reading)['Pages'])

    const twoUp = await runCli(dir, ['impose', 'dist/handout.pdf', '--layout', '2up', '-o', 'two.pdf', '--guides'])
    expect(twoUp.stderr).toBe('')
    expect(twoUp.exitCode).toBe(0)
    expect(twoUp.stdout).toMatch(new RegExp(`^two\\.pdf {2}2up, ${pages} pages on ${Math.ceil(pages / 2)} A4 landscape sides full size`))
    expect(pdfInfo(path.join(dir, 'two.pdf'))['Page size']).toBe('841.89 x 595.28 pts (A4)')
    expectCells(path.join(dir, 'two.pdf'), reading, nUpOrder(pages, 2), 2, 1)

    const signatures = await runCli(dir, ['impose', 'dist/handout.pdf', '--signature', '4', '-o', 'sig.pdf'])
    expect(signatures.exitCode).toBe(0)
    expectCells(path.join(dir, 'sig.pdf'), reading, bookletOrder(pages, 4), 2, 1)

    // Reproducible: the same input and SOURCE_DATE_EPOCH give the same bytes.
    await runCli(dir, ['impose', 'dist/handout.pdf', '--layout', '2up', '-o', 'again.pdf', '--guides'])
    expect(readFileSync(path.join(dir, 'again.pdf')).equals(readFileSync(path.join(dir, 'two.pdf')))).toBe(true)
  }, 120_000)
})
