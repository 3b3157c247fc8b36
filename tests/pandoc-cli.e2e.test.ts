// Pandoc command lines that make a PDF or an EPUB: numbered sections in print, in the EPUB's navigation, valid.
import path from 'node:path'
import { unzipSync } from 'fflate'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli } from './helpers/project.js'
import { epubcheck, pdfText } from './helpers/tools.js'

const book = {
  'ch1.md': '---\ntitle: A Numbered Book\nauthor: Ann Author\npapersize: a5\n---\n\n# Beginnings\n\nSome text.\n\n## First section\n\nMore text.\n\n### A subsection\n\nText.\n\n## Second section {-}\n\nText.\n',
  'ch2.md': '# Middles\n\nText.\n\n## Third section\n\nText.\n',
}

describe('Pandoc command lines to PDF and EPUB', () => {
  it('galley ch1.md ch2.md --toc -N -o book.pdf: numbered headings and contents, page numbers checked', async () => {
    const dir = makeProject(book)
    const run = await runCli(dir, ['ch1.md', 'ch2.md', '--toc', '-N', '-o', 'book.pdf'])
    expect(run.exitCode, run.stderr).toBe(0)
    // The PDF self-check would warn of a contents entry on the wrong page.
    expect(run.stderr).toBe('')
    const contents = pdfText(path.join(dir, 'book.pdf'), 2, 2).replace(/\s+/g, ' ')
    expect(contents).toMatch(/1 Beginnings 3 1\.1 First section 3 1\.1\.1 A subsection 3 Second section 3 2 Middles 5 2\.1 Third section 5/)
    const text = pdfText(path.join(dir, 'book.pdf'), 3, 3).replace(/\s+/g, ' ')
    expect(text).toMatch(/1 Beginnings Some text\. 1\.1 First section More text\. 1\.1\.1 A subsection Text\. Second section Text\./)
  }, 120_000)

  it('galley book.md -t latex -o book.pdf: the PDF, printed by Chromium, with one warning', async () => {
    const dir = makeProject({ 'book.md': '---\ntitle: Via LaTeX\n---\n\nText.\n' })
    const run = await runCli(dir, ['book.md', '-t', 'latex', '--pdf-engine=xelatex', '-o', 'book.pdf'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      'galley: warning: -t latex: the PDF is made from HTML and printed by Chromium, not through latex',
      'galley: warning: --pdf-engine=xelatex: the PDF is printed by Chromium (GALLEY_BROWSER or -M browser=… chooses which one)',
    ])
    expect(pdfText(path.join(dir, 'book.pdf'))).toContain('Text.')
  }, 120_000)

  it('galley ch1.md ch2.md -N -t epub3 -o book.epub: numbers in the nav and the NCX, epubcheck clean', async () => {
    const dir = makeProject(book)
    const run = await runCli(dir, ['ch1.md', 'ch2.md', '-N', '-t', 'epub3', '-o', 'book.epub'])
    expect(run.exitCode, run.stderr).toBe(0)
    const file = path.join(dir, 'book.epub')
    const members = unzipSync(readFileSync(file))
    const text = (name: string): string => new TextDecoder().decode(members[name])
    expect(text('EPUB/nav.xhtml')).toContain('<a href="chapter-1.xhtml#first-section"><span class="toc-section-number">1.1</span> First section</a>')
    expect(text('EPUB/nav.xhtml')).toContain('<a href="chapter-1.xhtml#second-section">Second section</a>')
    expect([...text('EPUB/toc.ncx').matchAll(/<text>([^<]*)<\/text>/g)].map((match) => match[1])).toEqual([
      'A Numbered Book',
      '1 Beginnings',
      '1.1 First section',
      'Second section',
      '2 Middles',
      '2.1 Third section',
    ])
    expect(text('EPUB/chapter-2.xhtml')).toContain('<h1 id="middles" data-number="2"><span class="header-section-number">2</span> Middles</h1>')
    const report = epubcheck(file)
    expect(report.messages).toEqual([])
  }, 120_000)
})
