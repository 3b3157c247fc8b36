// A thesis laid out as LaTeX users write one: acknowledgements ending with `\newpage`, then files of commands only
// (`\tableofcontents`, `\listoffigures`, each followed by `\newpage`), then the chapters. In print: the contents
// where the text placed them, no empty page for a `\newpage` next to a page break made anyway, page numbers that
// are right, chapters on rectos; in the EPUB: the contents kept, without page numbers, and epubcheck clean.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject, png } from './helpers/project.js'
import { epubcheck, pdfInfo, pdfText } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

const files = {
  'a.md': '---\ntitle: Thesis\n---\n\n# Thanks {.unnumbered}\n\nSome thanks.\n\n\\newpage\n',
  'b.md': '\\pagenumbering{gobble}\n\n\\tableofcontents\n\n\\newpage\n',
  'c.md': '\\listoffigures\n\n\\newpage\n',
  'd.md': '# One\n\nText of one.\n\n![A picture](pic.png){#fig:pic}\n\n# Two\n\nText of two.\n',
}

describe('\\tableofcontents in a thesis', () => {
  it('prints the contents there, with right numbers, no empty page, chapters on rectos; the EPUB keeps them', async () => {
    const dir = makeProject({ ...files, 'pic.png': png(40, 30) })
    const result = await build({ inputs: Object.keys(files), to: ['pdf', 'epub'], cwd: dir, env })
    const rules = result.files.flatMap((file) => file.messages).map((message) => message.ruleId)
    expect(rules).not.toContain('toc-page-mismatch')
    expect(rules).not.toContain('layout-stalled')
    const pdf = path.join(dir, 'dist', 'a.pdf')
    const text = Array.from({ length: Number(pdfInfo(pdf)['Pages']) }, (_, index) => pdfText(pdf, index + 1))
    const pageOf = (phrase: string): number => text.findIndex((page) => page.includes(phrase)) + 1
    // Title page and its blank verso, the thanks on a recto, the contents and the list right after (the `\newpage`
    // before each falls where a page break is made anyway), a blank verso, the chapters on rectos.
    expect([pageOf('Some thanks.'), pageOf('Contents'), pageOf('List of Figures'), pageOf('Text of one.'), pageOf('Text of two.')]).toEqual([3, 4, 5, 7, 9])
    expect(text[3]).toMatch(/One\s*\.*\s*7/)
    expect(text[3]).toMatch(/Two\s*\.*\s*9/)
    expect(text[4]).toMatch(/A picture\s*\.*\s*7/)

    const epub = path.join(dir, 'dist', 'a.epub')
    expect(epubcheck(epub).messages).toEqual([])
    const xhtml = Object.entries(unzipSync(readFileSync(epub)))
      .filter(([name]) => name.endsWith('.xhtml') && name !== 'EPUB/nav.xhtml')
      .map(([, bytes]) => strFromU8(bytes))
      .join('\n')
    expect(xhtml).toMatch(/<nav id="TOC" role="doc-toc"><h1 id="toc-title" class="unnumbered">Contents<\/h1>/)
    expect(xhtml).toMatch(/<a href="chapter-2\.xhtml#one" id="toc-one"><span class="toc-text">One<\/span><\/a>/)
    expect(xhtml).not.toContain('toc-page')
  }, 120_000)
})
