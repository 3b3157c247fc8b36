// Pages print as the layout pass measured them: what it measures in its browser window (an image's height, the
// type's size) is what Chromium prints, so a page the pass filled prints full, with its notes at the foot.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { barChartPng } from '../bench/png.js'
import { Prose } from '../bench/prose.js'
import { Random } from '../bench/random.js'
import { build } from '../src/build.js'
import { pdfInfo } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

/** A page's text lines as pdftotext reads them: top and bottom (points) and text. */
function pageLines(file: string, page: number): { top: number; bottom: number; text: string }[] {
  const xml = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox-layout', file, '-'], { encoding: 'utf8' })
  return [...xml.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((match) => ({
    top: Number(match[1]),
    bottom: Number(match[2]),
    text: [...(match[3] ?? '').matchAll(/>([^<]*)<\/word>/g)].map((word) => word[1]).join(' '),
  }))
}

/** The bottom of the lowest line of a page that is not its folio (a number alone). */
function textBottom(file: string, page: number): number {
  return Math.max(...pageLines(file, page).filter((line) => !/^\d+$/.test(line.text)).map((line) => line.bottom))
}

function paragraphs(count: number, seed: number): string[] {
  const prose = new Prose(new Random(seed))
  return Array.from({ length: count }, () => Array.from({ length: 6 }, () => `${prose.sentence().body}.`).join(' '))
}

async function pdfOf(files: Record<string, string | Buffer>): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'galley-fill-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content)
  await build({ inputs: ['doc.md'], to: ['pdf'], cwd: dir, env })
  return path.join(dir, 'dist/doc.pdf')
}

describe('pages measured are pages printed', () => {
  it('keeps the type size and the notes at the foot when a word elsewhere is wider than the line', async () => {
    // Chromium prints a document with anything past the page area's edge smaller, every page of it: the notes of a
    // page the pass filled then sat under the text with empty lines below them, and every page ended early.
    const text = paragraphs(12, 3).map((paragraph, n) => (n % 3 === 1 ? `${paragraph}[^n${n}]\n\n[^n${n}]: ${paragraphs(1, 40 + n)[0]}` : paragraph))
    const doc = (last: string): string => `---\ntitle: Feet\nlang: en-US\n---\n\n${text.join('\n\n')}\n\nThe sequence ${last} ends here.\n`
    const wide = await pdfOf({ 'doc.md': doc(`GATTACA${'0123456789'.repeat(14)}`) })
    const plain = await pdfOf({ 'doc.md': doc('GATTACA') })
    const notesPage = [1, 2, 3].find((page) => pageLines(plain, page).some((line) => /^\d+\. /.test(line.text))) ?? 0
    expect(notesPage).toBeGreaterThan(0)
    // The same lines at the same places as without the wide word.
    const place = (file: string): string[] => pageLines(file, notesPage).map((line) => `${line.top.toFixed(1)} ${line.text}`)
    expect(place(wide)).toEqual(place(plain))
  }, 120_000)

  it('sets the notes of every page at the foot of its text block, wherever its text ends', async () => {
    // A page's notes block takes the rest of its page, its notes at its bottom (the layout pass gives it that height
    // once the page is final): each full page's last note line ends at the same height, though its text ends where a
    // whole line, or a note's room, allowed.
    const text = paragraphs(30, 7).map((paragraph, n) => `${paragraph}[^n${n}]\n\n[^n${n}]: ${paragraphs(1, 60 + n)[0]}`)
    const pdf = await pdfOf({ 'doc.md': `---\ntitle: Feet\nlang: en-US\n---\n\n${text.join('\n\n')}\n` })
    const pages = Number(pdfInfo(pdf)['Pages'])
    expect(pages).toBeGreaterThan(4)
    const bottoms = Array.from({ length: pages - 1 }, (_, index) => textBottom(pdf, index + 1))
    expect(Math.max(...bottoms) - Math.min(...bottoms)).toBeLessThan(1)
  }, 120_000)

  it('sets an image capped at 60% of the page area as tall as it prints, so the text after it fills the page', async () => {
    // An image capped by `max-height: 60vh` measured 60% of the browser window (the text block and 200 px) tall,
    // and printed 60% of the page area: its page ended six lines early.
    const tall = barChartPng(60, 900, [1, 3, 2], [40, 90, 160])
    const text = paragraphs(14, 5)
    const pdf = await pdfOf({ 'doc.md': `---\ntitle: Tall\nlang: en-US\n---\n\n${text[0]}\n\n![A tall chart](tall.png)\n\n${text.slice(1).join('\n\n')}\n`, 'tall.png': tall })
    const imagePage = [1, 2].find((page) => pageLines(pdf, page).some((line) => line.text === 'A tall chart')) ?? 0
    expect(imagePage).toBeGreaterThan(0)
    // Its last line as low as a page of text alone (the next one) reaches, but for less than a line (15.2 pt) that
    // the next paragraph cannot use (it would leave one line behind).
    expect(Math.abs(textBottom(pdf, imagePage) - textBottom(pdf, imagePage + 1))).toBeLessThan(15)
  }, 120_000)
})
