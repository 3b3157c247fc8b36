// Code and callouts in print and EPUB: short blocks on one page, long ones broken between lines with their numbers
// carried on, wrapped lines marked, code searchable; an EPUB with the same markup that passes epubcheck.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { unpack } from './helpers/epub.js'
import { makeProject } from './helpers/project.js'
import { epubcheck, pdfInfo, pdfText } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const filler = 'A sentence of running text to fill the page before the code. '.repeat(14)
const longLines = Array.from({ length: 60 }, (_, index) => `    y${index + 1} <- rnorm(${index + 1})  # draw ${index + 1}${index === 29 ? ' with a comment long enough to wrap onto a second row' : ''}`).join('\n')
const manuscript = `---
title: Code and callouts
papersize: a5
---

# Analysis

${filler}

${filler}

${filler}

\`\`\`python
def shortblock(data):
    """Nine lines that must stay on one page."""
    total = 0
    for value in data:
        total += value
    mean = total / len(data)
    spread = max(data) - min(data)
    print(mean, spread)
    return mean
\`\`\`

::: {.callout-warning title="Before you run it"}
The seed fixes the draws.
:::

> [!NOTE]
> A GitHub alert.

\`\`\`{.r .numberLines startFrom="100"}
simulate <- function() {
${longLines}
}
\`\`\`
`

describe('code and callouts in print', () => {
  it('keeps a short block on one page, breaks a long one between lines with its numbers carried on', async () => {
    const dir = makeProject({ 'paper.md': manuscript })
    const result = await build({ inputs: ['paper.md'], to: ['pdf'], cwd: dir, env })
    expect(result.files.flatMap((file) => file.messages.map((message) => message.reason))).toEqual([])
    const pdf = path.join(dir, 'dist', 'paper.pdf')
    const pages = Number(pdfInfo(pdf)['Pages'])
    expect(pages).toBeGreaterThanOrEqual(3)
    const pageOf = (text: string): number[] => Array.from({ length: pages }, (_, index) => index + 1).filter((page) => pdfText(pdf, page).includes(text))
    // The short block moved whole to the next page rather than splitting.
    expect(pageOf('def shortblock(data):')).toEqual(pageOf('return mean'))
    // The long block runs over pages, numbered 100… 161 throughout, each number once.
    const numbers = pdfText(pdf)
      .split('\n')
      .map((line) => /^\s*(\d{3})\s+(?:simulate|y\d|\})/.exec(line)?.[1])
      .filter((number): number is string => number !== undefined)
      .map(Number)
    expect(numbers).toEqual(Array.from({ length: 62 }, (_, index) => 100 + index))
    expect(pageOf('simulate <- function').at(0)).toBeLessThan(pageOf('y60 <- rnorm(60)').at(0) ?? 0)
    // The wrapped comment goes on under a continuation mark.
    expect(pdfText(pdf)).toMatch(/↪\s+.*second row/)
    // Callout labels are text.
    expect(pdfText(pdf)).toMatch(/BEFORE YOU RUN IT|Before you run it/i)
  })
})

describe('a long callout in print', () => {
  it('breaks between its paragraphs and leaves no page nearly empty', async () => {
    const paragraph = 'Callout text that runs on to make the callout longer than a page of the book. '.repeat(6)
    const markdown = `---\ntitle: Long callout\npapersize: a5\n---\n\n${'Intro text. '.repeat(80)}\n\n::: {.callout-important}\n${Array(12).fill(paragraph).join('\n\n')}\n:::\n\nAfter.\n`
    const dir = makeProject({ 'paper.md': markdown })
    await build({ inputs: ['paper.md'], to: ['pdf'], cwd: dir, env })
    const pdf = path.join(dir, 'dist', 'paper.pdf')
    const pages = Number(pdfInfo(pdf)['Pages'])
    const words = Array.from({ length: pages }, (_, index) => pdfText(pdf, index + 1).split(/\s+/).filter(Boolean).length)
    // Every page but the last is full: no page given up to a callout moved whole.
    expect(words.slice(0, -1).every((count) => count > 150), words.join(' ')).toBe(true)
    expect(pages).toBeLessThanOrEqual(5)
    expect(pdfText(pdf, 1)).toContain('Callout text')
  })
})

describe('code and callouts in EPUB', () => {
  it('has the same markup and passes epubcheck', async () => {
    const dir = makeProject({ 'paper.md': manuscript })
    await build({ inputs: ['paper.md'], to: ['epub', 'html'], cwd: dir, env })
    const file = path.join(dir, 'dist', 'paper.epub')
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    const chapter = [...files].find(([name]) => name.endsWith('.xhtml') && files.get(name)?.includes('shortblock'))?.[1] ?? ''
    const html = readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8')
    for (const markup of ['<span class="pl-k">def</span>', '<span class="line" data-line="100">', '<div class="callout callout-warning short" role="note">', '<p class="callout-title"><strong>Note</strong></p>']) {
      expect(chapter, markup).toContain(markup)
      expect(html, markup).toContain(markup)
    }
    expect(files.get('EPUB/styles/epub.css') ?? [...files].find(([name]) => name.endsWith('.css'))?.[1]).toContain('.pl-k')
  })
})
