// BibTeX read as Pandoc 2.17 reads it: case protection, sentence case, names, types; checked against pandoc itself.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import * as adapter from '../src/citations/citation-js.js'
import { bibtexToCsl, convertTitle, markBraces } from '../src/citations/bibtex.js'

const fixture = path.join(import.meta.dirname, 'fixtures', 'bibtex-as-pandoc-reads-it')
const refs = readFileSync(path.join(fixture, 'refs.bib'), 'utf8')

function itemsOf(text: string, lang = 'en-US'): Map<string, Record<string, unknown>> {
  const items = bibtexToCsl(text, adapter, { lang }) as Record<string, unknown>[]
  return new Map(items.map((item) => [String(item['id']), item]))
}

describe('BibTeX titles', () => {
  const items = itemsOf(refs)
  it('keeps braced words as written and protects those with a lower-case word from title case', () => {
    expect(items.get('faouzi2020')?.['title']).toBe('<span class="nocase">pyts</span>: A Python package for time series classification')
    expect(items.get('bornstein2008')?.['title']).toBe('<span class="nocase">LibSBML: An API library for SBML</span>')
  })
  it('turns English title case into sentence case (the style title-cases it again, with its stop words)', () => {
    expect(items.get('fousse2007')?.['title']).toBe('The GNU MPFR library: A multiple-precision binary floating-point library with correct rounding')
    expect(items.get('hillebrand2018')?.['title']).toBe('Climate change: Warming impacts on marine biodiversity in <i>Real-Time</i> and Österreich')
  })
  it('leaves titles of another language as written', () => {
    expect(items.get('mueller2001')?.['title']).toBe('Die Geschichte der Stadt')
    expect(itemsOf(refs, 'de-DE').get('fousse2007')?.['title']).toBe('The GNU MPFR Library: A Multiple-Precision Binary Floating-Point Library With Correct Rounding')
  })
  it('gives the short title before the colon, as Pandoc does', () => {
    expect(items.get('faouzi2020')?.['title-short']).toBe('<span class="nocase">pyts</span>')
    expect(items.get('mueller2001')?.['title-short']).toBeUndefined()
  })
  it('marks groups, not command arguments', () => {
    expect(markBraces('{pyts}: \\emph{Foo} {\\"O}l \\href{a}{b}')).toBe('\uE000{pyts}\uE001: \\emph{Foo} \uE000{\\"O}\uE001l \\href{a}{b}')
    // As pandoc: `title={Of E. Coli in {T}he Sea: the End}` gives "Of e. Coli in The sea: The end".
    expect(convertTitle('\uE002Of E. Coli in \uE000T\uE001he Sea: the End', true)).toBe('Of e. Coli in The sea: The end')
  })
})

describe('BibTeX values', () => {
  it('reads a bare number as its text (`number = 10`), which made the whole file fail to parse', () => {
    const item = itemsOf('@article{w, title = {T}, author = {Doe, Jane}, number = 10, volume = 3, year = 2014}').get('w')
    expect(item?.['issue']).toBe('10')
    expect(item?.['volume']).toBe('3')
    expect(item?.['issued']).toEqual({ 'date-parts': [[2014]] })
  })
})

describe('BibTeX names', () => {
  const items = itemsOf(refs)
  it('spaces initials written together', () => {
    expect(items.get('bornstein2008')?.['author']).toEqual([
      { family: 'Bornstein', given: 'Benjamin J.' },
      { family: 'Keating', given: 'Sarah M.' },
      { family: 'Schafer', given: 'R. D.' },
      { family: 'Hunter', given: 'J. D.' },
    ])
  })
  it('keeps a braced family name whole, particle and all', () => {
    expect(items.get('heesch1997')?.['author']).toEqual([{ family: 'van Heesch', given: 'D.', 'parse-names': false }])
    expect(items.get('hillebrand2018')?.['author']).toEqual([{ family: 'Brito da Silva', given: 'Leonardo Enzo', 'parse-names': false }])
  })
  it('makes von parts dropping particles (BibLaTeX without useprefix)', () => {
    expect(items.get('zed1999')?.['author']).toEqual([{ family: 'Beethoven', given: 'Ludwig', 'dropping-particle': 'van' }, { family: 'Zed', given: 'Anna' }])
    expect(itemsOf('@book{u, author={van Beethoven, Ludwig}, options={useprefix=true}, title={X}, year={1}}').get('u')?.['author']).toEqual([
      { family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' },
    ])
  })
  it('reads braced first letters as Pandoc does', () => {
    expect(items.get('fousse2007')?.['author']).toEqual([{ family: 'Fousse', given: 'Laurent' }, { family: 'McKinney', 'dropping-particle': 'Wes' }])
  })
})

describe('BibTeX entry types', () => {
  const items = itemsOf(refs)
  it('types @manual as a book, with its number', () => {
    expect(items.get('fousse2007')).toMatchObject({ type: 'book', number: 'RR-5753', publisher: 'INRIA' })
  })
  it('gives theses their genre and no genre to other types', () => {
    expect(items.get('uhlmann1995')).toMatchObject({ type: 'thesis', genre: 'PhD thesis' })
    expect(items.get('hillebrand2018')?.['genre']).toBeUndefined()
  })
  it('ignores a booktitle outside a part of a book', () => {
    expect(items.get('hillebrand2018')?.['container-title']).toBeUndefined()
  })
})

/** Made-up entries with every field Pandoc puts in the publisher, alone and together. */
const publishers = `@misc{howOnly, title={T}, author={Doe, J}, year=2000, howpublished={Privately printed}}
@misc{howAndPublisher, title={T}, author={Doe, J}, year=2000, organization={Org.}, howpublished={Online}, publisher={Pub}}
@misc{howUrl, title={T}, author={Doe, J}, year=2000, howpublished={\\url{https://example.org/a_b}}, publisher={GitHub}}
@online{howUrlAndUrl, title={T}, author={Doe, J}, year=2000, howpublished={\\url{https://example.org/a}}, url={https://example.org/b}}
@techreport{institutions, title={T}, author={Doe, J}, year=2000, institution={Inst A and {B and C}}, publisher={Pub}}
@manual{organization, title={T}, author={Doe, J}, year=2000, organization={R Core Team}, publisher={R Foundation}}`

describe('BibTeX publisher fields', () => {
  const items = itemsOf(publishers)
  it('joins school, institution, organization, howpublished and publisher as Pandoc does', () => {
    expect(items.get('howOnly')?.['publisher']).toBe('Privately printed')
    expect(items.get('howAndPublisher')?.['publisher']).toBe('Org. Online; Pub')
    expect(items.get('institutions')?.['publisher']).toBe('Inst A; B and C; Pub')
    expect(items.get('organization')?.['publisher']).toBe('R Core Team; R Foundation')
  })
  it('prints a URL in howpublished as the publisher, and takes the URL only from url', () => {
    expect(items.get('howUrl')).toMatchObject({ publisher: 'https://example.org/a_b; GitHub' })
    expect(items.get('howUrl')?.['URL']).toBeUndefined()
    expect(items.get('howUrlAndUrl')).toMatchObject({ publisher: 'https://example.org/a', URL: 'https://example.org/b' })
  })
  it.skipIf(spawnSync('pandoc', ['--version']).status !== 0)('gives the publisher and URL pandoc -f biblatex gives', () => {
    const pandoc = spawnSync('pandoc', ['-f', 'biblatex', '-t', 'csljson'], { input: publishers, encoding: 'utf8' })
    const theirs = JSON.parse(pandoc.stdout) as Record<string, unknown>[]
    for (const item of theirs) {
      const mine = items.get(String(item['id']))
      expect([item['id'], mine?.['publisher'], mine?.['URL']]).toEqual([item['id'], item['publisher'], item['URL']])
    }
  })
})

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0

/** Bibliography entries of an HTML page, by id, as plain text. */
function entries(html: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const match of html.matchAll(/<div id="ref-([^"]+)" class="csl-entry"[^>]*>([\s\S]*?)<\/div>/g)) {
    const text = (match[2] ?? '').replace(/<[^>]+>/g, '').replace(/\u00ad/g, '').replace(/&#x26;|&amp;/g, '&').replace(/\s+/g, ' ').trim()
    found.set(match[1] ?? '', text)
  }
  return found
}

describe.skipIf(!hasPandoc)('BibTeX against pandoc --citeproc', () => {
  it('gives the same bibliography, entry for entry and in the same order', async () => {
    const csl = '/usr/share/citation-style-language/styles/chicago-author-date.csl'
    const pandoc = spawnSync('pandoc', ['input.md', '--citeproc', '--csl', csl, '-t', 'html'], { cwd: fixture, encoding: 'utf8' })
    expect(pandoc.status).toBe(0)
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'galley-bibtex-')), 'out.html')
    await build({ inputs: ['input.md'], cwd: fixture, to: ['html'], output: out, noCache: true, earlyCiteproc: false, metadata: ['csl=chicago-author-date'] })
    const expected = entries(pandoc.stdout)
    const actual = entries(readFileSync(out, 'utf8'))
    expect(expected.size).toBe(9)
    expect([...actual]).toEqual([...expected])
  })
})
