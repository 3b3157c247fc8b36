// Galley's EPUBs as reading systems and stores judge them: the sample, a one-file article and a multi-file book, each
// without notes, with footnotes or endnotes and with a note style (Chicago full note), some with the print page list
// of a PDF made in the same build. For each build: epubcheck finds nothing, DAISY Ace finds no violation (so the EPUB
// Accessibility 1.1 claim stands), and the stylesheet has nothing a CSS validator, Kindle or RMSDK would reject.
// No claim for a book whose image has no description.
import { cpSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { unpack } from './helpers/epub.js'
import { makeProject, tinyPng } from './helpers/project.js'
import { ace, aceCli, epubcheck, readerCssProblems } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const claim = '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>'
const refs = JSON.stringify([
  { id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] }, publisher: 'Press', 'publisher-place': 'Berlin' },
  { id: 'roe', type: 'article-journal', title: 'An Article', author: [{ family: 'Roe', given: 'Ri' }], issued: { 'date-parts': [[2019]] }, 'container-title': 'A Journal', volume: 3, page: '1-20' },
])
const style = 'csl: chicago-fullnote-bibliography\n'
/** Enough text that the PDF has several pages, so the page list has more than one entry. */
const filler = Array.from({ length: 14 }, (_, n) => `Paragraph ${n + 1} of text that runs over several lines so that the printed pages fill up and a few of them start in the middle of a sentence.`).join('\n\n')

type Notes = 'none' | 'notes' | 'style'

function article(notes: Notes): Record<string, string> {
  const note = notes === 'notes' ? '[^1]' : ''
  const defined = notes === 'notes' ? '\n\n[^1]: A note.\n' : '\n'
  return {
    'paper.md': `---\ntitle: An Article\nauthor: A. Author\nbibliography: refs.json\n${notes === 'style' ? style : ''}---\n\n# Intro\n\nText [@doe, 12].${note}\n\n${filler}\n\n# More\n\nText [@roe].${defined}`,
    'refs.json': refs,
  }
}

function book(notes: Notes): Record<string, string | Uint8Array> {
  const [one, two] = notes === 'notes' ? ['[^1]', '[^2]'] : ['', '']
  return {
    'one.md': `---\ntitle: A Book\nauthor: [A. Author, B. Author]\nlang: de\n${notes === 'notes' ? 'notes: endnotes\n' : ''}${notes === 'style' ? style : ''}bibliography: refs.json\nlink-citations: true\n---\n\n# Eins\n\nText [@doe].${one}\n\n${one ? '[^1]: Eine Anmerkung.\n\n' : ''}![Ein Bild mit Beschreibung](fig.png)\n\n${filler}\n`,
    'two.md': `# Zwei\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: Eine Tabelle\n\nDie Formel $x^2$ [@roe].${two}\n\n${two ? '[^2]: Noch eine.\n' : ''}`,
    'refs.json': refs,
    'fig.png': tinyPng,
  }
}

interface Case {
  name: string
  project: () => string
  inputs: string[]
  /** With a PDF in the same build, so the EPUB gets its page list: the list's heading, in the book's language. */
  pages?: string
}

const cases: Case[] = [
  {
    name: 'the sample (a note style), with the page list',
    project: () => {
      // A copy of the sample, so the build writes nothing into the repository.
      const dir = mkdtempSync(path.join(tmpdir(), 'galley-ace-'))
      cpSync(path.resolve(import.meta.dirname, '..', 'manuscript'), path.join(dir, 'manuscript'), { recursive: true })
      return dir
    },
    inputs: ['manuscript/china-north-korea.md'],
    pages: 'Pages',
  },
  { name: 'a one-file article without notes', project: () => makeProject(article('none')), inputs: ['paper.md'] },
  { name: 'a one-file article with footnotes, with the page list', project: () => makeProject(article('notes')), inputs: ['paper.md'], pages: 'Pages' },
  { name: 'a one-file article with a note style', project: () => makeProject(article('style')), inputs: ['paper.md'] },
  { name: 'a multi-file book without notes, with the page list', project: () => makeProject(book('none')), inputs: ['one.md', 'two.md'], pages: 'Seitenliste' },
  { name: 'a multi-file book with endnotes', project: () => makeProject(book('notes')), inputs: ['one.md', 'two.md'] },
  { name: 'a multi-file book with a note style, with the page list', project: () => makeProject(book('style')), inputs: ['one.md', 'two.md'], pages: 'Seitenliste' },
]

describe.skipIf(!existsSync(aceCli))('EPUB checked by epubcheck, DAISY Ace and a CSS validator', () => {
  for (const { name, project, inputs, pages } of cases) it(`finds nothing in ${name}`, async () => {
    const dir = project()
    const result = await build({ inputs, to: pages ? ['pdf', 'epub'] : ['epub'], cwd: dir, env, outputDir: path.join(dir, 'out'), noCache: true })
    const file = result.outputs.find((output) => output.format === 'epub')?.path ?? ''
    const files = unpack(file)
    const nav = files.get('EPUB/nav.xhtml') ?? ''
    expect(nav.includes('epub:type="page-list"')).toBe(pages !== undefined)
    if (pages) expect(nav).toMatch(new RegExp(`role="doc-pagelist" hidden="[^"]*"><h1>${pages}</h1><ol>`))
    // More than one page in the list (the first page of text has no marker when the title page starts it).
    if (pages) expect(nav.slice(nav.indexOf('role="doc-pagelist"')).match(/<li><a href="[^"]+#page-\d+">\d+<\/a><\/li>/g)?.length ?? 0).toBeGreaterThan(1)
    expect(epubcheck(file).messages).toEqual([])
    const report = ace(file)
    expect(report.violations).toEqual([])
    expect(report.missingMetadata).not.toContain('dcterms:conformsTo')
    expect(files.get('EPUB/package.opf')).toContain(claim)
    expect(readerCssProblems(files.get('EPUB/style.css') ?? '')).toEqual([])
  }, 600_000)

  it('makes no claim for a book whose image has no description', async () => {
    const dir = makeProject({ 'book.md': '---\ntitle: Pictures\n---\n\n# One\n\n![](fig.png)\n', 'fig.png': tinyPng })
    const result = await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env, outputDir: path.join(dir, 'out') })
    const opf = unpack(result.outputs[0]?.path ?? '').get('EPUB/package.opf') ?? ''
    expect(opf).not.toContain('dcterms:conformsTo')
    expect(opf).toContain('<meta property="schema:accessModeSufficient">textual,visual</meta>')
  })
})
