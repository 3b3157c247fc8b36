// Notes and a picture inside the metadata `abstract`, in every output: the HTML's notes, the PDF title page's foot,
// the EPUB title page's pop-up notes and packaged image.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { brokenLinks, unpack, unpackBytes } from './helpers/epub.js'
import { makeProject, png } from './helpers/project.js'
import { epubcheck, pdfText } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

function paper(documentclass: string): string {
  return [
    '---',
    'title: Notes Up Front',
    'author: Ann Writer',
    `documentclass: ${documentclass}`,
    'link-citations: true',
    'references:',
    '- id: roe',
    '  type: book',
    '  author: [{family: Roe, given: Kim}]',
    '  issued: {date-parts: [[2019]]}',
    '  title: A Book',
    'abstract: |',
    '  The abstract claims a thing^[An inline note in the abstract, citing @roe.] and points at a',
    '  second note[^lead] beside a picture ![a grey square](square.png).',
    '',
    '  [^lead]: A reference note defined in the abstract.',
    '---',
    '',
    '# Introduction',
    '',
    'Body text with a note of its own.[^body]',
    '',
    '[^body]: The body’s note.',
    '',
    '# Method',
    '',
    'More text.',
    '',
  ].join('\n')
}

describe('notes and a picture in the abstract', () => {
  for (const documentclass of ['article', 'book']) {
    it(`reach the HTML, the PDF's title page and the EPUB's (${documentclass})`, { timeout: 120_000 }, async () => {
      const dir = makeProject({ 'paper.md': paper(documentclass), 'square.png': png(24, 24) })
      await build({ inputs: ['paper.md'], to: ['html', 'pdf', 'epub'], cwd: dir, env, noCache: true })

      // HTML: the abstract's references lead to notes that lead back.
      const html = readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8')
      const abstract = html.slice(html.indexOf('<div class="abstract">'), html.indexOf('</header>'))
      const refs = [...abstract.matchAll(/<a href="#(fn-[^"]+)" id="(fnref-[^"]+)"/g)].map((match) => [match[1], match[2]])
      expect(refs).toHaveLength(2)
      for (const [note, ref] of refs) {
        const item = html.match(new RegExp(`<li id="${note}">([\\s\\S]*?)</li>`))?.[1] ?? ''
        expect(item).toContain(`href="#${ref}"`)
      }
      expect(abstract).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="a grey square">/)

      // PDF: both notes on the title page, under the abstract; the body's note where its reference is.
      const pdf = path.join(dir, 'dist', 'paper.pdf')
      const first = pdfText(pdf, 1).replaceAll('\u00AD', '')
      expect(first).toContain('1. An inline note in the abstract, citing Roe (2019).')
      expect(first).toContain('2. A reference note defined in the abstract.')
      expect(first.indexOf('2. A reference note')).toBeGreaterThan(first.indexOf('The abstract claims'))
      const bodyPage = pdfText(pdf).split('\f').findIndex((page) => page.includes('Body text with a note'))
      expect(pdfText(pdf, bodyPage + 1)).toContain('3. The body’s note.')

      // EPUB: valid, the notes pop up from the title page and lead back, the picture is packaged.
      const epub = path.join(dir, 'dist', 'paper.epub')
      expect(epubcheck(epub).messages).toEqual([])
      const files = unpack(epub)
      expect(brokenLinks(files)).toEqual([])
      const titlePage = files.get('EPUB/title.xhtml') ?? ''
      for (const [note, ref] of refs) {
        expect(titlePage).toContain(`<a href="#${note}" id="${ref}" epub:type="noteref" role="doc-noteref">`)
        expect(titlePage).toMatch(new RegExp(`<aside id="${note}" epub:type="footnote" role="doc-footnote"><p><a href="#${ref}" role="doc-backlink">`))
      }
      // The citation in a note keeps its text; its link to the bibliography (another file) is made text.
      const words = titlePage.replace(/<[^>]+>/g, '')
      expect(words).toContain('1. An inline note in the abstract, citing Roe (2019).')
      expect(words).toContain('2. A reference note defined in the abstract.')
      const image = titlePage.match(/<img src="([^"]+)" alt="a grey square" \/>/)?.[1] ?? ''
      expect(unpackBytes(epub).get(`EPUB/${image}`)).toEqual(new Uint8Array(png(24, 24)))
      expect(files.get('EPUB/package.opf')).toContain(`href="${image}" media-type="image/png"`)
      // The body's note stays in its chapter, numbered after the abstract's; the description has no note numbers.
      expect(files.get('EPUB/chapter-1.xhtml')).toMatch(/<aside id="fn-body"[^>]*><p><a href="#fnref-body" role="doc-backlink">3\.<\/a> The body’s note\./)
      expect(files.get('EPUB/package.opf')).toContain('<dc:description>The abstract claims a thing and points at a second note beside a picture.</dc:description>')
    })
  }
})
