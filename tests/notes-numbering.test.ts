// notes-numbering: chapter restarts the note marks in each chapter, and the notes list agrees.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'

const chapter = (title: string, notes: number): string =>
  `# ${title}\n\n${Array.from({ length: notes }, (_, i) => `Claim ${i + 1}.[^n${i + 1}]`).join(' ')}\n\n${Array.from({ length: notes }, (_, i) => `[^n${i + 1}]: Note ${i + 1} of ${title}.`).join('\n')}\n`

describe('note numbering', () => {
  for (const [numbering, expected] of [['document', ['1', '2', '3', '4', '5']], ['chapter', ['1', '2', '3', '1', '2']]] as const) {
    it(`numbers notes per ${numbering}`, async () => {
      const dir = makeProject({ 'one.md': `---\ntitle: Notes\n---\n\n${chapter('One', 3)}`, 'two.md': chapter('Two', 2) })
      await build({ inputs: ['one.md', 'two.md'], to: ['html'], cwd: dir, output: 'out.html', metadata: [`notes-numbering=${numbering}`] })
      const html = readFileSync(path.join(dir, 'out.html'), 'utf8')
      const marks = [...html.matchAll(/data-footnote-ref[^>]*>(\d+)<\/a>/g)].map((match) => match[1])
      expect(marks).toEqual(expected)
      if (numbering === 'chapter') expect(html).toMatch(/<li id="fn-c2-n1" value="1">/)
    })
  }

  it('numbers notes per chapter of a one-file book, whose chapters are its level-1 headings', async () => {
    const dir = makeProject({ 'book.md': `---\ntitle: Notes\ntop-level-division: chapter\nnotes-numbering: chapter\n---\n\n${chapter('One', 3).replaceAll('[^n', '[^a')}\n${chapter('Two', 2)}` })
    await build({ inputs: ['book.md'], to: ['html'], cwd: dir, output: 'out.html' })
    const html = readFileSync(path.join(dir, 'out.html'), 'utf8')
    expect([...html.matchAll(/data-footnote-ref[^>]*>(\d+)<\/a>/g)].map((match) => match[1])).toEqual(['1', '2', '3', '1', '2'])
    expect(html).toMatch(/<li id="fn-n1" value="1">/)
  })
})
