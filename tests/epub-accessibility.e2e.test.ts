// DAISY Ace on Galley's EPUBs (the sample with a note style, a one-file article, a multi-file book with endnotes,
// a table, a figure and math): no violations, so the EPUB Accessibility 1.1 claim stands; no claim for a book whose
// image has no description.
import { cpSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { unpack } from './helpers/epub.js'
import { makeProject, tinyPng } from './helpers/project.js'
import { ace, aceCli, epubcheck } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const claim = '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>'
const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] } }])

async function epubOf(dir: string, inputs: string[], metadata: string[] = []): Promise<string> {
  const result = await build({ inputs, to: ['epub'], cwd: dir, env, metadata, outputDir: path.join(dir, 'out') })
  return result.outputs[0]?.path ?? ''
}

describe.skipIf(!existsSync(aceCli))('DAISY Ace', () => {
  it('finds nothing in the note-style sample, and the OPF claims EPUB Accessibility 1.1 at WCAG 2.2 AA', async () => {
    // A copy of the sample, so the build writes nothing into the repository.
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-ace-'))
    cpSync(path.resolve(import.meta.dirname, '..', 'manuscript'), path.join(dir, 'manuscript'), { recursive: true })
    const file = await epubOf(dir, ['manuscript/china-north-korea.md'], [])
    const report = ace(file)
    expect(report.violations).toEqual([])
    expect(report.missingMetadata).not.toContain('dcterms:conformsTo')
    expect(unpack(file).get('EPUB/package.opf')).toContain(claim)
  }, 300_000)

  it('finds nothing in a one-file article and in a multi-file book with endnotes, a table, a figure and a formula', async () => {
    const article = makeProject({ 'paper.md': `---\ntitle: An Article\nauthor: A. Author\nbibliography: refs.json\n---\n\n# Intro\n\nText [@doe].[^1]\n\n[^1]: A note.\n\n# More\n\nText.\n`, 'refs.json': refs })
    const book = makeProject({
      'one.md': '---\ntitle: A Book\nauthor: [A. Author, B. Author]\nlang: de\nnotes: endnotes\nbibliography: refs.json\nlink-citations: true\n---\n\n# Eins\n\nText [@doe].[^1]\n\n[^1]: Eine Anmerkung.\n\n![Ein Bild mit Beschreibung](fig.png)\n',
      'two.md': '# Zwei\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: Eine Tabelle\n\nDie Formel $x^2$.[^2]\n\n[^2]: Noch eine.\n',
      'refs.json': refs,
      'fig.png': tinyPng,
    })
    const files = [await epubOf(article, ['paper.md']), await epubOf(book, ['one.md', 'two.md'])]
    for (const file of files) {
      expect(epubcheck(file).messages).toEqual([])
      expect(ace(file).violations).toEqual([])
      expect(unpack(file).get('EPUB/package.opf')).toContain(claim)
    }
    expect(unpack(files[1] ?? '').get('EPUB/package.opf')).toContain('<meta property="schema:accessibilityFeature">alternativeText</meta>')
  }, 600_000)

  it('makes no claim for a book whose image has no description', async () => {
    const dir = makeProject({ 'book.md': '---\ntitle: Pictures\n---\n\n# One\n\n![](fig.png)\n', 'fig.png': tinyPng })
    const opf = unpack(await epubOf(dir, ['book.md'])).get('EPUB/package.opf') ?? ''
    expect(opf).not.toContain('dcterms:conformsTo')
    expect(opf).toContain('<meta property="schema:accessModeSufficient">textual,visual</meta>')
  })
})
