// Citations beyond one golden file: Pandoc's locator rules, fatal bibliography errors with their place, whole books.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { loadBibliography } from '../src/citations/bibliography.js'
import { locatorTerms, splitSuffix } from '../src/citations/locators.js'
import { loadLocale, loadStyle } from '../src/citations/styles.js'
import { BibliographyError, StyleError } from '../src/errors.js'
import { mainHtml } from './helpers/fixtures.js'

const project = mkdtempSync(path.join(tmpdir(), 'galley-citations-'))

describe('locators, as Pandoc splits them', () => {
  const english = locatorTerms(loadLocale('en-US', project))
  // Each row was checked against `pandoc --citeproc` 2.17 with apa.csl, which prints the label it recognised.
  const cases: [string, ReturnType<typeof splitSuffix>][] = [
    [', p. 33', { locator: '33', label: 'page', suffix: '' }],
    [', pp. 33–35 and passim', { locator: '33–35', label: 'page', suffix: ' and passim' }],
    [', PP. 3', { locator: '3', label: 'page', suffix: '' }],
    [',33', { locator: '33', label: 'page', suffix: '' }],
    [' p. 4', { locator: '4', label: 'page', suffix: '' }],
    [', Chapter 4', { locator: '4', label: 'chapter', suffix: '' }],
    [', §§ 4-5', { locator: '4-5', label: 'section', suffix: '' }],
    [', ¶ 4', { locator: '4', label: 'paragraph', suffix: '' }],
    [', vv. 3', { locator: '3', label: 'verse', suffix: '' }],
    [', p. xii', { locator: 'xii', label: 'page', suffix: '' }],
    [', 33(1)(a)', { locator: '33(1)(a)', label: 'page', suffix: '' }],
    [', p. 33, 35 and 40', { locator: '33, 35', label: 'page', suffix: ' and 40' }],
    [', {pp. iv, vi–xi}', { locator: 'iv, vi–xi', label: 'page', suffix: '' }],
    [', sec. 4.2.1.', { locator: '4.2.1', label: 'section', suffix: '.' }],
    // No locator: a roman numeral needs a label, `ch.` is not an English term, `pp` needs its period.
    [', xii', { suffix: ', xii' }],
    [', ch. 2', { suffix: ', ch. 2' }],
    [', pp 3', { suffix: ', pp 3' }],
    // A suffix without a locator gets a comma unless it starts with a space or punctuation.
    ['and passim', { suffix: ', and passim' }],
    [' and passim', { suffix: ' and passim' }],
    ['', { suffix: '' }],
  ]
  for (const [suffix, expected] of cases) {
    it(JSON.stringify(suffix), () => {
      expect(splitSuffix(suffix, english)).toEqual(expected)
    })
  }

  it('uses the terms of the document language only', () => {
    const german = locatorTerms(loadLocale('de-DE', project), '', 'de-DE')
    expect(splitSuffix(', S. 33', german)).toEqual({ locator: '33', label: 'page', suffix: '' })
    expect(splitSuffix(', Kap. 2', german)).toEqual({ locator: '2', label: 'chapter', suffix: '' })
    expect(splitSuffix(', p. 33', german)).toEqual({ suffix: ', p. 33' })
    const french = locatorTerms(loadLocale('fr-FR', project), '', 'fr-FR')
    expect(splitSuffix(', p. 33', french)).toEqual({ locator: '33', label: 'page', suffix: '' })
    // `§` is both paragraph and section in French; Pandoc's order of precedence picks paragraph.
    expect(splitSuffix(', § 4', french)).toEqual({ locator: '4', label: 'paragraph', suffix: '' })
  })
})

describe('bibliography files that cannot be read', () => {
  const write = (name: string, text: string): string => {
    const file = path.join(project, name)
    writeFileSync(file, text)
    return file
  }
  const failure = async (files: string[]): Promise<BibliographyError> => {
    const error: unknown = await loadBibliography(files, [], { file: 'input.md' }).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(BibliographyError)
    return error as BibliographyError
  }

  it('malformed CSL-JSON: the message and the line and column', async () => {
    const file = write('broken.json', '[\n  {"id": "a", "type": "book"\n   "title": "T"}\n]\n')
    const error = await failure([file])
    expect(error.message).toBe("CSL-JSON does not parse: Expected ',' or '}' after property value")
    expect(error.place).toEqual({ file, line: 3, column: 4 })
  })

  it('malformed BibTeX: the message and the line and column', async () => {
    const file = write('broken.bib', '@book{knuth1984,\n  title = {Unclosed,\n  year = 1984\n')
    const error = await failure([file])
    expect(error.message).toBe('BibTeX does not parse: expected "text", got EOF')
    expect(error.place).toEqual({ file, line: 4, column: 1 })
  })

  it('malformed CSL-YAML: the message and the line and column', async () => {
    const file = write('broken.yaml', 'references:\n- id: a\n  title: [unclosed\n')
    const error = await failure([file])
    expect(error.message).toMatch(/^CSL-YAML does not parse: /)
    expect(error.place).toMatchObject({ file, line: 4 })
  })

  it('a file that does not exist, and one of an unknown kind', async () => {
    const missing = path.join(project, 'nowhere.json')
    expect((await failure([missing])).message).toBe("Cannot read the bibliography file: no such file")
    const odd = write('refs.txt', '')
    expect((await failure([odd])).message).toBe('Unknown bibliography format ".txt": use .json (CSL-JSON), .yaml (CSL-YAML) or .bib (BibTeX/BibLaTeX)')
  })

  it('an entry without an id', async () => {
    const file = write('noid.json', '[\n  {"id": "a", "type": "book"},\n  {"type": "book", "title": "No key"}\n]\n')
    const error = await failure([file])
    expect(error.message).toBe('Entry 2 has no "id" (the citation key)')
    expect(error.place).toEqual({ file, line: 3, column: 3 })
  })
})

describe('CSL-YAML dates as Pandoc reads them', () => {
  // pandoc 2.17 --citeproc prints these as 2020, 2019–2021, 2018, 2017 and 1850 (chicago-author-date).
  it('reads the older form, a list of date parts, and a map of them', async () => {
    const file = path.join(project, 'old-dates.yaml')
    writeFileSync(
      file,
      [
        'references:',
        '- {id: list, issued: [{year: 2020, month: 5}]}',
        '- {id: range, issued: [{year: 2019}, {year: 2021}]}',
        '- {id: map, issued: {year: 2018, month: 3, day: 2}}',
        "- {id: numerals, issued: [{year: '2017', month: '11'}]}",
        '- {id: circa, issued: [{year: 1850, circa: true}]}',
        '- {id: nonsense, issued: [{year: soon}]}',
      ].join('\n'),
    )
    const bibliography = await loadBibliography([file], [], { file: 'input.md' })
    const issued = (id: string): unknown => bibliography.items.get(id)?.issued
    expect(issued('list')).toEqual({ 'date-parts': [[2020, 5]] })
    expect(issued('range')).toEqual({ 'date-parts': [[2019], [2021]] })
    expect(issued('map')).toEqual({ 'date-parts': [[2018, 3, 2]] })
    expect(issued('numerals')).toEqual({ 'date-parts': [[2017, 11]] })
    expect(issued('circa')).toEqual({ 'date-parts': [[1850]], circa: true })
    expect(issued('nonsense')).toBeUndefined()
    expect(bibliography.issues.map((issue) => issue.reason)).toEqual(['Entry "nonsense": "issued" must be a date such as {"date-parts": [[2020, 5, 17]]}; ignored'])
  })
})

describe('CSL-YAML names and fields as Pandoc reads them', () => {
  // pandoc 2.17 --citeproc (chicago-author-date) prints "Doe, John. n.d.", "John Smith. n.d.", "brtw. n.d." and "Roe,
  // Ann, and Public Health Agency, eds." for these, and the lower-case `doi` as the entry's DOI.
  const yaml = [
    'references:',
    '- {id: oneMap, title: A, author: {family: Doe, given: John}}',
    '- {id: oneString, title: B, author: John Smith}',
    '- {id: strings, title: C, author: [brtw]}',
    '- {id: mixed, title: D, editor: [{family: Roe, given: Ann}, Public Health Agency]}',
    '- {id: lowerUrl, title: E, url: "https://example.org/e", doi: 10.1000/e}',
  ].join('\n')

  it('takes one name for a list of one and a name written as text for a literal name', async () => {
    const file = path.join(project, 'names.yaml')
    writeFileSync(file, yaml)
    const bibliography = await loadBibliography([file], [], { file: 'input.md' })
    const field = (id: string, name: string): unknown => bibliography.items.get(id)?.[name]
    expect(field('oneMap', 'author')).toEqual([{ family: 'Doe', given: 'John' }])
    expect(field('oneString', 'author')).toEqual([{ literal: 'John Smith' }])
    expect(field('strings', 'author')).toEqual([{ literal: 'brtw' }])
    expect(field('mixed', 'editor')).toEqual([{ family: 'Roe', given: 'Ann' }, { literal: 'Public Health Agency' }])
    expect(bibliography.issues).toEqual([])
  })

  it('reads the front matter\'s references the same way', async () => {
    const inline = (await import('yaml')).parse(yaml).references as unknown[]
    const bibliography = await loadBibliography([], inline, { file: 'input.md' })
    expect(bibliography.items.get('oneMap')?.['author']).toEqual([{ family: 'Doe', given: 'John' }])
    expect(bibliography.items.get('oneString')?.['author']).toEqual([{ literal: 'John Smith' }])
  })

  it('reads a name part written as a list or a number as text, as Pandoc does ("Author, Ann Beth", "1984, 7"), not stopping citeproc', async () => {
    const inline = [
      { id: 'listGiven', title: 'A', author: { family: 'Author', given: ['Ann', 'Beth'] } },
      { id: 'numbers', title: 'B', author: [{ family: 1984, given: 7 }] },
    ]
    const bibliography = await loadBibliography([], inline, { file: 'input.md' })
    expect(bibliography.items.get('listGiven')?.['author']).toEqual([{ family: 'Author', given: 'Ann Beth' }])
    expect(bibliography.items.get('numbers')?.['author']).toEqual([{ family: '1984', given: '7' }])
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-name-parts-'))
    writeFileSync(path.join(dir, 'in.md'), `---\ntitle: T\nreferences:\n- {id: a, title: A, type: book, author: {family: Author, given: [Ann]}}\n---\n\n[@a]\n`)
    await build({ inputs: ['in.md'], to: ['html'], output: path.join(dir, 'out.html'), cwd: dir, noCache: true })
    expect(mainHtml(readFileSync(path.join(dir, 'out.html'), 'utf8')).replaceAll('\u00AD', '')).toMatch(/Author, Ann\./)
  })

  it('reads text fields as inline Markdown, as Pandoc reads metadata, and prints them in the bibliography', async () => {
    const entry = { id: 'md', type: 'book', title: 'On *Homo sapiens* and ^2^H: a **bold** [small]{.smallcaps} study of [DNA]{.nocase}', publisher: 'Oxford *University* Press', URL: 'https://example.org/a_b_c*', author: { family: 'Doe', given: 'Jane' } }
    const bibliography = await loadBibliography([], [entry], { file: 'input.md' })
    const item = bibliography.items.get('md')
    expect(item?.['title']).toBe('On <i>Homo sapiens</i> and <sup>2</sup>H: a <b>bold</b> <span style="font-variant:small-caps;">small</span> study of <span class="nocase">DNA</span>')
    expect(item?.['publisher']).toBe('Oxford <i>University</i> Press')
    expect(item?.['URL']).toBe('https://example.org/a_b_c*')
    // Keys and numbers as plain text (Pandoc's test/command/pandoc-citeproc-*: `timmory\\_\\_justice`, `1140--1213`), quotes curled.
    const plain = await loadBibliography([], [{ id: 'timmory\\_\\_justice', page: '1140--1213', title: "Book's \"Title\" \\[u.a.\\] \\#1" }], { file: 'input.md' })
    expect([...plain.items.keys()]).toEqual(['timmory__justice'])
    expect(plain.items.get('timmory__justice')?.['page']).toBe('1140–1213')
    expect(plain.items.get('timmory__justice')?.['title']).toBe('Book’s “Title” [u.a.] #1')
    // CSL-JSON keeps its own markup: a star is a star.
    const file = path.join(project, 'stars.json')
    writeFileSync(file, JSON.stringify([{ id: 'json', title: 'A *starred* title' }]))
    expect((await loadBibliography([file], [], { file: 'input.md' })).items.get('json')?.['title']).toBe('A *starred* title')
    // Pandoc 2.17 (chicago-author-date): "Doe, Jane. 2001. <em>On <em>Homo Sapiens</em> and <sup>2</sup>H: A <strong>Bold</strong>
    // <span class="smallcaps">small</span> Study of <span class="nocase">DNA</span></em>. Oxford <em>University</em> Press."
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-yaml-markdown-'))
    writeFileSync(path.join(dir, 'in.md'), `---\ntitle: T\nreferences:\n- id: md\n  type: book\n  author: {family: Doe, given: Jane}\n  issued: 2001\n  title: "${entry.title}"\n  publisher: "${entry.publisher}"\n---\n\n[@md]\n`)
    await build({ inputs: ['in.md'], to: ['html'], output: path.join(dir, 'out.html'), cwd: dir, noCache: true })
    const html = mainHtml(readFileSync(path.join(dir, 'out.html'), 'utf8')).replaceAll('\u00AD', '')
    expect(html).toContain('Doe, Jane. 2001. <i>On <span style="font-style:normal;">Homo Sapiens</span> and <sup>2</sup>H: A <b>Bold</b> <span style="font-variant:small-caps;">small</span> Study of DNA</i>. Oxford <i>University</i> Press.')
    expect(html).not.toMatch(/\*|\^2\^|\{\.smallcaps\}/)
  })

  it('reads url, doi and the other upper-case variables in any case', async () => {
    const bibliography = await loadBibliography([], [{ id: 'lowerUrl', url: 'https://example.org/e', Doi: '10.1000/e' }], { file: 'input.md' })
    expect(bibliography.items.get('lowerUrl')).toEqual({ id: 'lowerUrl', URL: 'https://example.org/e', DOI: '10.1000/e' })
  })

  it('reads a string in a CSL-JSON name list as citeproc does, family || given', async () => {
    const file = path.join(project, 'names.json')
    writeFileSync(file, JSON.stringify([{ id: 'cheater', author: ['Doe || Jane', 'Plato'] }, { id: 'object', author: { family: 'Doe' } }]))
    const bibliography = await loadBibliography([file], [], { file: 'input.md' })
    expect(bibliography.items.get('cheater')?.['author']).toEqual([{ family: 'Doe', given: 'Jane' }, { family: 'Plato' }])
    // Not a list: pandoc stops on it; Galley leaves the field out and says so, as before.
    expect(bibliography.issues.map((issue) => issue.reason)).toEqual(['Entry "object": "author" must be a list of names such as {"family": "Doe", "given": "Jane"}; ignored'])
  })
})

describe('styles and locales', () => {
  it('a dependent style is replaced by its parent', () => {
    const style = loadStyle('accounting-forum', project)
    expect(style.name).toBe('apa')
  })

  it('an unknown style name says where Galley looked', () => {
    expect(() => loadStyle('no-such-style', project)).toThrow(StyleError)
    expect(() => loadStyle('no-such-style', project)).toThrow(/CSL style "no-such-style" not found in the project's styles\//)
  })

  it('a region without a locale uses the language; an unknown language has none', () => {
    expect(loadLocale('de-LU', project)).toMatch(/xml:lang="de-DE"/)
    expect(loadLocale('fr', project)).toMatch(/xml:lang="fr-FR"/)
    expect(loadLocale('xx-YY', project)).toBeUndefined()
  })
})

describe('the author part of a narrative citation', () => {
  it('leaves out the space a style puts after the author for the year (Pandoc: "Doe¹", "Doe (2000)")', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-author-space-'))
    const names = '<names variable="author" suffix="&#160;"><name form="short"/></names>'
    const style = (cls: string, layout: string): string =>
      `<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="${cls}" version="1.0"><info><title>S</title><id>s</id><updated>2026-12-07T00:00:00+00:00</updated></info>` +
      `<citation><layout ${layout}>${names}<date variable="issued"><date-part name="year"/></date></layout></citation></style>`
    writeFileSync(path.join(dir, 'note.csl'), style('note', 'suffix="."'))
    writeFileSync(path.join(dir, 'in-text.csl'), style('in-text', 'prefix="(" suffix=")"'))
    writeFileSync(path.join(dir, 'refs.json'), JSON.stringify([{ id: 'doe', type: 'book', title: 'A', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2000]] } }]))
    const html = async (csl: string): Promise<string> => {
      writeFileSync(path.join(dir, 'in.md'), `---\ntitle: T\nbibliography: refs.json\ncsl: ${csl}\n---\n\nSo @doe says.\n`)
      const out = path.join(dir, `${csl}.html`)
      await build({ inputs: ['in.md'], to: ['html'], output: out, cwd: dir, noCache: true })
      return mainHtml(readFileSync(out, 'utf8'))
    }
    expect(await html('note.csl')).toMatch(/>Doe<sup>/)
    expect(await html('in-text.csl')).toMatch(/>Doe \(2000\)</)
  })
})

describe('a book of several chapters is one citation sequence', () => {
  const book = (style: string, chapters: string[]): Promise<string> => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-book-'))
    writeFileSync(path.join(dir, 'refs.json'), readFileSync(path.join(import.meta.dirname, 'fixtures', 'chicago-fullnote-notes', 'refs.json')))
    const inputs = chapters.map((text, index) => {
      const name = `ch${index + 1}.md`
      const front = index === 0 ? `---\ntitle: Book\nbibliography: refs.json\ncsl: ${style}\n---\n\n` : ''
      writeFileSync(path.join(dir, name), front + text)
      return name
    })
    const out = path.join(dir, 'book.html')
    const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
    return build({ inputs, to: ['html'], output: out, cwd: dir, env }).then(() => mainHtml(readFileSync(out, 'utf8')))
  }

  it('ibid and note numbers carry on into the next chapter', async () => {
    const html = await book('chicago-fullnote-bibliography-with-ibid', [
      '# One\n\nFirst [@doe2020, 3]. A note.[^1] Last [@smith2021a].\n\n[^1]: A plain note.\n',
      '# Two\n\nAgain [@smith2021a, 4]. Its own note.[^1] Back [@doe2020, 3].\n\n[^1]: Another plain note.\n',
    ])
    const notes = [...html.matchAll(/<li id="([^"]+)">\s*<p>(.*?) <a href/g)].map((match) => [match[1], match[2]])
    expect(notes).toEqual([
      ['fn-galley-citation-1', 'Jane Doe, <i>The Book of Things</i> (Oxford: Fictional Press, 2020), 3.'],
      ['fn-c1-1', 'A plain note.'],
      ['fn-galley-citation-2', 'Ann Smith, “Counting Sheep” (Boston: Institute of Sleep, May 17, 2021).'],
      ['fn-galley-citation-3', 'Ibid., 4.'],
      ['fn-c2-1', 'Another plain note.'],
      // Not "Ibid.": a note without citations comes between (Pandoc agrees).
      ['fn-galley-citation-4', 'Doe, <i>The Book of Things</i>, 3.'],
    ])
    const numbers = [...html.matchAll(/aria-describedby="footnote-label">(\d+)</g)].map((match) => match[1])
    expect(numbers).toEqual(['1', '2', '3', '4', '5', '6'])
  })

  it('reads a table caption before its cells, for note numbers and for citeproc alike', async () => {
    const html = await book('chicago-fullnote-bibliography-with-ibid', [
      '# One\n\n| Source |\n|---|\n| As in [@doe2020, 3]. |\n\nTable: Counts, after [@smith2021a].\n\nThen [@doe2020, 3].\n',
    ])
    const notes = [...html.matchAll(/<li id="([^"]+)">\s*<p>(.*?) <a href/g)].map((match) => match[2])
    // The caption's note is 1 and the cell's 2, and so the last note is "Ibid." of the cell's.
    expect(notes).toEqual([
      'Ann Smith, “Counting Sheep” (Boston: Institute of Sleep, May 17, 2021).',
      'Jane Doe, <i>The Book of Things</i> (Oxford: Fictional Press, 2020), 3.',
      'Ibid.',
    ])
    expect(html.indexOf('<caption>')).toBeLessThan(html.indexOf('<td'))
  })

  it('formats citations in a figure caption, with its markup, as Pandoc does', async () => {
    const image = 'data:image/png;base64,iVBORw0KGgo='
    const dated = await book('chicago-author-date', [`# One\n\n![A *map*, after\n@doe2020 [p. 3].](${image})\n\nText [@smith2021a].\n`])
    // Pandoc 2.17 writes the same caption, and the caption's text as the image's description.
    expect(dated).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="A map, after Doe (2020, 3).">')
    expect(dated).toContain('<figcaption>A <em>map</em>, after\n<span class="citation" data-cites="doe2020">Doe (2020, 3)</span>.</figcaption>')
    // In a note style the caption's citation is a note, numbered in reading order.
    const notes = await book('chicago-fullnote-bibliography-with-ibid', [`# One\n\nFirst [@smith2021a].\n\n![Source: @doe2020 [p. 3].](${image})\n\nThen [@doe2020, 3].\n`])
    expect([...notes.matchAll(/<li id="([^"]+)">\s*<p>(.*?) <a href/g)].map((match) => match[2])).toEqual([
      'Ann Smith, “Counting Sheep” (Boston: Institute of Sleep, May 17, 2021).',
      // A narrative citation: the author in the caption, the rest in the note, as Pandoc 2.17 writes it.
      '<i>The Book of Things</i> (Oxford: Fictional Press, 2020), 3.',
      'Ibid.',
    ])
    // The period moves before the note mark, as in running text (Pandoc 2.17 leaves it after the mark here).
    expect(notes).toMatch(/<figcaption>Source: <span class="citation" data-cites="doe2020">Jane Doe\.<sup><a href="#fn-galley-citation-2"/)
    // The description leaves the note mark out, as Pandoc's does.
    expect(notes).toContain('alt="Source: Jane Doe."')
  })

  it('keeps the citations of a figure whose image is refused, in its caption in brackets, as Pandoc keeps the caption', async () => {
    const html = await book('chicago-fullnote-bibliography-with-ibid', ['# One\n\nFirst [@doe2020, 3].\n\n![Source: [@smith2021a].](none.png)\n\nThen [@doe2020, 3].\n'])
    expect([...html.matchAll(/<li id="([^"]+)">\s*<p>(.*?) <a href/g)].map((match) => match[2])).toEqual([
      'Jane Doe, <i>The Book of Things</i> (Oxford: Fictional Press, 2020), 3.',
      'Ann Smith, “Counting Sheep” (Boston: Institute of Sleep, May 17, 2021).',
      'Doe, <i>The Book of Things</i>, 3.',
    ])
    // The period goes before the note mark, as after any citation that becomes a note.
    expect(html).toMatch(/<p><em class="missing-resource">\[Source:\.<span class="citation" data-cites="smith2021a"><sup><a href="#fn-galley-citation-2"[^>]*>2<\/a><\/sup><\/span>\]<\/em><\/p>/)
  })

  it('puts the note mark of a narrative citation after the punctuation that follows it', async () => {
    const html = await book('chicago-fullnote-bibliography', ['# One\n\nAs @doe2020 argues, it holds. So says @smith2021a [p. 4]. Then [@doe2019], and more.\n'])
    const text = /<p>As (.*?)<\/p>/.exec(html)?.[1]?.replace(/<a [^>]*>|<\/a>|<span [^>]*>|<\/span>/g, '')
    // A known difference from Pandoc 2.17, which writes "Ann Smith<sup>2</sup>." here: it moves punctuation before
    // the notes of bracketed citations only. Galley applies the one rule to both, as Chicago places note numbers
    // (after any punctuation mark but a dash).
    expect(text).toBe('Jane Doe<sup>1</sup> argues, it holds. So says Ann Smith.<sup>2</sup> Then,<sup>3</sup> and more.')
  })

  it('keeps a continued narrative citation in the order written in a sorting style', async () => {
    const html = await book('apa', ['# One\n\nAs @smith2021a [p. 3; @doe2020] says.\n'])
    expect(html).toContain('<span class="citation" data-cites="smith2021a doe2020">Smith (2021, p. 3; Doe, 2020)</span>')
  })

  it('numbers by first citation across chapters, with disambiguation over the whole book', async () => {
    const html = await book('ieee', ['# One\n\n[@lee2018] and [@doe2020].\n', '# Two\n\n[@doe2020; @lee2018; @smith2021a].\n'])
    expect([...html.matchAll(/<span class="citation"[^>]*>(.*?)<\/span>/g)].map((match) => match[1])).toEqual(['[1]', '[2]', '[1]–[3]'])
    const dated = await book('chicago-author-date', ['# One\n\n[@doe2020]\n', '# Two\n\n[@doe2020b]\n'])
    expect([...dated.matchAll(/<span class="citation"[^>]*>(.*?)<\/span>/g)].map((match) => match[1])).toEqual(['(Doe 2020a)', '(Doe 2020b)'])
  })
})
