// The handout preset read back from its PDF (title and text on page 1, "Page n of N" on every page, the name line, the
// text block inside the handout's margins, an A5 handout's booklet), and `--batch` builds of several handouts.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli } from './helpers/project.js'
import { pdfInfo, pdfText } from './helpers/tools.js'

const paragraph = 'A comfortable line, even spacing and a clear order of headings let a page be read without effort. '

function handout(title: string, paragraphs: number): string {
  return `---\ntitle: ${title}\nauthor: A. Teacher\ndate: 2026-01-20\n---\n\n# Before the class\n\n${Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 1}. ${paragraph.repeat(4)}`).join('\n\n')}\n`
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim()
const mm = (points: number): number => (points * 25.4) / 72

/** The extent of the words on one page, in mm from the page's left edge: [left, right]. */
function textExtent(file: string, page: number): [number, number] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
  const boxes = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)]
  // Words of the running text only: below the head and above the foot.
  const body = boxes.filter((box) => Number(box[2]) > 60 && Number(box[4]) < 780)
  return [mm(Math.min(...body.map((box) => Number(box[1])))), mm(Math.max(...body.map((box) => Number(box[3]))))]
}

describe('handout preset', () => {
  it('prints a compact title block over the text of page 1, the name line, and "Page n of N" on every page', async () => {
    const dir = makeProject({ 'week3.md': handout('Week Three', 14), 'galley.yaml': 'input-files: [week3.md]\nlayout: handout\nname-line: true\n' })
    const run = await runCli(dir, ['build', '--to', 'pdf'])
    expect(run.exitCode).toBe(0)
    const pdf = path.join(dir, 'dist', 'week3.pdf')
    const pages = Number(pdfInfo(pdf)['Pages'])
    expect(pages).toBeGreaterThanOrEqual(2)
    const first = squash(pdfText(pdf, 1))
    // No title page: the title, the name line and the text start on page 1.
    expect(first).toMatch(/^Week Three A\. Teacher · January 20, 2026 Name: Date: Before the class Paragraph 1\./)
    for (let page = 1; page <= pages; page++) expect(squash(pdfText(pdf, page))).toMatch(new RegExp(`Page ${page} of ${pages}$`))
    // Narrow one-sided margins on A4: 30 mm at the left, 35 mm at the right, on odd and even pages alike.
    for (const page of [1, 2]) {
      const [left, right] = textExtent(pdf, page)
      expect(left).toBeCloseTo(30, 0)
      expect(210 - right).toBeGreaterThan(34)
      expect(210 - right).toBeLessThan(37)
    }
  })

  it('makes an A5 handout that folds into a booklet of A4 sheets', async () => {
    const dir = makeProject({ 'week4.md': handout('Week Four', 12), 'galley.yaml': 'input-files: [week4.md]\nlayout: handout\npapersize: a5\nimposition: booklet\n' })
    const run = await runCli(dir, ['build', '--to', 'pdf'])
    expect(run.exitCode).toBe(0)
    const reading = path.join(dir, 'dist', 'week4.pdf')
    const booklet = path.join(dir, 'dist', 'week4-booklet.pdf')
    const pages = Number(pdfInfo(reading)['Pages'])
    expect(pdfInfo(reading)['Page size']).toMatch(/\(A5\)$/)
    expect(Number(pdfInfo(booklet)['Pages'])).toBe(Math.ceil(pages / 4) * 2)
    expect(pdfInfo(booklet)['Page size']).toMatch(/^841\.\d+ x 595\.\d+ pts/)
    // Equal sides on A5, so either side of the fold looks the same.
    const [left, right] = textExtent(reading, 1)
    expect(left).toBeCloseTo(148 - right, 0)
  })
})

describe('batch builds', () => {
  it('builds each file as its own document, with its own title, in one run', async () => {
    const files: Record<string, string> = { 'galley.yaml': 'layout: handout\n' }
    for (const week of [1, 2, 3]) files[`handouts/week${week}.md`] = handout(`Week ${week}`, 1)
    const dir = makeProject(files)
    const run = await runCli(dir, ['build', 'handouts/week1.md', 'handouts/week2.md', 'handouts/week3.md', '--batch', '--to', 'pdf,html'])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    for (const week of [1, 2, 3]) {
      const pdf = path.join(dir, 'dist', `week${week}.pdf`)
      expect(squash(pdfText(pdf))).toMatch(new RegExp(`^Week ${week} A\\. Teacher .* Page 1 of 1$`))
      expect(readFileSync(path.join(dir, 'dist', `week${week}.html`), 'utf8')).toContain(`<title>Week ${week}</title>`)
    }
  })

  it('builds each file listed under input-files when no file is named', async () => {
    const dir = makeProject({ 'galley.yaml': 'input-files: [w1.md, w2.md]\nlayout: handout\n', 'w1.md': handout('One', 1), 'w2.md': handout('Two', 1) })
    const run = await runCli(dir, ['build', '--batch', '--to', 'html'])
    expect(run.exitCode).toBe(0)
    expect(readFileSync(path.join(dir, 'dist', 'w1.html'), 'utf8')).toContain('<title>One</title>')
    expect(readFileSync(path.join(dir, 'dist', 'w2.html'), 'utf8')).toContain('<title>Two</title>')
  })

  it('goes on past a document that fails, and exits with its code', async () => {
    const dir = makeProject({ 'a.md': handout('A', 1), 'b.md': '---\ntitle: [unclosed\n---\n' })
    const run = await runCli(dir, ['build', 'a.md', 'b.md', '--batch', '--to', 'html'])
    expect(run.exitCode).toBe(2)
    expect(existsSync(path.join(dir, 'dist', 'a.html'))).toBe(true)
    expect(run.stderr).toMatch(/b\.md/)
  })

  it('refuses files whose outputs would have the same name, and -o', async () => {
    const dir = makeProject({ 'one/notes.md': handout('One', 1), 'two/notes.md': handout('Two', 1) })
    const clash = await runCli(dir, ['build', 'one/notes.md', 'two/notes.md', '--batch'])
    expect(clash.exitCode).toBe(64)
    expect(clash.stderr).toMatch(/one\/notes\.md and two\/notes\.md would both be written as notes/)
    expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    const output = await runCli(dir, ['build', 'one/notes.md', '--batch', '-o', 'x.pdf'])
    expect(output.exitCode).toBe(64)
  })
})
