// What runs wider than the text block (a long formula, a long code span) must not shrink the rest of the book: Chromium
// prints a document whose content overflows the page scaled down to fit, and the layout pass had measured it at full size.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const words = 'the quiet reader turns each printed page of the long book slowly and with care'.split(' ')
/** Paragraph `index` of made-up prose, the same in every document. */
const paragraph = (index: number): string => Array.from({ length: 90 }, (_, at) => words[(at * 7 + index * 3) % words.length]).join(' ')
const formula = '$$ ' + Array.from({ length: 30 }, (_, k) => `x_{${k}}^{2} \\frac{a_${k}}{b_${k}}`).join(' + ') + ' $$'

/** Each word of page 1 with its box, as pdftotext reads them. */
function firstPageWords(pdf: string): string[] {
  return [...execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' }).matchAll(/<word ([^>]*)>([^<]*)</g)].map((match) => `${match[2]} ${match[1]}`)
}

async function printed(extra: string): Promise<{ words: string[]; findings: string[] }> {
  const text = Array.from({ length: 16 }, (_, index) => paragraph(index) + (index === 8 ? `\n\n${extra}` : '')).join('\n\n')
  const dir = makeProject({ 'paper.md': `---\ntitle: Wide things\n---\n\n${text}\n` })
  const result = await build({ inputs: ['paper.md'], to: ['pdf'], cwd: dir, env, noCache: true })
  const findings = result.files.flatMap((file) => file.messages.filter((message) => message.source === 'galley:pdf-check').map((message) => String(message.ruleId)))
  return { words: firstPageWords(path.join(dir, 'dist', 'paper.pdf')), findings }
}

describe('content wider than the text block', () => {
  it('leaves the pages before it as they are, and is reported', async () => {
    const plain = await printed('A short formula: $x + y$.')
    expect(plain.findings).toEqual([])
    const wide = await printed(formula)
    expect(wide.findings).toContain('text-outside-text-area')
    expect(wide.words.length).toBeGreaterThan(200)
    expect(wide.words).toEqual(plain.words)
  }, 120_000)

  it('reports a table wider than the text block, which print cuts at the paper\'s edge', async () => {
    const cells = Array.from({ length: 9 }, (_, index) => `column-${index}-heading`)
    const table = `| ${cells.join(' | ')} |\n|${cells.map(() => '---').join('|')}|\n| ${cells.map((_, index) => `valueofcolumn${index}`).join(' | ')} |`
    const wide = await printed(table)
    expect(wide.findings).toEqual(['text-outside-text-area'])
  }, 120_000)

  it('breaks a code span longer than the line instead of running into the margin', async () => {
    const wide = await printed('Stored in `/System/Library/PrivateFrameworks/TransparencyConsentAndControl.framework/en.lproj/Localizable.strings` on the device.')
    expect(wide.findings).toEqual([])
  }, 120_000)
})
