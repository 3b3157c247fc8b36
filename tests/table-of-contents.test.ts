// LaTeX's `\tableofcontents` in the text: the table of contents goes there, with `toc` or without, once.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

async function html(files: Record<string, string>, metadata: string[] = []): Promise<{ html: string; messages: string[] }> {
  const dir = makeProject(files)
  const inputs = Object.keys(files)
  const result = await build({ inputs, to: ['html'], cwd: dir, env, metadata })
  const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId}: ${message.reason}`))
  const name = `${path.basename(inputs[0] ?? '', '.md')}.html`
  return { html: readFileSync(path.join(dir, 'dist', name), 'utf8').replaceAll('\u00ad', ''), messages }
}

/** The entries of the contents, as text. */
function entries(page: string): string[] {
  const nav = /<nav id="TOC"[^]*?<\/nav>/.exec(page)?.[0] ?? ''
  return [...nav.matchAll(/<span class="toc-text">([^<]*)</g)].map((match) => match[1] ?? '')
}

const front = '---\ntitle: Thesis\n---\n\n# Thanks {.unnumbered}\n\nSome thanks.\n\n\\newpage\n'
const contents = '\\pagenumbering{gobble}\n\n\\tableofcontents\n\n\\newpage\n'
const chapters = '# One\n\nText of one.\n\n# Two\n\nText of two.\n'

describe('\\tableofcontents', () => {
  it('puts the contents where the text says, without `toc`, ending the chapter it would go on with', async () => {
    const { html: page, messages } = await html({ 'a.md': front, 'b.md': contents, 'c.md': chapters })
    expect(messages.filter((message) => message.includes('tableofcontents'))).toEqual([])
    expect(messages).toContain('raw-tex: Raw LaTeX `\\pagenumbering` is left out of the output, as Pandoc leaves it out of HTML and EPUB')
    expect(page.match(/<nav id="TOC"/g)).toHaveLength(1)
    expect(page).not.toContain('galley-toc')
    // The thanks (a chapter), the contents after it, the page break that followed the command, the chapters.
    expect(page).toMatch(/<p>Some thanks\.<\/p><div class="galley-page-break"><\/div><\/section>\s*<nav id="TOC" role="doc-toc"><h1 id="toc-title" class="unnumbered">Contents<\/h1>/)
    expect(page).toMatch(/<\/nav><div class="galley-page-break"><\/div>\s*<section class="chapter" id="chapter-2"/)
    expect(entries(page)).toEqual(['Thanks', 'One', 'Two'])
    // Not also after the title block.
    expect(page).not.toMatch(/<\/header><nav/)
  })

  it('puts it there once with `toc` too, and leaves a second command out', async () => {
    const { html: page } = await html({ 'a.md': front, 'b.md': `${contents}\n\\tableofcontents\n`, 'c.md': chapters }, ['toc=true'])
    expect(page.match(/<nav id="TOC"/g)).toHaveLength(1)
    expect(page).toMatch(/Some thanks\.<\/p><div class="galley-page-break"><\/div><\/section>\s*<nav id="TOC"/)
    expect(page).not.toContain('galley-toc')
  })

  it('opens a book with it when it comes first, leaving no empty chapter', async () => {
    const { html: page } = await html({ 'a.md': `---\ntitle: Book\n---\n\n\\tableofcontents\n`, 'c.md': chapters })
    expect(page).toMatch(/<main id="main"><nav id="TOC"[^]*<\/nav>\s*<section class="chapter" id="chapter-[0-9]+"[^>]*><h1 id="one">/)
    expect(page).not.toMatch(/<section class="chapter"[^>]*>\s*<\/section>/)
  })

  it('keeps it in the flow of an article, where it is written', async () => {
    const { html: page } = await html({ 'paper.md': '---\ntitle: Paper\n---\n\nA first paragraph.\n\n\\tableofcontents\n\n# One\n\nText.\n' })
    expect(page).toMatch(/<p>A first paragraph\.<\/p><nav id="TOC" role="doc-toc">/)
    expect(entries(page)).toEqual(['One'])
  })

  it('is raw TeX, left out with a warning, inside a block or with other text', async () => {
    const { html: page, messages } = await html({ 'paper.md': '---\ntitle: Paper\n---\n\n> \\tableofcontents\n\nText \\tableofcontents\n' })
    expect(page).not.toContain('<nav id="TOC"')
    expect(messages).toEqual(['raw-tex: Raw LaTeX `\\tableofcontents` is left out of the output, as Pandoc leaves it out of HTML and EPUB'])
  })
})
