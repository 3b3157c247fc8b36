// The EPUB part by part: epubcheck clean, metadata, nav and landmarks, notes as pop-ups, every link resolving.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateBook } from '../bench/generate.js'
import { build } from '../src/build.js'
import { makeProject, tinyPng } from './helpers/project.js'
import { brokenLinks, htmlParts, parts, unpack } from './helpers/epub.js'
import { epubcheck } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

describe('EPUB of a book with chapters, images, tables and notes', () => {
  it('passes epubcheck and has its parts right', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-epub-'))
    await generateBook('small', dir)
    const result = await build({ inputs: [], to: ['epub'], cwd: dir, env, metadata: ['publisher=Galley Press', 'rights=CC BY 4.0', 'keywords=history', 'description=A test book.'] })
    const file = result.outputs[0]?.path ?? ''
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    const opf = files.get('EPUB/package.opf') ?? ''
    expect(opf).toMatch(/<dc:identifier id="pub-id">urn:uuid:[0-9a-f-]{36}<\/dc:identifier>/)
    expect(opf).toContain('<dc:language>en-US</dc:language>')
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>')
    expect(opf).toContain('<dc:publisher>Galley Press</dc:publisher>')
    expect(opf).toContain('<meta refines="#creator-1" property="role" scheme="marc:relators">aut</meta>')
    for (const property of ['accessMode', 'accessModeSufficient', 'accessibilityFeature', 'accessibilityHazard', 'accessibilitySummary']) {
      expect(opf).toContain(`<meta property="schema:${property}">`)
    }
    expect(opf).toMatch(/href="media\/images\/figure-1\.png" media-type="image\/png"/)
    expect(opf).toMatch(/href="fonts\/source-serif-4-400-normal\.ttf" media-type="font\/ttf"/)
    const chapters = [...files.keys()].filter((name) => /^EPUB\/chapter-\d+\.xhtml$/.test(name))
    expect(chapters).toHaveLength(2)
    expect(files.has('EPUB/bibliography.xhtml')).toBe(true)
    const nav = files.get('EPUB/nav.xhtml') ?? ''
    for (const landmark of ['cover', 'toc', 'bodymatter', 'bibliography']) expect(nav).toContain(`epub:type="${landmark}"`)
    expect(nav.match(/<li>/g)?.length).toBeGreaterThan(8)
    const chapter = files.get(chapters[0] ?? '') ?? ''
    expect(chapter).toMatch(/<a href="#fn-c1-1" id="fnref-c1-1" epub:type="noteref" role="doc-noteref">1<\/a>/)
    expect(chapter).toMatch(/<aside id="fn-c1-1" epub:type="footnote" role="doc-footnote">/)
    expect(chapters.some((name) => (files.get(name) ?? '').includes('<caption>'))).toBe(true)
    expect(brokenLinks(files)).toEqual([])
    // Reader CSS: no custom properties, no "--" inside comments.
    const css = files.get('EPUB/style.css') ?? ''
    expect(css).not.toMatch(/var\(--|^\s*--/m)
    expect([...css.matchAll(/\/\*([\s\S]*?)\*\//g)].some(([, comment]) => comment?.includes('--'))).toBe(false)
  })

  it('links numeric citations into the bibliography file', async () => {
    const refs = JSON.stringify([
      { id: 'a', type: 'book', title: 'First', author: [{ family: 'Ames', given: 'A' }], issued: { 'date-parts': [[2001]] } },
      { id: 'b', type: 'book', title: 'Second', author: [{ family: 'Bell', given: 'B' }], issued: { 'date-parts': [[2002]] } },
    ])
    const dir = makeProject({
      'one.md': '---\ntitle: Numeric\nbibliography: refs.json\ncsl: vancouver\nlink-citations: true\n---\n\n# One\n\nSee [@a; @b].\n',
      'two.md': '# Two\n\nAgain [@b].\n',
      'refs.json': refs,
      'cover.png': tinyPng,
    })
    const result = await build({ inputs: ['one.md', 'two.md'], to: ['epub'], cwd: dir, env, metadata: ['cover-image=cover.png'] })
    const file = result.outputs[0]?.path ?? ''
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    expect(files.get('EPUB/chapter-2.xhtml')).toMatch(/href="bibliography\.xhtml#ref-b"/)
    expect(files.get('EPUB/package.opf')).toContain('<item id="cover-image" href="cover.png" media-type="image/png" properties="cover-image"/>')
    expect(brokenLinks(files)).toEqual([])
  })

  it('the note-style sample: notes pop up in the chapter, the whole bibliography, epubcheck clean', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'galley-sample-epub-'))
    const result = await build({ inputs: ['manuscript/china-north-korea.md'], to: ['html', 'epub'], cwd: path.resolve(import.meta.dirname, '..'), outputDir: out, env })
    const file = result.outputs.find((output) => output.format === 'epub')?.path ?? ''
    const html = readFileSync(result.outputs.find((output) => output.format === 'html')?.path ?? '', 'utf8')
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    expect(brokenLinks(files)).toEqual([])
    expect(parts(files)).toEqual(htmlParts(html))
    expect(htmlParts(html).entries).toHaveLength(20)
  })

  it('a one-file book keeps its bibliography, notes and headings, every citation link resolving', async () => {
    const refs = JSON.stringify(['a', 'b', 'c'].map((id, n) => ({ id, type: 'book', title: `Book ${id}`, author: [{ family: `Author${id}`, given: 'A' }], issued: { 'date-parts': [[2000 + n]] } })))
    const dir = makeProject({
      'book.md': [
        '---\ntitle: One File\nbibliography: refs.json\nreference-section-title: References\nlink-citations: true\n---',
        '# First\n\nText [@a].[^1]\n\n[^1]: A note citing [@b].',
        '## A section\n\nMore [@b, p. 3].',
        '# Second\n\nText [@c].[^2]\n\n[^2]: Another note.',
      ].join('\n\n'),
      'refs.json': refs,
    })
    const result = await build({ inputs: ['book.md'], to: ['html', 'epub'], cwd: dir, env })
    const file = result.outputs.find((output) => output.format === 'epub')?.path ?? ''
    const html = readFileSync(result.outputs.find((output) => output.format === 'html')?.path ?? '', 'utf8')
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    expect(brokenLinks(files)).toEqual([])
    expect(htmlParts(html)).toEqual({ entries: ['ref-a', 'ref-b', 'ref-c'], notes: ['fn-1', 'fn-2'], headings: ['First', 'A section', 'Second', 'References'] })
    expect(parts(files)).toEqual(htmlParts(html))
  })
})

describe('EPUB stylesheet, NCX and landmarks as readers read them', () => {
  it('puts @namespace first, keeps the NCX to two levels, names the bibliography landmark as the book does, writes no empty description', async () => {
    const body = '# One\n\n## One.one\n\n### One.one.one\n\nText [@doe].\n\n# Two\n\nMore.\n'
    const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] } }])
    const dir = makeProject({ 'book.md': `---\ntitle: Levels\nbibliography: refs.json\nreference-section-title: Literatur\ntop-level-division: chapter\n---\n\n${body}`, 'refs.json': refs })
    const result = await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env })
    const file = result.outputs[0]?.path ?? ''
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    // Before any other rule, or CSS parsers drop it and the rules that use `epub|`.
    expect((files.get('EPUB/style.css') ?? '').replace(/\/\*[\s\S]*?\*\//g, '').trimStart()).toMatch(/^@namespace epub "http:\/\/www\.idpf\.org\/2007\/ops";\s*@font-face/)
    const ncx = files.get('EPUB/toc.ncx') ?? ''
    expect(ncx).toContain('One.one<')
    expect(ncx).not.toContain('One.one.one')
    expect(ncx).toContain('<meta name="dtb:depth" content="2"/>')
    expect(files.get('EPUB/nav.xhtml')).toContain('One.one.one') // The EPUB 3 nav keeps every level.
    expect(files.get('EPUB/nav.xhtml')).toMatch(/epub:type="bibliography">Literatur<\/a>/)
    expect(files.get('EPUB/package.opf')).not.toContain('<dc:description>')
  }, 60_000)

  it('writes its own words in the book\'s language, unless the author chose them', async () => {
    const dir = makeProject({ 'buch.md': '---\ntitle: Ein Buch\nlang: de-DE\ntoc: true\nnotes: endnotes\n---\n\n# Eins\n\nText.[^1]\n\n[^1]: Eine Anmerkung.\n' })
    const result = await build({ inputs: ['buch.md'], to: ['epub', 'html'], cwd: dir, env })
    const files = unpack(result.outputs.find((output) => output.format === 'epub')?.path ?? '')
    const nav = files.get('EPUB/nav.xhtml') ?? ''
    expect(nav).toContain('<h1>Inhalt</h1>')
    expect(nav).toMatch(/<h1>Orientierungspunkte<\/h1>.*epub:type="cover">Umschlag<\/a>.*epub:type="bodymatter">Textanfang<\/a>/s)
    const html = readFileSync(result.outputs.find((output) => output.format === 'html')?.path ?? '', 'utf8')
    expect(html).toContain('>Inhalt</h1>')
    expect(html).toContain('>Anmerkungen</h1>')
    const chosen = await build({ inputs: ['buch.md'], to: ['html'], cwd: dir, env, metadata: ['toc-title=Übersicht'], output: 'chosen.html' })
    expect(readFileSync(chosen.outputs[0]?.path ?? '', 'utf8')).toContain('>Übersicht</h1>')
  }, 60_000)
})
