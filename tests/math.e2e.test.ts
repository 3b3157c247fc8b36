// Formulas in the PDF and the EPUB: the math font embedded as TrueType (never Type 3), formulas searchable, epubcheck clean.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { unzipSync, strFromU8 } from 'fflate'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'
import { epubcheck, pdfText } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const fixture = readFileSync(path.join(import.meta.dirname, 'fixtures', 'math-tex-formulas', 'input.md'), 'utf8')

/** `pdffonts`' rows: name and type (`Type 3`, `CID TrueType`, …). */
function pdfFontTypes(file: string): { name: string; type: string }[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
  return lines.map((line) => ({ name: line.slice(0, 37).trim(), type: line.slice(37, 55).trim() }))
}

describe('math in print and EPUB', () => {
  it('embeds the math font as TrueType and keeps formulas searchable in the PDF', async () => {
    const dir = makeProject({ 'paper.md': fixture })
    const result = await build({ inputs: ['paper.md'], to: ['pdf'], cwd: dir, env })
    expect(result.files.flatMap((file) => file.messages.map((message) => message.reason))).toEqual([])
    const pdf = path.join(dir, 'dist', 'paper.pdf')
    const fonts = pdfFontTypes(pdf)
    expect(fonts.filter((font) => font.type.startsWith('Type 3'))).toEqual([])
    expect(fonts.find((font) => font.name.endsWith('+DejaVuMathTeXGyre-Regular'))?.type).toBe('CID TrueType')
    const text = pdfText(pdf)
    // Letters as Unicode math italic, double-struck and script capitals, operators as themselves.
    for (const shown of ['ℛ', '𝔼', 'ℝ', '∑', '∫', '∞', 'otherwise', '𝑒']) expect(text, shown).toContain(shown)
  })

  it('declares the documents with MathML, carries the math font and passes epubcheck', async () => {
    const dir = makeProject({ 'paper.md': fixture })
    await build({ inputs: ['paper.md'], to: ['epub'], cwd: dir, env })
    const file = path.join(dir, 'dist', 'paper.epub')
    expect(epubcheck(file).messages).toEqual([])
    const files = unzipSync(readFileSync(file))
    const opf = strFromU8(files['EPUB/package.opf'] ?? new Uint8Array())
    expect(opf).toMatch(/href="chapter-1\.xhtml" media-type="application\/xhtml\+xml" properties="mathml"/)
    expect(opf).toContain('href="fonts/DejaVuMathTeXGyre.ttf" media-type="font/ttf"')
    expect(opf).not.toMatch(/title\.xhtml"[^>]*mathml/)
    expect(strFromU8(files['EPUB/chapter-1.xhtml'] ?? new Uint8Array())).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">')
  })

  it('adds nothing for a book without math', async () => {
    const dir = makeProject({ 'plain.md': '---\ntitle: Plain\n---\n\nIt costs $5 and $6.\n' })
    await build({ inputs: ['plain.md'], to: ['epub', 'html'], cwd: dir, env })
    const files = unzipSync(readFileSync(path.join(dir, 'dist', 'plain.epub')))
    expect(strFromU8(files['EPUB/package.opf'] ?? new Uint8Array())).not.toMatch(/mathml|DejaVuMath/)
    expect(readFileSync(path.join(dir, 'dist', 'plain.html'), 'utf8')).not.toMatch(/<math|data:font\/ttf/)
  })
})
