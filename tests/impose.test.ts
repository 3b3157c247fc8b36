// Imposition: booklet and signature page order checked against a folded-paper model, sheet choice, the sheets pdf-lib
// writes (read back with poppler), and every bad input of `galley impose` with its message, exit code and no output.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { bookletOrder, defaultSheet, impose, nUpOrder, type Side } from '../src/pdf/impose.js'
import { makeProject, runCli } from './helpers/project.js'
import { pdfInfo } from './helpers/tools.js'

const mm = (millimetres: number): number => (millimetres / 25.4) * 72

/**
 * Reads a booklet as a person does after folding each signature's sheets in half, nested in the order printed, and
 * stacking the signatures: the front's right half, then the back's left, going in sheet by sheet; from the centre
 * spread out, the back's right half, then the front's left.
 */
function readFolded(sides: readonly Side[], signature: number | undefined, pageCount: number): (number | null)[] {
  const sheets: { front: Side; back: Side }[] = []
  for (let i = 0; i < sides.length; i += 2) sheets.push({ front: sides[i] ?? [], back: sides[i + 1] ?? [] })
  const size = (signature ?? Math.ceil(pageCount / 4) * 4) / 4
  const read: (number | null)[] = []
  for (let start = 0; start < sheets.length; start += size) {
    const nested = sheets.slice(start, start + size)
    for (const sheet of nested) read.push(sheet.front[1] ?? null, sheet.back[0] ?? null)
    for (const sheet of [...nested].reverse()) read.push(sheet.back[1] ?? null, sheet.front[0] ?? null)
  }
  return read
}

describe('booklet page order', () => {
  it.each([
    [1, [[null, 0], [null, null]]],
    [3, [[null, 0], [1, 2]]],
    [4, [[3, 0], [1, 2]]],
    [5, [[null, 0], [1, null], [null, 2], [3, 4]]],
    [8, [[7, 0], [1, 6], [5, 2], [3, 4]]],
    [13, [[null, 0], [1, null], [null, 2], [3, 12], [11, 4], [5, 10], [9, 6], [7, 8]]],
  ])('%i pages', (pages, sides) => {
    expect(bookletOrder(pages)).toEqual(sides)
  })

  it('cuts a long booklet into signatures, blanks only at the end', () => {
    expect(bookletOrder(16, 8)).toEqual([[7, 0], [1, 6], [5, 2], [3, 4], [15, 8], [9, 14], [13, 10], [11, 12]])
    // 13 pages in signatures of 8: the second holds what is left, 8–12 and three blanks.
    expect(bookletOrder(13, 8)).toEqual([[7, 0], [1, 6], [5, 2], [3, 4], [null, 8], [9, null], [null, 10], [11, 12]])
    expect(bookletOrder(4, 16)).toEqual([[3, 0], [1, 2]])
  })

  it('refuses a signature that is not a multiple of 4', () => {
    expect(() => bookletOrder(10, 6)).toThrow('--signature must be a multiple of 4 (4, 8, 12, 16…), got 6')
    expect(() => bookletOrder(10, 0)).toThrow(/got 0/)
  })

  it('reads in page order once folded, for any length and signature', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }), (pages, quarters) => {
        const signature = quarters === undefined ? undefined : quarters * 4
        const sides = bookletOrder(pages, signature)
        const padded = Math.ceil(pages / 4) * 4
        expect(sides).toHaveLength(padded / 2)
        expect(readFolded(sides, signature, pages)).toEqual(Array.from({ length: padded }, (_, i) => (i < pages ? i : null)))
      }),
    )
  })
})

describe('2-up and 4-up order', () => {
  it('puts pages in reading order, blanks on the last side', () => {
    expect(nUpOrder(5, 2)).toEqual([[0, 1], [2, 3], [4, null]])
    expect(nUpOrder(5, 4)).toEqual([[0, 1, 2, 3], [4, null, null, null]])
    expect(nUpOrder(4, 4)).toEqual([[0, 1, 2, 3]])
  })
})

describe('default sheet', () => {
  it('is the smallest that holds the pages at full size, in their paper family', () => {
    expect(defaultSheet('booklet', { width: mm(148), height: mm(210) })).toBe('a4')
    expect(defaultSheet('booklet', { width: mm(210), height: mm(297) })).toBe('a3')
    expect(defaultSheet('booklet', { width: 612, height: 792 })).toBe('tabloid')
    expect(defaultSheet('booklet', { width: 396, height: 612 })).toBe('letter')
    expect(defaultSheet('2up', { width: mm(210), height: mm(297) })).toBe('a4')
    expect(defaultSheet('4up', { width: 612, height: 792 })).toBe('letter')
    // Legal pages side by side fit no sheet: the one that shrinks them least.
    expect(defaultSheet('booklet', { width: 612, height: 1008 })).toBe('a3')
  })
})

/** A PDF of `count` pages of this size, each saying "Page n" in Helvetica at its top left. */
async function numberedPdf(count: number, size: [number, number], rotate?: (index: number) => number): Promise<PDFDocument> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  for (let i = 0; i < count; i++) {
    const page = document.addPage(size)
    page.drawText(`Page ${i + 1}`, { x: 40, y: size[1] - 60, size: 14, font })
    const turn = rotate?.(i)
    if (turn) page.setRotation(degrees(turn))
  }
  return document
}

/** The text pdftotext finds in a rectangle of a sheet (points from the top left), whitespace collapsed. */
function textIn(file: string, sheet: number, box: { x: number; y: number; width: number; height: number }): string {
  const args = ['-f', String(sheet), '-l', String(sheet), '-x', String(Math.round(box.x)), '-y', String(Math.round(box.y)), '-W', String(Math.round(box.width)), '-H', String(Math.round(box.height)), file, '-']
  return execFileSync('pdftotext', args, { encoding: 'utf8' }).replace(/\s+/g, ' ').trim()
}

describe('impose', () => {
  it('lays a booklet of A5 pages on A4 landscape sheets at full size, each page in its half', async () => {
    const source = await numberedPdf(6, [mm(148), mm(210)])
    const imposed = await impose(source, { layout: 'booklet', guides: true, date: new Date(0) })
    expect(imposed).toMatchObject({ sheet: 'a4', landscape: true, sides: 4, blanks: 2 })
    expect(imposed.scale).toBeCloseTo(1, 2)
    const dir = makeProject({})
    const file = path.join(dir, 'booklet.pdf')
    writeFileSync(file, await imposed.document.save())
    expect(pdfInfo(file)['Page size']).toBe('841.89 x 595.28 pts (A4)')
    const half = { y: 0, width: 421, height: 595 }
    const cells = [1, 2, 3, 4].map((sheet) => [textIn(file, sheet, { ...half, x: 0 }), textIn(file, sheet, { ...half, x: 421 })])
    expect(cells).toEqual([['', 'Page 1'], ['Page 2', ''], ['Page 6', 'Page 3'], ['Page 4', 'Page 5']])
  })

  it('shrinks A4 pages 2-up onto an A4 sheet, and 4-up in reading order, honouring /Rotate', async () => {
    // Page 2 is stored landscape and turned to portrait by /Rotate 90; page 3 is upside down.
    const source = await PDFDocument.create()
    const font = await source.embedFont(StandardFonts.Helvetica)
    for (let i = 0; i < 5; i++) {
      const turn = i === 1 ? 90 : i === 2 ? 180 : 0
      const size: [number, number] = turn === 90 ? [mm(297), mm(210)] : [mm(210), mm(297)]
      const page = source.addPage(size)
      page.drawText(`Page ${i + 1}`, { x: 100, y: 100, size: 30, font })
      if (turn) page.setRotation(degrees(turn))
    }
    const dir = makeProject({})
    const twoUp = await impose(source, { layout: '2up' })
    expect(twoUp).toMatchObject({ sheet: 'a4', landscape: true, sides: 3, blanks: 1 })
    expect(twoUp.scale).toBeCloseTo(Math.SQRT1_2, 2)
    const file = path.join(dir, '2up.pdf')
    writeFileSync(file, await twoUp.document.save())
    const left = { x: 0, y: 0, width: 421, height: 595 }
    const right = { ...left, x: 421 }
    expect([1, 2, 3].map((sheet) => [textIn(file, sheet, left), textIn(file, sheet, right)])).toEqual([
      ['Page 1', 'Page 2'],
      ['Page 3', 'Page 4'],
      ['Page 5', ''],
    ])
    const fourUp = await impose(source, { layout: '4up', sheet: 'a3' })
    expect(fourUp).toMatchObject({ sheet: 'a3', landscape: false, sides: 2, blanks: 3 })
    const four = path.join(dir, '4up.pdf')
    writeFileSync(four, await fourUp.document.save())
    const quarter = (column: number, row: number): { x: number; y: number; width: number; height: number } => ({ x: column * 421, y: row * 595, width: 421, height: 595 })
    expect([quarter(0, 0), quarter(1, 0), quarter(0, 1), quarter(1, 1)].map((box) => textIn(four, 1, box))).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 4'])
  })

  it('shows each page as cropped, and a page without content as blank', async () => {
    const source = await PDFDocument.create()
    const font = await source.embedFont(StandardFonts.Helvetica)
    // The crop box starts at (100, 100): what is outside it stays hidden, what is inside fills the cell.
    const cropped = source.addPage([600, 800])
    cropped.setCropBox(100, 100, 300, 400)
    cropped.drawText('Hidden', { x: 20, y: 20, size: 20, font })
    cropped.drawText('Shown', { x: 120, y: 450, size: 20, font })
    source.addPage([300, 400])
    expect(source.getPage(1).node.Contents()).toBeUndefined()
    const imposed = await impose(source, { layout: '2up', sheet: 'letter' })
    const dir = makeProject({})
    const file = path.join(dir, 'cropped.pdf')
    writeFileSync(file, await imposed.document.save())
    const full = { x: 0, y: 0, width: 792, height: 612 }
    expect(textIn(file, 1, full)).toBe('Shown')
    expect(textIn(file, 1, { ...full, width: 396 })).toBe('Shown')
  })

  it('refuses a sheet smaller than the pages, and signatures outside booklets', async () => {
    const a3 = await numberedPdf(2, [mm(297), mm(420)])
    await expect(impose(a3, { layout: '2up', sheet: 'a4' })).rejects.toThrow('The a4 sheet is smaller than the pages (297 × 420 mm); choose a larger --sheet or leave it out')
    await expect(impose(a3, { layout: '2up', signature: 8 })).rejects.toThrow('--signature is for booklets; the 2up layout has no signatures')
  })
})

describe('galley impose, bad input', () => {
  /** Runs the command in a fresh folder and returns its result and the files left there. */
  async function run(files: Record<string, string | Uint8Array>, args: string[], prepare?: (dir: string) => void): Promise<{ exitCode: number; stderr: string; stdout: string; files: string[] }> {
    const dir = makeProject(files)
    prepare?.(dir)
    const result = await runCli(dir, ['impose', ...args])
    return { ...result, files: readdirSync(dir).sort() }
  }
  const good = async (): Promise<Uint8Array> => (await numberedPdf(3, [mm(148), mm(210)])).save()

  it('writes the output and names what it did', async () => {
    const result = await run({ 'in.pdf': await good() }, ['in.pdf'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^in-booklet\.pdf {2}booklet, 3 pages on 2 A4 landscape sides full size, 1 blank, \d+ ms\n$/)
    expect(result.files).toEqual(['in-booklet.pdf', 'in.pdf'])
  })

  const encrypted = async (): Promise<Uint8Array> => {
    const document = await numberedPdf(1, [200, 200])
    document.context.trailerInfo.Encrypt = document.context.obj({ Filter: 'Standard', V: 2, R: 3 })
    return document.save({ useObjectStreams: false })
  }

  it.each<[string, () => Promise<Record<string, string | Uint8Array>>, string[], number, string, ((dir: string) => void)?]>([
    ['a missing file', async () => ({}), ['gone.pdf', '-o', 'out.pdf'], 2, 'galley impose: Cannot read gone.pdf: no such file\n'],
    ['a file that is not a PDF', async () => ({ 'notes.pdf': '# Notes\n' }), ['notes.pdf', '-o', 'out.pdf'], 2, 'galley impose: notes.pdf is not a PDF (no %PDF- header)\n'],
    ['a PDF header and nothing else', async () => ({ 'junk.pdf': '%PDF-1.4\ngarbage\n' }), ['junk.pdf', '-o', 'out.pdf'], 2, 'galley impose: junk.pdf cannot be read as a PDF (it has no page tree); repair it first, for example with qpdf junk.pdf repaired.pdf\n'],
    ['a truncated PDF', async () => ({ 'cut.pdf': (await good()).subarray(0, 600) }), ['cut.pdf', '-o', 'out.pdf'], 2, 'galley impose: cut.pdf cannot be read as a PDF (damaged at byte 556); repair it first, for example with qpdf cut.pdf repaired.pdf\n'],
    ['an encrypted PDF', async () => ({ 'locked.pdf': await encrypted() }), ['locked.pdf', '-o', 'out.pdf'], 2, 'galley impose: locked.pdf is encrypted; decrypt it first (for example qpdf --decrypt locked.pdf plain.pdf)\n'],
    ['an unknown layout', async () => ({ 'in.pdf': await good() }), ['in.pdf', '-o', 'out.pdf', '--layout', '3up'], 64, 'galley impose: unknown layout "3up"; use booklet, 2up or 4up\n'],
    ['an unknown sheet', async () => ({ 'in.pdf': await good() }), ['in.pdf', '-o', 'out.pdf', '--sheet', 'a5'], 64, 'galley impose: unknown sheet "a5"; use a4, a3, letter or tabloid\n'],
    ['a signature of 6', async () => ({ 'in.pdf': await good() }), ['in.pdf', '-o', 'out.pdf', '--signature', '6'], 64, 'galley impose: --signature must be a multiple of 4 (4, 8, 12, 16…), got 6\n'],
    ['a sheet smaller than the page', async () => ({ 'big.pdf': await (await numberedPdf(1, [mm(420), mm(594)])).save() }), ['big.pdf', '-o', 'out.pdf', '--sheet', 'letter'], 64, 'galley impose: The letter sheet is smaller than the pages (420 × 594 mm); choose a larger --sheet or leave it out\n'],
    ['no input', async () => ({}), ['-o', 'out.pdf'], 64, 'galley impose: name the PDF to impose: galley impose IN.pdf -o OUT.pdf\n'],
    ['the input as output', async () => ({ 'in.pdf': await good() }), ['in.pdf', '-o', './in.pdf'], 73, 'galley impose: Cannot write ./in.pdf: it is one of the files this build reads, and would be overwritten\n'],
    ['a directory as output', async () => ({ 'in.pdf': await good() }), ['in.pdf', '-o', 'out'], 73, 'galley impose: Cannot write out: it is a directory; give a file name with -o, or use --output-dir\n', (dir) => mkdirSync(path.join(dir, 'out'))],
    ['a symbolic link as output', async () => ({ 'in.pdf': await good() }), ['in.pdf', '-o', 'link.pdf'], 73, 'galley impose: Cannot write link.pdf: it is a symbolic link; Galley replaces only regular files (remove it or choose another path)\n', (dir) => symlinkSync(path.join(dir, 'in.pdf'), path.join(dir, 'link.pdf'))],
    ['a device as output', async () => ({ 'in.pdf': await good() }), ['in.pdf', '-o', '/dev/full'], 73, 'galley impose: Cannot write /dev/full: it is not a regular file (a device, pipe or socket)\n'],
  ])('%s', async (_name, files, args, exitCode, stderr, prepare) => {
    const given = await files()
    const result = await run(given, args, prepare)
    expect(result.stderr).toBe(stderr)
    expect(result.exitCode).toBe(exitCode)
    // Nothing written: the folder holds what it held before.
    const before = Object.keys(given).concat(args.includes('out') ? ['out'] : [], args.includes('link.pdf') ? ['link.pdf'] : []).sort()
    expect(result.files).toEqual(before)
  })

  it('leaves the input untouched when refusing to overwrite it', async () => {
    const bytes = await good()
    const dir = makeProject({ 'in.pdf': bytes })
    await runCli(dir, ['impose', 'in.pdf', '-o', 'in.pdf'])
    expect(new Uint8Array(readFileSync(path.join(dir, 'in.pdf')))).toEqual(bytes)
  })
})
