// Print-shop output: TrimBox at the page, BleedBox beyond it, MediaBox with crop marks outside the bleed, read back
// with pdfinfo; marks drawn only outside the bleed; imposition uses the trimmed page.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { impose } from '../src/pdf/impose.js'
import { addPrintMarks, lengthInPoints } from '../src/pdf/print-marks.js'
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

/** Points at 72 dpi where the page, rendered grey, has ink (value < 128), as "x,y" from the top left of the MediaBox. */
function ink(file: string): { width: number; height: number; dark: (x: number, y: number) => boolean } {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '72', '-f', '1', '-l', '1', file])
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))
  const width = Number(header?.[1])
  const height = Number(header?.[2])
  const pixels = pgm.subarray(pgm.length - width * height)
  return { width, height, dark: (x, y) => (pixels[Math.round(y) * width + Math.round(x)] ?? 255) < 128 }
}

async function a5(): Promise<PDFDocument> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  const page = document.addPage([mm(148), mm(210)])
  page.drawText('Trimmed page', { x: 50, y: 500, size: 20, font })
  return document
}

describe('print marks', () => {
  it('reads lengths in points', () => {
    expect(lengthInPoints('3mm')).toBeCloseTo(8.504, 3)
    expect(lengthInPoints('0.125in')).toBe(9)
    expect(lengthInPoints('9pt')).toBe(9)
  })

  it('sets TrimBox, BleedBox and a MediaBox with crop marks outside the bleed', async () => {
    const document = await a5()
    addPrintMarks(document, { bleed: mm(3), cropMarks: true })
    const file = path.join(makeProject({}), 'marked.pdf')
    writeFileSync(file, await document.save())
    const found = boxes(file)
    const [w, h] = [mm(148), mm(210)]
    const b = mm(3)
    const expectBox = (box: number[] | undefined, expected: number[]): void => {
      expect(box).toHaveLength(4)
      box?.forEach((value, index) => expect(value).toBeCloseTo(expected[index] ?? Number.NaN, 1))
    }
    expectBox(found['TrimBox'], [0, 0, w, h])
    expectBox(found['BleedBox'], [-b, -b, w + b, h + b])
    // Marks start 4 mm from the trim (bleed + 1 mm), are 5 mm long, and 1 mm of paper is left beyond them.
    const m = mm(4 + 5 + 1)
    expectBox(found['MediaBox'], [-m, -m, w + m, h + m])
    expectBox(found['CropBox'], [-m, -m, w + m, h + m])
    // Looked at: a mark lies on each trim line outside the bleed, and nothing is drawn inside the bleed's corner.
    const picture = ink(file)
    const trimLeft = m
    const trimTop = m
    expect(picture.dark(trimLeft, trimTop - mm(6))).toBe(true)
    expect(picture.dark(trimLeft - mm(6), trimTop)).toBe(true)
    expect(picture.dark(trimLeft - b / 2, trimTop - b / 2)).toBe(false)
    expect(picture.dark(trimLeft, trimTop - b / 2)).toBe(false)
  })

  it('without crop marks, grows the MediaBox to the bleed only', async () => {
    const document = await a5()
    addPrintMarks(document, { bleed: 9, cropMarks: false })
    const file = path.join(makeProject({}), 'bleed.pdf')
    writeFileSync(file, await document.save())
    expect(boxes(file)['MediaBox']?.map(Math.round)).toEqual([-9, -9, Math.round(mm(148) + 9), Math.round(mm(210) + 9)])
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
