// Pandoc's Markdown extras in the real outputs: `\newpage` breaks the PDF's page and no e-book's; definition lists,
// line blocks, spans and example lists make a clean EPUB.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { unpack } from './helpers/epub.js'
import { makeProject, png } from './helpers/project.js'
import { epubcheck, pdfInfo, pdfText } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

const manuscript = `---
title: Extras
---

# Poems

Before the break.

\\newpage

After the first break.

\\clearpage

\\noindent After the second break, set without indent.

Term
:   Its definition, with [small caps]{.smallcaps} and a note.^[An inline note.]

| A line of verse
|     indented by four
| and a last line

(@) An example.

Text after.
`

describe('page breaks and the other extras', () => {
  it('break the PDF page at \\newpage and \\clearpage, and nowhere else', async () => {
    const dir = makeProject({ 'ms.md': manuscript })
    const result = await build({ inputs: ['ms.md'], to: ['pdf'], cwd: dir, env })
    const file = result.outputs[0]?.path ?? ''
    const pages = Number(pdfInfo(file)['Pages'])
    const text = Array.from({ length: pages }, (_, index) => pdfText(file, index + 1))
    const pageOf = (phrase: string): number => text.findIndex((page) => page.includes(phrase))
    expect(pageOf('Before the break.')).toBeGreaterThanOrEqual(0)
    expect(pageOf('After the first break.')).toBe(pageOf('Before the break.') + 1)
    expect(pageOf('After the second break')).toBe(pageOf('After the first break.') + 1)
    // The rest follows on the same page: no break was made of anything else.
    expect(pageOf('A line of verse')).toBe(pageOf('After the second break'))
    expect(pageOf('Text after.')).toBe(pageOf('After the second break'))
    expect(text.join('\n')).not.toMatch(/newpage|clearpage|noindent|\{\.smallcaps\}|\^\[|\(@\)/)
  }, 120_000)

  it('add no empty page for a \\newpage at the end, or at a chapter\'s end where the next chapter starts a page anyway', async () => {
    const pages = async (files: Record<string, string>): Promise<number> => {
      const dir = makeProject(files)
      const result = await build({ inputs: Object.keys(files), to: ['pdf'], cwd: dir, env })
      return Number(pdfInfo(result.outputs[0]?.path ?? '')['Pages'])
    }
    const article = (newpage: string): Record<string, string> => ({ 'ms.md': `---\ntitle: Article\n---\n\nText.\n\n${newpage}` })
    expect(await pages(article('\\newpage\n'))).toBe(await pages(article('')))
    const book = (newpage: string): Record<string, string> => ({ 'a.md': `---\ntitle: Book\n---\n\n# One\n\nText.\n\n${newpage}`, 'b.md': `# Two\n\nMore.\n\n${newpage}` })
    const plain = await pages(book(''))
    expect(plain).toBeGreaterThan(1)
    expect(await pages(book('\\newpage\n'))).toBe(plain)
    expect(await pages(book('\\newpage\n\n\\newpage\n'))).toBe(plain)
  }, 120_000)

  it('keep the empty page two \\newpage in a row ask for before a list of figures, and count it: the list\'s numbers are right and chapters open on rectos', async () => {
    const dir = makeProject({
      'a.md': '---\ntitle: Book\n---\n\n# Thanks {.unnumbered}\n\nSome thanks.\n\n\\newpage\n\n\\newpage\n\n\\listoffigures\n\n\\newpage\n',
      'b.md': '# Two\n\nText of two.\n\n![A picture](pic.png){#fig:pic}\n\n# Three\n\nText of three.\n',
      'pic.png': png(40, 30),
    })
    const result = await build({ inputs: ['a.md', 'b.md'], to: ['pdf'], cwd: dir, env })
    expect(result.files.flatMap((file) => file.messages).map((message) => message.ruleId)).not.toContain('toc-page-mismatch')
    const file = result.outputs[0]?.path ?? ''
    const text = Array.from({ length: Number(pdfInfo(file)['Pages']) }, (_, index) => pdfText(file, index + 1))
    const pageOf = (phrase: string): number => text.findIndex((page) => page.includes(phrase)) + 1
    // Title page, its blank verso, the thanks, the page asked for empty, the list; then each chapter on a recto.
    expect([pageOf('Some thanks.'), pageOf('List of Figures'), pageOf('Text of two.'), pageOf('Text of three.')]).toEqual([3, 5, 7, 9])
    expect(text[3]?.replace(/\s+/g, ' ').trim()).toMatch(/^(Book )?4$/)
    expect(text[4]).toMatch(/A picture\s*\.*\s*7/)
  }, 120_000)

  it('start a page with a list of figures asked for in a book\'s running text, as LaTeX\'s \\listoffigures does', async () => {
    const dir = makeProject({
      'a.md': '---\ntitle: Book\ntop-level-division: chapter\n---\n\n# One\n\nText before the list.\n\n\\listoffigures\n\nText after the list.\n\n![A picture](pic.png){#fig:pic}\n\n# Two\n\nText of two.\n',
      'pic.png': png(40, 30),
    })
    const result = await build({ inputs: ['a.md'], to: ['pdf'], cwd: dir, env })
    expect(result.files.flatMap((file) => file.messages).map((message) => message.ruleId)).not.toContain('toc-page-mismatch')
    const file = result.outputs[0]?.path ?? ''
    const text = Array.from({ length: Number(pdfInfo(file)['Pages']) }, (_, index) => pdfText(file, index + 1))
    const pageOf = (phrase: string): number => text.findIndex((page) => page.includes(phrase)) + 1
    // Title page, its blank verso, chapter one on a recto, the list on the next page with the text after it.
    expect([pageOf('Text before the list.'), pageOf('List of Figures'), pageOf('Text after the list.'), pageOf('Text of two.')]).toEqual([3, 4, 4, 5])
    expect(text[3]).toMatch(/A picture\s*\.*\s*4/)
  }, 120_000)

  it('make an EPUB that epubcheck passes, without the page breaks', async () => {
    const dir = makeProject({ 'ms.md': manuscript })
    const result = await build({ inputs: ['ms.md'], to: ['epub'], cwd: dir, env })
    const file = result.outputs[0]?.path ?? ''
    expect(epubcheck(file).messages).toEqual([])
    const xhtml = [...unpack(file)].filter(([name]) => name.endsWith('.xhtml')).map(([, text]) => text).join('\n')
    expect(xhtml).toContain('<dl>')
    expect(xhtml).toContain('<div class="line-block">')
    expect(xhtml).toContain('<span class="smallcaps">small caps</span>')
    expect(xhtml).toContain('<ol class="example" type="1">')
    expect(xhtml).toContain('<p class="noindent">')
    expect(xhtml).not.toMatch(/newpage|clearpage|noindent\b(?!")/)
    expect(path.extname(file)).toBe('.epub')
  }, 120_000)
})
