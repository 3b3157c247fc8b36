// Pandoc's command lines, as Makefiles have them, run with `galley` in place of `pandoc`; section numbers as Pandoc's.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import type { Element } from 'hast'
import { visit } from 'unist-util-visit'
import { describe, expect, it } from 'vitest'
import { chooseFormats, pandocArgv, readFrom } from '../src/cli/pandoc-options.js'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0
const apa = '/usr/share/citation-style-language/styles/apa.csl'

const bib = '@book{doe2020,\n  author = {Doe, Jane},\n  title = {A Book},\n  year = {2020},\n  publisher = {Press}\n}\n'

/** Headings at every level, skipped levels, `{-}` and `.unnumbered` ones, and sections under an unnumbered one. */
const sections = `Text before any heading.

# One

## One A

### Deep

## One B {-}

## One C

# Two {.unnumbered}

## Under an unnumbered one

# Three

#### Skipped levels

## Three A
`

/** Each heading's `data-number` (or `-` when it has none) and its text, in document order (not the title's or the contents'). */
function numbered(html: string): string[] {
  const found: string[] = []
  visit(fromHtml(html), 'element', (node: Element) => {
    if (!/^h[1-6]$/.test(node.tagName) || String(node.properties['className'] ?? '').includes('title') || node.properties['id'] === 'toc-title') return
    const number = node.properties['dataNumber']
    found.push(`${typeof number === 'string' ? number : '-'} ${toString(node).replace(/^[\d.]+ /, '').replace(/\s+/g, ' ').trim()}`)
  })
  return found
}

/** The section numbers of a table of contents (Pandoc's `toc-section-number`), in order. */
function tocNumbers(html: string): string[] {
  const found: string[] = []
  visit(fromHtml(html), 'element', (node: Element) => {
    if (String(node.properties['className'] ?? '').includes('toc-section-number')) found.push(toString(node))
  })
  return found
}

function pandoc(dir: string, args: string[]): string {
  const run = spawnSync('pandoc', args, { cwd: dir, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(run.stderr)
  return run.stdout
}

describe('Pandoc command lines', () => {
  it('galley paper.md -s --citeproc --bibliography refs.bib -o paper.html', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: Paper\n---\n\nAs shown [@doe2020].\n', 'refs.bib': bib })
    const run = await runCli(dir, ['paper.md', '-s', '--citeproc', '--bibliography', 'refs.bib', '-o', 'paper.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    // -s and --citeproc are what Galley does anyway: no warning for them.
    expect(run.stderr).toBe('')
    const html = readFileSync(path.join(dir, 'paper.html'), 'utf8')
    expect(html.includes('(Doe 2020)'), '(Doe 2020)').toBe(true)
    expect(html.includes('id="ref-doe2020"'), 'id="ref-doe2020"').toBe(true)
  })

  it.skipIf(!existsSync(apa))('galley paper.md -C --csl apa.csl -t html5 -o out.html', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: Paper\nbibliography: refs.bib\n---\n\nAs shown [@doe2020].\n', 'refs.bib': bib })
    copyFileSync(apa, path.join(dir, 'apa.csl'))
    const run = await runCli(dir, ['paper.md', '-C', '--csl', 'apa.csl', '-t', 'html5', '-o', 'out.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(readFileSync(path.join(dir, 'out.html'), 'utf8').includes('(Doe, 2020)'), '(Doe, 2020)').toBe(true)
  })

  it('galley ch1.md ch2.md --toc -N -o book.html: numbers run on across the files, and the contents carry them', async () => {
    const dir = makeProject({ 'ch1.md': '---\ntitle: Book\n---\n\n# Start\n\n## Part one\n', 'ch2.md': '# Middle\n\n## Part two\n\n# End {-}\n' })
    const run = await runCli(dir, ['ch1.md', 'ch2.md', '--toc', '-N', '-o', 'book.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'book.html'), 'utf8')
    expect(numbered(html)).toEqual(['1 Start', '1.1 Part one', '2 Middle', '2.1 Part two', '- End'])
    expect(tocNumbers(html)).toEqual(['1', '1.1', '2', '2.1'])
    expect(html.includes('<h1 id="start" data-number="1"><span class="header-section-number">1</span> Start</h1>'), '<h1 id="start" data-number="1"><span class="header-section-number">1</span> Start</h1>').toBe(true)
  })

  it('galley a.md --metadata-file meta.yaml -V fontsize=12pt: the document over the metadata file, a later file over an earlier one', async () => {
    const dir = makeProject({
      'a.md': '---\ntitle: From the document\n---\n\nText.\n',
      'meta.yaml': 'title: From meta.yaml\nsubtitle: From meta.yaml\ntoc-title: From meta.yaml\nlang: de-DE\n',
      'more.yaml': '---\nsubtitle: From more.yaml\n...\n',
    })
    const run = await runCli(dir, ['a.md', '--metadata-file', 'meta.yaml', '--metadata-file=more.yaml', '-V', 'fontsize=12pt', '--toc', '-o', 'a.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'a.html'), 'utf8')
    expect(html.includes('<h1 class="title">From the document</h1>'), '<h1 class="title">From the document</h1>').toBe(true)
    expect(html.includes('<p class="subtitle">From more.yaml</p>'), '<p class="subtitle">From more.yaml</p>').toBe(true)
    expect(html.includes('<html lang="de-DE"'), '<html lang="de-DE"').toBe(true)
    expect(html.includes('--text-size: 12pt;'), 'font size').toBe(true)
    // -M is over -V.
    const both = await runCli(dir, ['a.md', '-V', 'title=V', '-M', 'title=M', '-o', 'b.html'])
    expect(both.exitCode, both.stderr).toBe(0)
    expect(readFileSync(path.join(dir, 'b.html'), 'utf8').includes('<h1 class="title">M</h1>'), '<h1 class="title">M</h1>').toBe(true)
  })

  it('takes a .yaml input as metadata, with no "empty manuscript" warning, and pagetitle as the <title>', async () => {
    const dir = makeProject({ 'metadata.yaml': 'title: The Thesis\npagetitle: Thesis (draft)\nnumbersections: true\n', 'intro.md': '# Introduction\n\nText.\n' })
    const run = await runCli(dir, ['metadata.yaml', 'intro.md', '-o', 'thesis.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    const html = readFileSync(path.join(dir, 'thesis.html'), 'utf8')
    expect(html.includes('<title>Thesis (draft)</title>'), '<title>Thesis (draft)</title>').toBe(true)
    expect(html.includes('<h1 class="title">The Thesis</h1>'), '<h1 class="title">The Thesis</h1>').toBe(true)
    expect(numbered(html)).toEqual(['1 Introduction'])
  })

  it('takes a key set again in a later file, as Pandoc reads the files as one text', async () => {
    const dir = makeProject({ 'meta.yaml': 'title: From meta.yaml\nlang: de-DE\n', 'ch1.md': '---\ntitle: First\n---\n\n# A\n', 'ch2.md': '---\ntitle: Second\n---\n\n# B\n' })
    const run = await runCli(dir, ['meta.yaml', 'ch1.md', 'ch2.md', '-o', 'book.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'book.html'), 'utf8')
    expect(html.includes('<title>Second</title>'), 'title').toBe(true)
    expect(html.includes('<html lang="de-DE"'), 'lang').toBe(true)
    if (hasPandoc) {
      const theirs = pandoc(dir, ['-s', '--metadata-file', 'meta.yaml', 'ch1.md', 'ch2.md', '-t', 'html5'])
      expect(theirs).toMatch(/<title>Second<\/title>/)
      expect(theirs).toMatch(/lang="de-DE"/)
    }
  })

  it('keeps paths in a metadata file inside the project, as in front matter', async () => {
    const outside = makeProject({ 'secret.bib': bib })
    const dir = makeProject({ 'a.md': 'Text [@doe2020].\n', 'meta.yaml': `bibliography: ${path.join(outside, 'secret.bib')}\n` })
    const run = await runCli(dir, ['a.md', '--metadata-file', 'meta.yaml', '-o', 'a.html'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(/^meta\.yaml:1:15: error: "bibliography" names .*secret\.bib, which is outside the project directory/)
  })

  it('accepts the Pandoc options that do not apply with one warning each, which --fail-if-warnings counts', async () => {
    const dir = makeProject({ 'a.md': '---\ntitle: A\n---\n\nText.\n' })
    const args = ['a.md', '--filter', 'pandoc-crossref', '--template=t.tex', '-H', 'h.tex', '--pdf-engine=xelatex', '--listings', '-f', 'markdown+smart', '-o', 'a.html']
    const run = await runCli(dir, args)
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr.split('\n').filter((line) => line.startsWith('galley: warning:'))).toEqual([
      'galley: warning: --pdf-engine=xelatex: the PDF is printed by Chromium (GALLEY_BROWSER or -M browser=… chooses which one)',
      'galley: warning: --template=t.tex is ignored: Galley has one design of its own, not Pandoc templates',
      'galley: warning: --filter=pandoc-crossref is ignored: Galley runs no programs named on its command line or in a document',
      'galley: warning: --include-in-header=h.tex is ignored: Galley takes no raw LaTeX or HTML into its outputs',
      'galley: warning: --listings is ignored: Galley writes no LaTeX',
    ])
    expect((await runCli(dir, [...args, '--fail-if-warnings'])).exitCode).toBe(1)
    // A Pandoc option Galley reads gets no warning; --pdf-engine=chromium is what happens anyway.
    expect((await runCli(dir, ['a.md', '--pdf-engine', 'chromium', '-o', 'a.html'])).stderr).toBe('')
  })

  it('refuses options neither program has, readers and writers Galley does not have, with exit 64', async () => {
    const dir = makeProject({ 'a.md': 'Text.\n' })
    const unknown = await runCli(dir, ['a.md', '--no-such-option'])
    expect(unknown.exitCode).toBe(64)
    expect(unknown.stderr).toMatch(/Unknown option '--no-such-option'/)
    const latex = await runCli(dir, ['a.md', '-t', 'latex', '-o', 'a.tex'])
    expect(latex.exitCode).toBe(64)
    expect(latex.stderr).toBe('galley: Galley writes html, pdf and epub, not latex (for a PDF, give -o FILE.pdf; for LaTeX source, use pandoc)\n')
    const docx = await runCli(dir, ['a.md', '-o', 'a.docx'])
    expect(docx.exitCode).toBe(64)
    const rst = await runCli(dir, ['a.md', '-f', 'rst'])
    expect(rst.exitCode).toBe(64)
    expect(rst.stderr).toBe('galley: Galley reads Markdown only (-f markdown, commonmark_x, gfm…), not "rst"\n')
    const depth = await runCli(dir, ['a.md', '--toc-depth', 'deep'])
    expect(depth.exitCode).toBe(64)
    expect(existsSync(path.join(dir, 'dist'))).toBe(false)
  })

  it('writes HTML to standard output with -o -, and nothing else there; a PDF or EPUB is refused', async () => {
    const dir = makeProject({ 'a.md': '---\ntitle: Out\n---\n\n# Heading\n' })
    const run = await runCli(dir, ['a.md', '-N', '-o', '-'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout.slice(0, 15).toLowerCase()).toBe('<!doctype html>')
    expect(run.stdout.includes('<span class="header-section-number">1</span> Heading'), '<span class="header-section-number">1</span> Heading').toBe(true)
    expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    const pdf = await runCli(dir, ['a.md', '-t', 'pdf', '-o', '-'])
    expect(pdf.exitCode).toBe(64)
    expect(pdf.stderr).toMatch(/-o - writes HTML to standard output/)
  })

  it("lists the same options in the README's CLI section as --help does", async () => {
    const help = await runCli(process.cwd(), ['--help'])
    const options = help.stdout.slice(help.stdout.indexOf('Options:\n') + 'Options:\n'.length, help.stdout.indexOf('  -h, --help'))
    expect(options).toMatch(/--number-sections/)
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8').includes(`galley [build] [FILE.md...] [options]\n${options}`), 'README CLI block').toBe(true)
  })

  it("takes -w FORMAT as Pandoc's --to, and -w alone as --watch", () => {
    expect(pandocArgv(['a.md', '-w', 'html5', '-o', 'a.html'])).toEqual(['a.md', '--write=html5', '-o', 'a.html'])
    expect(pandocArgv(['a.md', '-wepub3'])).toEqual(['a.md', '--write=epub3'])
    expect(pandocArgv(['a.md', '-w'])).toEqual(['a.md', '-w'])
    expect(pandocArgv(['-w', 'a.md'])).toEqual(['-w', 'a.md'])
  })

  it("maps Pandoc's format names", () => {
    expect(chooseFormats(['html5'], 'a.html')).toEqual({ formats: ['html'], warnings: [] })
    expect(chooseFormats(['html4+smart'], undefined)).toEqual({ formats: ['html'], warnings: [] })
    expect(chooseFormats(['epub3'], undefined)).toEqual({ formats: ['epub'], warnings: [] })
    expect(chooseFormats(['epub2'], undefined)).toMatchObject({ formats: ['epub'], warnings: [expect.stringMatching(/EPUB 3/)] })
    // Pandoc makes a PDF through LaTeX or HTML when -o ends in .pdf: the PDF it is, printed by Chromium.
    expect(chooseFormats(['latex'], 'paper.pdf')).toMatchObject({ formats: ['pdf'], warnings: [expect.stringMatching(/Chromium/)] })
    expect(chooseFormats(['html5'], 'paper.pdf')).toEqual({ formats: ['pdf'], warnings: [] })
    expect(chooseFormats([], 'paper.epub')).toEqual({ formats: ['epub'], warnings: [] })
    expect(chooseFormats(['docx'], undefined)).toEqual({ error: 'Galley writes html, pdf and epub, not docx' })
    expect(readFrom('markdown')).toEqual({ warnings: [] })
    expect(readFrom('markdown+smart+tex_math_dollars')).toEqual({ warnings: [] })
    expect(readFrom('markdown-smart+emoji')).toEqual({ warnings: [expect.stringMatching(/-smart, \+emoji not applied/)] })
    expect(readFrom('commonmark_x')).toEqual({ warnings: [expect.stringMatching(/read as Pandoc's Markdown/)] })
  })

  it('looks for images along --resource-path after the chapter folder, a folder named there trusted even outside the project', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: Images\n---\n\n![A dot](dot.png)\n\n![Away](away.png)\n', 'figures/dot.png': tinyPng })
    const outside = makeProject({ 'away.png': tinyPng })
    const run = await runCli(dir, ['paper.md', '--resource-path', `.${path.delimiter}figures${path.delimiter}${outside}`, '-o', 'paper.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'paper.html'), 'utf8')
    expect(/<img src="data:image\/png;base64,[^"]+" alt="A dot"/.test(html)).toBe(true)
    // Along the path, outside the project: the person running Galley named the folder, as with --bibliography.
    expect(run.stderr).not.toMatch(/away\.png/)
    expect(/<img src="data:image\/png;base64,[^"]+" alt="Away"/.test(html)).toBe(true)
    // Without it, the image is not found.
    const without = await runCli(dir, ['paper.md', '-o', 'paper2.html'])
    expect(without.stderr).toMatch(/Image dot\.png not found/)
    expect(without.stderr).toMatch(/Image away\.png not found/)
  })

  it('adds --default-image-extension to image paths without one, as Pandoc does (with or without its dot)', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: Images\n---\n\n![A dot](img/dot)\n\n![Kept](img/dot.png)\n', 'img/dot.png': tinyPng })
    for (const extension of ['png', '.png']) {
      const run = await runCli(dir, ['paper.md', '--default-image-extension', extension, '-o', 'paper.html'])
      expect(run.exitCode, run.stderr).toBe(0)
      expect(run.stderr).not.toMatch(/not found/)
      const html = readFileSync(path.join(dir, 'paper.html'), 'utf8')
      expect(html.match(/<img src="data:image\/png;base64,[^"]+"/g)).toHaveLength(2)
      if (hasPandoc) expect(pandoc(dir, ['paper.md', '--default-image-extension', extension, '-t', 'html'])).toContain('src="img/dot.png"')
    }
    const without = await runCli(dir, ['paper.md', '-o', 'paper2.html'])
    expect(without.stderr).toMatch(/Image img\/dot not found \(looked for img\/dot\)/)
  })

  it('takes the --epub-cover-image it is given even outside the project, as it takes --bibliography; a document may not', async () => {
    const dir = makeProject({ 'chapters/a.md': '---\ntitle: Covered\n---\n\nText.\n', 'chapters/b.md': '---\ncover-image: ../images/cover.png\n---\n\nMore.\n', 'images/cover.png': tinyPng })
    const run = await runCli(dir, ['chapters/a.md', '--epub-cover-image', 'images/cover.png', '-o', 'book.epub'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).not.toMatch(/cover-image/)
    const listing = spawnSync('unzip', ['-l', path.join(dir, 'book.epub')], { encoding: 'utf8' }).stdout
    expect(listing).toMatch(/EPUB\/cover\.png/)
    const untrusted = await runCli(dir, ['chapters/b.md', '-o', 'book2.epub'])
    expect(untrusted.stderr).toMatch(/Cover image \.\.\/images\/cover\.png is outside the project directory/)
  })
})

describe('numbered sections as pandoc -N numbers them', () => {
  it('numbers headings like Pandoc 2.17, in the text and the contents', async () => {
    const dir = makeProject({ 'a.md': `---\ntitle: Numbers\n---\n\n${sections}` })
    const run = await runCli(dir, ['a.md', '-N', '--toc', '--toc-depth=6', '-o', 'a.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'a.html'), 'utf8')
    const expected = ['1 One', '1.1 One A', '1.1.1 Deep', '- One B', '1.2 One C', '- Two', '1.3 Under an unnumbered one', '2 Three', '2.0.0.1 Skipped levels', '2.1 Three A']
    expect(numbered(html)).toEqual(expected)
    expect(tocNumbers(html)).toEqual(['1', '1.1', '1.1.1', '1.2', '1.3', '2', '2.0.0.1', '2.1'])
    if (hasPandoc) {
      const theirs = pandoc(dir, ['a.md', '-N', '--toc', '--toc-depth=6', '-s', '-t', 'html5'])
      expect(numbered(theirs)).toEqual(expected)
      expect(tocNumbers(theirs)).toEqual(tocNumbers(html))
    }
  })

  it('adds --number-offset at each level, as Pandoc does', async () => {
    const dir = makeProject({ 'a.md': '---\ntitle: Offsets\n---\n\n## Before\n\n## Again\n\n# Top\n\n## Under\n' })
    const run = await runCli(dir, ['a.md', '--number-offset=1,4', '-o', 'a.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const expected = ['1.5 Before', '1.6 Again', '2 Top', '2.5 Under']
    expect(numbered(readFileSync(path.join(dir, 'a.html'), 'utf8'))).toEqual(expected)
    if (hasPandoc) {
      const theirs = pandoc(dir, ['a.md', '--number-offset=1,4', '-t', 'html5', '-s'])
      const headings = [...theirs.matchAll(/<h([1-6]) data-number="([\d.]+)"><span\s+class="header-section-number">[\d.]+<\/span>\s+([^<]+)</g)].map((match) => `${match[2]} ${match[3]?.replace(/\s+/g, ' ')}`)
      expect(headings).toEqual(expected)
    }
  })

  it('shifts heading levels, and with -1 takes an opening heading as the title, as Pandoc does', async () => {
    const dir = makeProject({ 'a.md': '# The Title\n\n## First\n\n### Inner\n\n## Second\n' })
    const run = await runCli(dir, ['a.md', '--shift-heading-level-by=-1', '-N', '-o', 'a.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'a.html'), 'utf8')
    expect(html.includes('<h1 class="title">The Title</h1>'), '<h1 class="title">The Title</h1>').toBe(true)
    expect(run.stderr).not.toMatch(/No title/)
    const expected = ['1 First', '1.1 Inner', '2 Second']
    expect(numbered(html)).toEqual(expected)
    if (hasPandoc) {
      const theirs = pandoc(dir, ['a.md', '--shift-heading-level-by=-1', '-N', '-s', '-t', 'html5'])
      expect(theirs.includes('<h1 class="title">The Title</h1>'), '<h1 class="title">The Title</h1>').toBe(true)
      expect(numbered(theirs)).toEqual(expected)
    }
    const down = await runCli(dir, ['a.md', '--shift-heading-level-by', '1', '-o', 'b.html'])
    expect(down.exitCode, down.stderr).toBe(0)
    expect(readFileSync(path.join(dir, 'b.html'), 'utf8').includes('<h2 id="the-title">The Title</h2>'), '<h2 id="the-title">The Title</h2>').toBe(true)
  })
})
