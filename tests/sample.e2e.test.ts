// End to end: the sample manuscript through the CLI to HTML, PDF and EPUB, each output checked as a user would.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { unzipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli/main.js'
import { epubcheck, pdfFonts, pdfInfo, pdfText } from './helpers/tools.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = mkdtempSync(path.join(tmpdir(), 'galley-sample-'))
let exitCode = -1
let stderr = ''

beforeAll(async () => {
  exitCode = await main(['build', 'manuscript/china-north-korea.md', '--output-dir', out], {
    cwd: project,
    env: { ...process.env, SOURCE_DATE_EPOCH: '1484870400' },
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text
    },
  })
})

describe('the sample essay', () => {
  it('builds without warnings', () => {
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
  })

  it('HTML has the 18 notes, formatted citations and the bibliography', () => {
    const html = readFileSync(path.join(out, 'china-north-korea.html'), 'utf8').replaceAll('\u00AD', '')
    expect(html.match(/<a [^>]*data-footnote-ref/g)?.length).toBe(18)
    expect(html).toContain('<h1 class="title">China’s Relations with North Korea: Not an Ally but a Card</h1>')
    // Chicago full-note: first note in full, with the newspaper in italics.
    expect(html).toContain('John Pomfret, ‘U.S. Takes a Tougher Tone with China’, <i>The Washington Post</i>, 30 July 2010')
    expect(html).toMatch(/<div id="ref-pomfret2010us" class="csl-entry" role="listitem">Pomfret, John\./)
    expect(html).toContain('<h1 id="bibliography" class="unnumbered">Bibliography</h1>')
    expect(html).not.toMatch(/\{#|\[@|@[a-z]+20\d\d/)
  })

  it('PDF opens, has a few A4 pages with the text, notes and bibliography, fonts embedded', () => {
    const file = path.join(out, 'china-north-korea.pdf')
    const info = pdfInfo(file)
    const pages = Number(info['Pages'])
    expect(pages).toBeGreaterThanOrEqual(4)
    expect(pages).toBeLessThanOrEqual(8)
    expect(info['Page size']).toContain('A4')
    expect(info['Title']).toBe('China’s Relations with North Korea: Not an Ally but a Card')
    expect(info['Author']).toBe('Jabin T. Jacob')
    expect(info['Tagged']).toBe('yes')
    expect(info['Metadata Stream']).toBe('yes')
    const xmp = execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' })
    expect(xmp).toContain('<dc:creator><rdf:Seq><rdf:li>Jabin T. Jacob</rdf:li></rdf:Seq></dc:creator>')
    expect(xmp).toContain('<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>')
    expect(xmp).toContain('<xmp:CreateDate>2017-01-20T00:00:00Z</xmp:CreateDate>')
    const text = pdfText(file).replaceAll('\u00AD', '')
    expect(text).toContain('Not an Ally but a Card')
    expect(text).toContain('Bibliography')
    expect(text).toMatch(/Pomfret, John\./)
    const fonts = pdfFonts(file)
    expect(fonts.length).toBeGreaterThan(0)
    expect(fonts.filter((font) => !font.embedded)).toEqual([])
    expect(fonts.every((font) => font.name.includes('SourceSerif4'))).toBe(true)
  })

  it('EPUB passes epubcheck with no errors or warnings', () => {
    const report = epubcheck(path.join(out, 'china-north-korea.epub'))
    expect(report.messages).toEqual([])
    expect(report.errors + report.fatals + report.warnings).toBe(0)
  })

  it('EPUB has mimetype first and stored, and its notes pop up', () => {
    const bytes = readFileSync(path.join(out, 'china-north-korea.epub'))
    expect(bytes.subarray(30, 38).toString()).toBe('mimetype')
    expect(bytes.readUInt16LE(8)).toBe(0) // compression method 0: stored
    expect(bytes.readUInt16LE(28)).toBe(0) // no extra field
    expect(bytes.subarray(38, 58).toString()).toBe('application/epub+zip')
    const files = unzipSync(bytes)
    // Every entry can be read by walking the local headers: sizes in them, no data descriptors (flag bit 3).
    let entries = 0
    for (let at = 0; bytes.readUInt32LE(at) === 0x04034b50; entries++) {
      expect(bytes.readUInt16LE(at + 6) & 0b1000).toBe(0)
      at += 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28) + bytes.readUInt32LE(at + 18)
    }
    expect(entries).toBe(Object.keys(files).length)
    // As Pandoc: the opening and each of the three sections a file of its own, each with the notes it references.
    const chapters = Object.keys(files).filter((name) => /^EPUB\/chapter-\d+\.xhtml$/.test(name)).sort()
    expect(chapters).toHaveLength(4)
    const notes = chapters.map((name) => {
      const chapter = new TextDecoder().decode(files[name])
      const references = chapter.match(/epub:type="noteref"/g)?.length ?? 0
      expect(chapter.match(/<aside id="fn-[^"]+" epub:type="footnote" role="doc-footnote">/g)?.length ?? 0, name).toBe(references)
      return references
    })
    expect(notes.reduce((sum, count) => sum + count, 0)).toBe(18)
    expect(notes.every((count) => count > 0)).toBe(true)
  })
})
