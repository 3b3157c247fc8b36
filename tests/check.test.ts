// `galley check`: planted defects are reported at their lines with their rules; the shipped sample passes clean.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import { build } from '../src/build.js'
import { imageSize } from '../src/check/image-size.js'
import { placePdfFindings } from '../src/check/run-check.js'
import { makeProject, png, runCli } from './helpers/project.js'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Finding {
  file: string
  line: number | null
  column: number | null
  rule: string
  severity: string
  message: string
}

const planted = `---
title: Planted defects
bibliography: refs.json
lang: en-US
---

# Introduction

As @doe2020 says, and [@nobody2001] too. See [the method](#method) and [nowhere](#no-such-id).

![](coarse.png)

![A figure at almost 300 dpi](fine.png)

![A big one](big.png)

![Small on the page](coarse.png){width=20%}

Code: \`a_very_long_identifier_that_goes_on_and_on_and_on_without_any_break_at_all_in_it\` and a long word, Pneumonoultramicroscopicsilicovolcanoconiosis.

### Skipped a level

## Method

Text, and a cross-reference to a figure nobody labelled: @fig:nowhere.
`

const refs = `[
  {"id": "doe2020", "type": "book", "title": "A Book", "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}},
  {"id": "roe1999", "type": "book", "title": "Never Cited", "author": [{"family": "Roe", "given": "R."}], "issued": {"date-parts": [[1999]]}}
]
`

function plantedProject(): string {
  return makeProject({ 'doc.md': planted, 'refs.json': refs, 'coarse.png': png(400, 300), 'fine.png': png(1200, 600), 'big.png': png(3000, 2000) })
}

describe('galley check', () => {
  it('reports each planted defect at its line and column, with its rule and severity, and exits 1', async () => {
    const dir = plantedProject()
    const run = await runCli(dir, ['check', 'doc.md', '--format', 'json'])
    expect(run.stderr).toBe('')
    const findings = (JSON.parse(run.stdout) as Finding[]).map(({ file, line, column, rule, severity }) => `${file}:${line}:${column} ${severity} ${rule}`)
    expect(findings).toEqual([
      'doc.md:9:24 error missing-citation-key',
      'doc.md:9:72 error missing-link-target',
      'doc.md:11:1 warning missing-alt-text',
      'doc.md:11:1 warning image-under-150dpi',
      'doc.md:13:1 note image-under-300dpi',
      'doc.md:19:8 warning long-unbreakable-token',
      'doc.md:21:1 warning heading-level-skip',
      'doc.md:25:58 error crossref-undefined',
      'refs.json:3:4 note unused-bibliography-entry',
    ])
    expect(run.exitCode).toBe(1)
  })

  it('says how coarse an image is and what size would do', async () => {
    const run = await runCli(plantedProject(), ['check', 'doc.md', '--format', 'json'])
    const findings = JSON.parse(run.stdout) as Finding[]
    // 400 px printed at its CSS size, 400/96 in: 96 dpi; 150 dpi over 10.6 cm needs 625 px.
    expect(findings.find((finding) => finding.rule === 'image-under-150dpi')?.message).toBe(
      'Image coarse.png (400 × 300 px) prints 10.6 cm wide, at 96 dpi: coarse in print; give it at least 625 px across, or print it smaller',
    )
    // 1200 px shrunk to the text block of A4 (its default margins: 130 mm, which Chromium prints 492 px wide, 130.2 mm):
    // 234 dpi; 300 dpi would take 1538 px.
    expect(findings.find((finding) => finding.rule === 'image-under-300dpi')?.message).toBe(
      'Image fine.png (1200 × 600 px) prints 13.0 cm wide, at 234 dpi: fine for line art, under the 300 dpi a print shop asks for photographs (1538 px across)',
    )
  })

  it('measures a full-bleed image against the page it covers, bleed and all', async () => {
    const dir = makeProject({ 'doc.md': '---\ntitle: Plates\npapersize: a5\nbleed: 3mm\n---\n\n![A plate](plate.png){.full-bleed}\n\n![The same, in the text](plate.png)\n', 'plate.png': png(1600, 1200) })
    const run = await runCli(dir, ['check', 'doc.md', '--format', 'json'])
    const messages = (JSON.parse(run.stdout) as (Finding & { message: string })[]).map((finding) => `${finding.line} ${finding.rule} ${finding.message}`)
    // A5 and 12 px of bleed each side: 583 × 818 px; 1600 × 1200 px covers it scaled by 818/1200, at 141 dpi. In the
    // text block the same file prints 106 mm wide, at 383 dpi: no finding.
    expect(messages).toEqual([
      '7 image-under-150dpi Image plate.png (1600 × 1200 px) fills a page of 15.4 × 21.6 cm to the bleed, at 141 dpi: coarse in print; give it at least 912 × 1278 px',
    ])
  })

  it('prints the findings as file:line:column lines, and a clean document as no problems', async () => {
    const text = await runCli(plantedProject(), ['check', 'doc.md'])
    expect(text.stdout).toContain('9:72-9:94  error   Link to #no-such-id leads nowhere')
    expect(text.stdout).toMatch(/refs\.json\n3:4 +info +Bibliography entry "roe1999" is never cited/)
    const clean = makeProject({ 'doc.md': '---\ntitle: Clean\n---\n\n# One\n\nSee [two](#two).\n\n## Two\n\nText.\n' })
    const run = await runCli(clean, ['check', 'doc.md'])
    expect(run).toEqual({ exitCode: 0, stdout: 'No problems found.\n', stderr: '' })
  })

  it('exits 0 when there are warnings and notes but no error', async () => {
    const dir = makeProject({ 'doc.md': '---\ntitle: Warnings only\n---\n\n# One\n\n### Three\n\n![](coarse.png)\n', 'coarse.png': png(200, 100) })
    const run = await runCli(dir, ['check', 'doc.md', '--format', 'json'])
    expect((JSON.parse(run.stdout) as Finding[]).map((finding) => finding.severity)).toEqual(['warning', 'warning', 'warning'])
    expect(run.exitCode).toBe(0)
  })

  it('reports a document that cannot be built as an error finding', async () => {
    const dir = makeProject({ 'doc.md': '---\ntitle: [unclosed\n---\n\nText.\n' })
    const run = await runCli(dir, ['check', 'doc.md', '--format', 'json'])
    const [finding] = JSON.parse(run.stdout) as Finding[]
    expect(finding).toMatchObject({ file: 'doc.md', rule: 'cannot-build', severity: 'error' })
    expect(finding?.line).toBeGreaterThan(0)
    expect(run.exitCode).toBe(1)
  })

  it('takes an image width into account: the same image printed small is fine, printed at half the measure coarse', async () => {
    const dir = makeProject({
      'doc.md': '---\ntitle: Widths\n---\n\n![Small](coarse.png){width=2cm}\n\n![Half](coarse.png){width=50%}\n\n![Tall](tall.png){height=50%}\n',
      'coarse.png': png(400, 300),
      'tall.png': png(720, 960),
    })
    const run = await runCli(dir, ['check', 'doc.md', '--format', 'json'])
    const findings = JSON.parse(run.stdout) as Finding[]
    // 400 px over 2 cm is 508 dpi; over half of the 130 mm text block, 156 dpi. A percentage height is no height in
    // CSS: the tall image is as tall as 60% of the page area (242 mm on A4), 168 dpi, what pdfimages reads in the PDF.
    expect(findings.map(({ line, rule, message }) => `${line} ${rule} ${/at \d+ dpi/.exec(message)?.[0]}`)).toEqual(['7 image-under-300dpi at 156 dpi', '9 image-under-300dpi at 168 dpi'])
  })

  it('measures a token in the text face\'s own advances, not an average', async () => {
    // Headings do not hyphenate. At 11 pt (14.67 px), seventy i's (0.329 em each) fit the 130 mm measure (491 px) where
    // half an em a letter would not; forty m's (0.955 em each) do not, where half an em would.
    const dir = makeProject({ 'doc.md': `---\ntitle: Widths\n---\n\n#### ${'i'.repeat(70)}\n\n#### ${'m'.repeat(40)}\n` })
    const run = await runCli(dir, ['check', 'doc.md', '--format', 'json'])
    const findings = JSON.parse(run.stdout) as Finding[]
    expect(findings.map(({ line, rule, message }) => `${line} ${rule} ${/about \d+ mm/.exec(message)?.[0]}`)).toEqual(['7 long-unbreakable-token about 148 mm'])
  })

  it('passes the shipped sample clean', async () => {
    const run = await runCli(root, ['check', 'manuscript/china-north-korea.md', '--no-cache'])
    expect(run).toEqual({ exitCode: 0, stdout: 'No problems found.\n', stderr: '' })
  })
})

describe('PDF self-check findings at their source', () => {
  it('moves a contents or note finding from the book to the line of the heading or note reference it names', async () => {
    const dir = makeProject({
      'a.md': '---\ntitle: Places\n---\n\n# One\n\nText.\n',
      'b.md': '# Two\n\nText with a note.[^n]\n\n## Deep {#deep}\n\nA paragraph the layout\nstalled before.\n\n[^n]: The note.\n',
    })
    const result = await build({ inputs: ['a.md', 'b.md'], to: [], write: false, cwd: dir, noCache: true, earlyCiteproc: false })
    const bookFile = result.files.at(-1) as VFile
    const files = [...result.files]
    const fileFor = (name: string): VFile => files.find((file) => file.path === name) ?? (files[files.push(new VFile({ path: name })) - 1] as VFile)
    const finding = (ruleId: string, subject: string): void => {
      bookFile.message(`${ruleId} about ${subject}`, { ruleId, source: 'galley:pdf-check' }).actual = subject
    }
    finding('toc-page-mismatch', 'deep')
    finding('note-page-mismatch', 'fn-c2-n')
    finding('text-outside-text-area', 'Text with a note.')
    // The layout pass names the text after the page it stalled at, from a line's start (here the source's second word).
    finding('layout-stalled', 'paragraph the layout stalled before.')
    finding('toc-page-mismatch', 'no-such-heading')
    placePdfFindings(bookFile, result.book, result.tree, fileFor)
    const placed = (file: VFile): string[] => file.messages.map((message) => `${file.path}:${message.line}:${message.column} ${message.ruleId}`)
    expect(placed(fileFor('b.md'))).toEqual(['b.md:5:1 toc-page-mismatch', 'b.md:3:18 note-page-mismatch', 'b.md:3:1 text-outside-text-area', 'b.md:7:3 layout-stalled'])
    // What cannot be found stays on the book, without a line.
    expect(bookFile.messages.map((message) => message.actual)).toEqual(['no-such-heading'])
  })
})

describe('image size from the file header', () => {
  it('reads PNG', () => {
    expect(imageSize(png(37, 23))).toEqual({ width: 37, height: 23 })
  })

  it('reads GIF', () => {
    const gif = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 37, 0, 23, 0, 0, 0, 0])
    expect(imageSize(gif)).toEqual({ width: 37, height: 23 })
  })

  it('reads JPEG past the segments before its frame header', () => {
    const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
    const dqt = [0xff, 0xdb, 0x00, 0x04, 0x00, 0x00]
    const sof2 = [0xff, 0xc2, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
    expect(imageSize(Buffer.from([0xff, 0xd8, ...app0, ...dqt, ...sof2, 0xff, 0xd9]))).toEqual({ width: 600, height: 300 })
  })

  it('reads the three WebP encodings', () => {
    const riff = (chunk: string, body: number[]): Buffer => Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'), Buffer.from(chunk, 'latin1'), Buffer.from([...body, ...Array<number>(16).fill(0)])])
    // VP8X: flags, then width − 1 and height − 1 in three bytes each.
    expect(imageSize(riff('VP8X', [10, 0, 0, 0, 0, 0, 0, 0, 36, 0, 0, 22, 0, 0]))).toEqual({ width: 37, height: 23 })
    // VP8L: a signature byte, then 14 bits of width − 1 and 14 of height − 1.
    const bits = 36 | (22 << 14)
    expect(imageSize(riff('VP8L', [0, 0, 0, 0, 0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >> 24) & 0xff]))).toEqual({ width: 37, height: 23 })
    // VP8: a frame tag, the start code, then 14-bit width and height.
    expect(imageSize(riff('VP8 ', [0, 0, 0, 0, 0, 0, 0, 0x9d, 0x01, 0x2a, 37, 0, 23, 0]))).toEqual({ width: 37, height: 23 })
  })

  it('gives nothing for other files or cut-short headers', () => {
    expect(imageSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined()
    expect(imageSize(png(37, 23).subarray(0, 20))).toBeUndefined()
    expect(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]))).toBeUndefined()
  })
})
