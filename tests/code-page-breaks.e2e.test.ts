// A long code block across a page break, in print: its lines all printed once, in order, and no empty pages. A blank
// line of code just below a page's foot used to be left behind when the block was split; it ran over onto a page of
// its own, and the layout pass then split the rest of the block at its start again and again, one empty page each
// time (a real book came out as 1,269 pages, ~1,185 of them empty).
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const titles = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']
const STEPS = 40

/**
 * Chapters of some paragraphs, then code of indented lines with a blank line after each: every chapter puts the
 * block a little lower on its page, so some page of some chapter breaks at a blank line.
 */
function book(): string {
  const sentence = 'The harbour records were kept in a ledger by the clerk of the port, one entry for each ship. '
  const chapters = titles.map((title, c) => {
    const blocks = [`# Chapter ${title}`]
    for (let p = 0; p < 2 + c; p++) blocks.push(sentence.repeat(3 + (p % 2)).trim())
    const code = Array.from({ length: STEPS }, (_, i) => `    step_${c}_${i}(state, ${i});\n`).join('\n')
    blocks.push(`\`\`\`c\n${code}\`\`\``, `After the code of chapter ${title}.`)
    return blocks.join('\n\n')
  })
  return `---\ntitle: Code Pages\ndocumentclass: report\n---\n\n${chapters.join('\n\n')}\n`
}

function pdfPages(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1)
}

/** What is on a page besides its running head and folio. */
function body(page: string, heads: readonly string[]): string {
  return page
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\d+$/.test(line) && !heads.includes(line.replace(/\s+\d+$|^\d+\s+/, '')))
    .join('\n')
}

describe('a long code block across page breaks', () => {
  it('prints every line once, in order, with no empty page but those before chapter openings', async () => {
    const dir = makeProject({ 'book.md': book() })
    const result = await build({ inputs: ['book.md'], to: ['pdf'], cwd: dir, env })
    const pdf = result.outputs.find((output) => output.format === 'pdf')?.path ?? ''
    expect(result.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'layout-stalled')).toEqual([])
    const pages = pdfPages(pdf)
    const heads = ['Code Pages', ...titles.map((title) => `Chapter ${title}`)]
    const bodies = pages.map((page) => body(page, heads))
    expect(pages[0]).toContain('Code Pages') // The title page, whose title is also the running head.
    const blank = bodies.flatMap((text, index) => (text === '' && index > 0 ? [index + 1] : []))
    // A page left empty can only be one before a chapter that opens on a recto.
    // (A chapter's title starts its opening page at the left; a running head is set to the right.)
    for (const number of blank) expect(pages[number] ?? '', `page ${number} is empty and no chapter opens after it`).toMatch(/^Chapter \w+$/m)
    const text = bodies.join('\n')
    titles.forEach((_, c) => {
      const steps = [...text.matchAll(new RegExp(`step_${c}_(\\d+)\\(`, 'g'))].map((match) => Number(match[1]))
      expect(steps).toEqual(Array.from({ length: STEPS }, (_, i) => i))
    })
    // Title page, contents, and per chapter at most four pages (three of text, one blank verso).
    expect(pages.length).toBeLessThanOrEqual(2 + titles.length * 4)
  })

  it('keeps the empty pages a manuscript asks for, without taking them for a pass that is stuck', async () => {
    const dir = makeProject({ 'page.md': `---\ntitle: Breaks\n---\n\nFirst page.\n\n${'\\newpage\n\n'.repeat(4)}Last page.\n` })
    const result = await build({ inputs: ['page.md'], to: ['pdf'], cwd: dir, env })
    const pdf = result.outputs.find((output) => output.format === 'pdf')?.path ?? ''
    expect(result.files.flatMap((file) => file.messages).map((message) => message.ruleId)).not.toContain('layout-stalled')
    // Three empty pages (but for the running head) between the first page and the last.
    const pages = pdfPages(pdf).map((page) => page.replace(/\s+/g, ' ').trim())
    expect(pages.map((page) => page.replace(/\d+$/, '').trim())).toEqual(['Breaks First page.', 'Breaks', 'Breaks', 'Breaks', 'Breaks Last page.'])
  })
})
