// Lines as a reader meets them in the PDF: whole words in the text layer, hyphens only where a line breaks, no ladders.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import puppeteer from 'puppeteer-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateBook, type GeneratedBook } from '../bench/generate.js'
import { build } from '../src/build.js'
import { resolveMetadata } from '../src/config/metadata.js'
import { textBlock } from '../src/html/page-css.js'
import { findBrowser } from '../src/pdf/browser.js'
import { layoutGlobal, layoutScript } from '../src/pdf/layout-script.js'
import type { LineBreakResult } from '../src/pdf/layout/types.js'
import { lineEnds } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

describe('a generated book chapter, printed', () => {
  let book: GeneratedBook
  let file = ''
  let html = ''
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-lines-'))
    book = await generateBook('small', dir)
    const result = await build({ inputs: [], to: ['pdf', 'html'], cwd: dir, env })
    expect(result.files.flatMap((built) => built.messages.filter((message) => message.source === 'galley:pdf-check'))).toEqual([])
    file = path.join(dir, 'dist/chapter-01.pdf')
    html = readFileSync(path.join(dir, 'dist/chapter-01.html'), 'utf8')
  }, 120_000)

  it('has no soft hyphen in its text, and its long words are found whole', () => {
    const ends = lineEnds(file)
    expect(ends.softHyphens).toBe(0)
    // Words are broken at line ends (the book is justified and hyphenated), with a visible hyphen.
    expect(ends.hyphenated).toBeGreaterThan(10)
    // A viewer's search joins a word broken at a line end, as it does in LaTeX's PDFs; nothing else splits a word.
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/(\p{L})-\n(\p{L})/gu, '$1$2')
    const prose = book.chapters.map((chapter) => readFileSync(chapter, 'utf8').replace(/^(#|\[\^|---|!\[).*$/gm, '').replace(/\[[^\]]*@[^\]]*\]/g, '')).join('\n')
    const long = [...new Set(prose.match(/(?<![\p{L}'’-])\p{L}{12,}(?![\p{L}'’-])/gu) ?? [])]
    expect(long.length).toBeGreaterThan(20)
    expect(long.filter((word) => !text.includes(word))).toEqual([])
  })

  it('has no run of more than two hyphenated lines, and well under 15% of its lines end in a hyphen', () => {
    // Chromium alone breaks this book's lines with 22% hyphenated and five ladders of three or four.
    const ends = lineEnds(file)
    expect(ends.ladders).toBe(0)
    expect(ends.longestRun).toBeLessThanOrEqual(2)
    expect(ends.hyphenated / ends.lines).toBeLessThan(0.14)
  })

  it('changes nothing but soft hyphens, and gives the notes back as they were', async () => {
    const browser = await puppeteer.launch({ executablePath: findBrowser(undefined), args: ['--no-sandbox', '--disable-gpu'] })
    try {
      const page = await browser.newPage()
      await page.setContent(html, { waitUntil: 'load' })
      await page.emulateMediaType('print')
      const before = await page.evaluate(() => document.body.innerHTML)
      const { width } = textBlock(resolveMetadata([]))
      await page.evaluate(await layoutScript())
      const result = (await page.evaluate(`${layoutGlobal}.improveLineBreaks(${JSON.stringify({ width, notes: 'footnotes' })})`)) as LineBreakResult
      const after = await page.evaluate(() => document.body.innerHTML)
      expect(result.words).toBeGreaterThan(10)
      expect(result.ladders).toBe(0)
      expect(after).not.toEqual(before)
      expect(after.replaceAll('\u00AD', '')).toEqual(before.replaceAll('\u00AD', ''))
    } finally {
      await browser.close()
    }
  })
})
