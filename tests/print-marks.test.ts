// Print-shop output: the page as printed holds the bleed, TrimBox inside it, BleedBox beyond the trim, MediaBox with
// crop marks outside the bleed, read back with pdfinfo; marks drawn only outside the bleed; imposition uses the trimmed page.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { impose } from '../src/pdf/impose.js'
import { addPrintMarks, lengthInPoints, printedBleed } from '../src/pdf/print-marks.js'
import { makeProject } from './helpers/project.js'
import { pdfInfo } from './helpers/tools.js'

const mm = (millimetres: number): number => (millimetres / 25.4) * 72

/** Each box of page 1 as [x0, y0, x1, y1], from `pdfinfo -box`. */
function boxes(file: string): Record<string, number[]> {
  const text = execFileSync('pdfinfo', ['-box', file], { encoding: 'utf8' })
  const found: Record<string, number[]> = {}
  for (const match of text.matchAll(/^(\w+Box):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)$/gm)) {
    found[match[1] ?? ''] = match.slice(2, 6).map(Number)
  }
  return found
}

/** Whether the page, rendered grey at `dpi`, has ink (value < 128) at a point given in points from the top left of the MediaBox. */
function ink(file: string, dpi = 72): { width: number; height: number; dark: (x: number, y: number) => boolean } {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', '1', '-l', '1', file], { maxBuffer: 1 << 26 })
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))
  const width = Number(header?.[1])
  const height = Number(header?.[2])
  const pixels = pgm.subarray(pgm.length - width * height)
  const scale = dpi / 72
  return { width, height, dark: (x, y) => (pixels[Math.round(y * scale) * width + Math.round(x * scale)] ?? 255) < 128 }
}

/** An A5 page as Galley prints it for a bleed of `bleed` points: grown by the bleed (rounded up to a whole CSS pixel) on every side. */
async function a5(bleed = mm(3)): Promise<PDFDocument> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  const p = printedBleed(bleed)
  const page = document.addPage([mm(148) + 2 * p, mm(210) + 2 * p])
  page.drawText('Trimmed page', { x: 50, y: 500, size: 20, font })
  return document
}

describe('print marks', () => {
  it('reads lengths in points', () => {
    expect(lengthInPoints('3mm')).toBeCloseTo(8.504, 3)
    expect(lengthInPoints('0.125in')).toBe(9)
    expect(lengthInPoints('9pt')).toBe(9)
  })

  it('prints the bleed as a whole number of CSS pixels, never less than asked', () => {
    expect(printedBleed(mm(3))).toBe(9) // 3 mm is 11.3 px: 12 px, 3.175 mm.
    expect(printedBleed(9)).toBe(9)
    expect(printedBleed(0)).toBe(0)
  })

  it('sets TrimBox, BleedBox and a MediaBox with crop marks outside the bleed', async () => {
    const document = await a5()
    addPrintMarks(document, { bleed: mm(3), cropMarks: true })
    const file = path.join(makeProject({}), 'marked.pdf')
    writeFileSync(file, await document.save())
    const found = boxes(file)
    const [w, h] = [mm(148), mm(210)]
    const b = mm(3)
    const p = 9 // The page as printed reaches 12 px beyond the trim.
    const expectBox = (box: number[] | undefined, expected: number[]): void => {
      expect(box).toHaveLength(4)
      box?.forEach((value, index) => expect(value).toBeCloseTo(expected[index] ?? Number.NaN, 1))
    }
    expectBox(found['TrimBox'], [p, p, p + w, p + h])
    expectBox(found['BleedBox'], [p - b, p - b, p + w + b, p + h + b])
    // Marks start 4 mm from the trim (bleed + 1 mm), are 5 mm long, and 1 mm of paper is left beyond them.
    const m = mm(4 + 5 + 1)
    expectBox(found['MediaBox'], [p - m, p - m, p + w + m, p + h + m])
    expectBox(found['CropBox'], [p - m, p - m, p + w + m, p + h + m])
    // Looked at: a mark lies on each trim line outside the bleed, and nothing is drawn inside the bleed's corner.
    const picture = ink(file)
    const trimLeft = m
    const trimTop = m
    expect(picture.dark(trimLeft, trimTop - mm(6))).toBe(true)
    expect(picture.dark(trimLeft - mm(6), trimTop)).toBe(true)
    expect(picture.dark(trimLeft - b / 2, trimTop - b / 2)).toBe(false)
    expect(picture.dark(trimLeft, trimTop - b / 2)).toBe(false)
  })

  it('draws registration marks at the middle of each side, outside the bleed, with or without crop marks', async () => {
    const document = await a5()
    addPrintMarks(document, { bleed: mm(3), cropMarks: false, registrationMarks: true })
    const file = path.join(makeProject({}), 'registration.pdf')
    writeFileSync(file, await document.save())
    const m = mm(4 + 5 + 1)
    const p = 9
    expect(boxes(file)['MediaBox']?.map((value) => Math.round(value * 10) / 10)).toEqual([p - m, p - m, p + mm(148) + m, p + mm(210) + m].map((value) => Math.round(value * 10) / 10))
    const picture = ink(file, 300)
    const [w, h] = [mm(148), mm(210)]
    // The centre of each mark is 4 + 2.5 mm beyond the trim; its cross runs through it, its circle 1.75 mm around.
    const away = mm(6.5)
    const centres = [[m + w / 2, m - away], [m + w / 2, m + h + away], [m - away, m + h / 2], [m + w + away, m + h / 2]] as const
    for (const [x, y] of centres) {
      expect(picture.dark(x, y)).toBe(true)
      expect(picture.dark(x + mm(1.75), y)).toBe(true)
      // Between the cross's arms, inside the circle: paper.
      expect(picture.dark(x + mm(0.9), y + mm(0.9))).toBe(false)
    }
    // Nothing in the bleed beside the trim's middle, and no crop marks at the corners.
    expect(picture.dark(m + w / 2, m - mm(1.5))).toBe(false)
    expect(picture.dark(m, m - mm(6))).toBe(false)
  })

  it('without crop marks, keeps the page as printed: MediaBox at the bleed, TrimBox inside it', async () => {
    const document = await a5(9)
    addPrintMarks(document, { bleed: 9, cropMarks: false })
    const file = path.join(makeProject({}), 'bleed.pdf')
    writeFileSync(file, await document.save())
    expect(boxes(file)['MediaBox']?.map(Math.round)).toEqual([0, 0, Math.round(mm(148) + 18), Math.round(mm(210) + 18)])
    expect(boxes(file)['TrimBox']?.map(Math.round)).toEqual([9, 9, Math.round(mm(148) + 9), Math.round(mm(210) + 9)])
  })

  it('is imposed as trimmed: no marks, full size in the booklet', async () => {
    const document = await a5()
    addPrintMarks(document, { bleed: mm(3), cropMarks: true })
    const marked = await PDFDocument.load(await document.save())
    const imposed = await impose(marked, { layout: 'booklet' })
    expect(imposed.sheet).toBe('a4')
    expect(imposed.scale).toBeCloseTo(1, 3)
    const file = path.join(makeProject({}), 'booklet.pdf')
    writeFileSync(file, await imposed.document.save())
    expect(pdfInfo(file)['Page size']).toBe('841.89 x 595.28 pts (A4)')
  })
})
