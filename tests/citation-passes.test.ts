// The citations stage's passes alone, tree in and tree (or requests) out: the requests for citeproc read from the
// book (Pandoc's first walk), each citation's text in place (`insertResolvedCitations`), `deNote` and `addNote`,
// `mvPunct`, and the bibliography put in place (Pandoc's `insertRefs`).
import type { ElementContent } from 'hast'
import type { Paragraph, Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import type { Bibliography, CslItem } from '../src/citations/bibliography.js'
import type { FormattedDocument } from '../src/citations/csl-engine.js'
import { insertInText, type Context } from '../src/citations/insert.js'
import { locatorTerms } from '../src/citations/locators.js'
import { addNote, deNote } from '../src/citations/notes.js'
import { mvPunctAfterAuthor, mvPunctBeforeNote, takePunctuation } from '../src/citations/punctuation.js'
import { insertRefs } from '../src/citations/refs.js'
import { citationRequests, type Found } from '../src/citations/requests.js'
import { loadLocale } from '../src/citations/styles.js'
import { parseBook } from '../src/pipeline.js'

const item = (id: string): CslItem => ({ id, type: 'book', title: `Title ${id}`, issued: { 'date-parts': [[2020]] } }) as CslItem
const bibliography: Bibliography = { items: new Map(['doe', 'roe', 'poe', 'lee'].map((id) => [id, item(id)])), issues: [] }
const terms = locatorTerms(loadLocale('en-US', process.cwd()))

async function book(markdown: string): Promise<{ tree: Root; file: VFile }> {
  const file = new VFile({ path: 'ms.md', value: markdown })
  return { tree: (await parseBook([file], process.cwd())).book, file }
}

describe('citationRequests', () => {
  const text = [
    '@doe [p. 3] says so,[^n] and [see @roe; @gone, 12].',
    '',
    '[^n]: A note citing [@doe, chap. 2; @roe].',
    '',
    'Later [@roe, pp. 4--5, and more; @doe] and @doe again.',
    '',
  ].join('\n')

  it('reads every citation in reading order, a footnote where it is first referenced, as clusters with note numbers', async () => {
    const { tree, file } = await book(text)
    const requests = citationRequests(tree, file, { bibliography, terms, nocite: ['@poe', '@nobody'], noteStyle: true })
    expect(requests.clusters).toEqual([
      { id: 'c0', items: [{ id: 'doe', suppressAuthor: true, locator: '3', label: 'page' }], noteIndex: 1 },
      { id: 'c1', items: [{ id: 'doe', suppressAuthor: false, locator: '2', label: 'chapter' }, { id: 'roe', suppressAuthor: false }], noteIndex: 2 },
      { id: 'c2', items: [{ id: 'roe', suppressAuthor: false, prefix: 'see ' }], noteIndex: 3 },
      // A suffix ends a run of cites that the style may sort (`sortGroup`); a range's dash goes back to a hyphen.
      { id: 'c3', items: [{ id: 'roe', suppressAuthor: false, locator: '4-5', label: 'page', suffix: ', and more', sortGroup: 0 }, { id: 'doe', suppressAuthor: false, sortGroup: 1 }], noteIndex: 4 },
      { id: 'c4', items: [{ id: 'doe', suppressAuthor: true }], noteIndex: 5 },
    ])
    // The author parts: the first narrative citation of an entry in full, a later one subsequent.
    expect([...requests.authors.entries()].map(([found, request]) => [found.node.items[0]?.key, request.subsequent])).toEqual([
      ['doe', false],
      ['doe', true],
    ])
    expect([...requests.cited]).toEqual(['doe', 'roe'])
    expect(requests.uncited).toEqual(['poe'])
    expect(file.messages.map((message) => [message.ruleId, message.reason])).toEqual([
      ['missing-citation-key', 'Citation key "gone" not found'],
      ['missing-citation-key', 'nocite key "nobody" not found in the bibliography'],
    ])
  })

  it('numbers only footnotes in an author-date style: citations in running text have note 0', async () => {
    const { tree, file } = await book(text)
    const requests = citationRequests(tree, file, { bibliography, terms, nocite: [], noteStyle: false })
    expect(requests.clusters.map((cluster) => cluster.noteIndex)).toEqual([0, 1, 0, 0, 0])
  })
})

describe('insertRefs', () => {
  const formatted: FormattedDocument = {
    clusters: new Map(),
    bibliography: [
      { id: 'doe', html: '<div class="csl-entry">Doe, Jo. 2020. <i>Title</i>. https://example.org/doe.</div>' },
      { id: 'roe', html: '<div class="csl-entry">Roe, Ri. 2019.</div>' },
    ],
    hangingIndent: true,
    secondFieldAlign: undefined,
  }

  it("fills the author's refs div after what is written in it, with links made of bare URLs", async () => {
    const { tree } = await book('Text.\n\n::: {#refs .mine}\n# Works cited\n:::\n')
    insertRefs(tree, formatted, { linkBibliography: true, referenceSectionTitle: 'References' })
    const chapter = tree.children[0]
    const div = chapter && 'children' in chapter ? chapter.children[1] : undefined
    expect(div?.data?.hProperties).toEqual({ id: 'refs', className: ['mine', 'references', 'csl-bib-body', 'hanging-indent'], role: 'list' })
    expect(div && 'children' in div ? div.children.map((child) => child.type) : []).toEqual(['heading', 'fencedDiv', 'fencedDiv'])
    const entry = div && 'children' in div ? div.children[1] : undefined
    expect(entry?.data?.hProperties).toEqual({ id: 'ref-doe', className: ['csl-entry'], role: 'listitem' })
    expect(entry?.data?.hChildren).toEqual([
      { type: 'text', value: 'Doe, Jo. 2020. ' },
      { type: 'element', tagName: 'i', properties: {}, children: [{ type: 'text', value: 'Title' }] },
      { type: 'text', value: '. ' },
      { type: 'element', tagName: 'a', properties: { href: 'https://example.org/doe' }, children: [{ type: 'text', value: 'https://example.org/doe' }] },
      { type: 'text', value: '.' },
    ])
  })

  it('puts the bibliography after the chapters, under the reference section title, when there is no refs div', async () => {
    const { tree } = await book('Text.\n')
    insertRefs(tree, formatted, { linkBibliography: false, referenceSectionTitle: 'References' })
    expect(tree.children.map((child) => child.type)).toEqual(['chapter', 'heading', 'fencedDiv'])
    expect(tree.children[1]).toMatchObject({ type: 'heading', depth: 1, children: [{ type: 'text', value: 'References' }] })
  })
})

/** The citations found in a book, for the passes after citeproc. */
async function found(markdown: string, noteStyle: boolean): Promise<{ tree: Root; citations: Found[] }> {
  const { tree, file } = await book(markdown)
  return { tree, citations: citationRequests(tree, file, { bibliography, terms, nocite: [], noteStyle }).found }
}

const context: Context = {
  layout: { prefix: '', suffix: '', delimiter: '; ', sorted: false },
  noteStyle: true,
  link: false,
  keepsPeriod: (text) => text.toLowerCase().endsWith('ibid.'),
  moveNotes: true,
  moveSuperscripts: false,
  punctuationInQuote: true,
  ibid: 'ibid.',
  linkUrls: false,
}
const text = (value: string): ElementContent => ({ type: 'text', value })
/** The first paragraph of the first chapter, or of a footnote. */
const paragraphOf = (parent: { children: unknown[] } | undefined): Paragraph | undefined => parent?.children.find((child): child is Paragraph => (child as Paragraph).type === 'paragraph')

describe('addNote', () => {
  it('makes a citation in running text a footnote, its reference in place of the space, the comma moved before it', async () => {
    const { tree, citations } = await found('Text [@doe], more.\n', true)
    const [citation] = citations
    if (!citation) throw new Error('no citation')
    const note = addNote(citation, 0, [text('doe, Title, 3.')], undefined, context)
    expect(note).toEqual({ type: 'footnoteDefinition', identifier: 'galley-citation-1', label: 'galley-citation-1', children: [{ type: 'paragraph', children: [], data: { hChildren: [text('Doe, Title, 3.')] } }] })
    const paragraph = paragraphOf(tree.children[0] as { children: unknown[] })
    expect(paragraph?.children.map((child) => (child.type === 'text' ? child.value : child.type))).toEqual(['Text', ',', 'emphasis', ' more.'])
    expect(paragraph?.children[2]).toMatchObject({ children: [{ type: 'footnoteReference', identifier: 'galley-citation-1' }], data: { hName: 'span', hProperties: { className: ['citation'], dataCites: 'doe' } } })
  })

  it('keeps a narrative citation\'s author in the text, with the punctuation after it, before the reference', async () => {
    const { tree, citations } = await found('As @doe. Then.\n', true)
    const [citation] = citations
    if (!citation) throw new Error('no citation')
    addNote(citation, 0, [text('Title, 3.')], 'Jo Doe', context)
    const paragraph = paragraphOf(tree.children[0] as { children: unknown[] })
    expect(paragraph?.children.map((child) => child.type)).toEqual(['text', 'emphasis', 'text'])
    expect(paragraph?.children[1]).toMatchObject({ children: [text('Jo Doe'), text('.'), { type: 'footnoteReference' }] })
    expect(paragraph?.children[2]).toEqual(expect.objectContaining({ value: ' Then.' }))
  })
})

describe('deNote', () => {
  it('puts a citation inside a footnote in parentheses without its final period, a capital "Ibid." in lower case', async () => {
    const { citations } = await found('Text.[^n]\n\n[^n]: As shown [@doe, 4] here.\n', true)
    const [citation] = citations
    if (!citation?.note) throw new Error('no citation in a note')
    deNote(citation, [text('Ibid., 4.')], '', context)
    expect(citation.node.data?.hChildren).toEqual([text('('), text('ibid., 4'), text(')')])
  })

  it('leaves a citation that opens its note as citeproc printed it', async () => {
    const { citations } = await found('Text.[^n]\n\n[^n]: [@doe, 4]\n', true)
    const [citation] = citations
    if (!citation?.note) throw new Error('no citation in a note')
    deNote(citation, [text('Ibid., 4.')], '', context)
    expect(citation.node.data?.hChildren).toEqual([text('Ibid., 4.')])
  })
})

describe('mvPunct', () => {
  it('moves a comma or period into the closing quotation mark before, with punctuation-in-quote, and gives the rest', () => {
    const before = { type: 'text' as const, value: 'the “words”' }
    const after = { type: 'text' as const, value: ',; then' }
    expect(takePunctuation(before, after, { punctuationInQuote: true })).toBe(';')
    expect([before.value, after.value]).toEqual(['the “words,”', ' then'])
  })

  it('moves nothing after a closing quotation mark, and no dash', () => {
    const after = { type: 'text' as const, value: '”. — then' }
    expect(takePunctuation(undefined, after, { punctuationInQuote: true })).toBe('')
    const dash = { type: 'text' as const, value: '— then' }
    expect(takePunctuation(undefined, dash, { punctuationInQuote: false })).toBe('')
  })
})

describe('mvPunct around a note', () => {
  it('takes the space before a note mark and, with notes-after-punctuation, the punctuation after it', () => {
    const before = { type: 'text' as const, value: 'as said ' }
    const after = { type: 'text' as const, value: '. Next' }
    expect(mvPunctBeforeNote(before, after, { moveNotes: true, punctuationInQuote: false })).toBe('.')
    expect([before.value, after.value]).toEqual(['as said', ' Next'])
    const kept = { type: 'text' as const, value: '. Next' }
    expect(mvPunctBeforeNote({ type: 'text', value: 'as said ' }, kept, { moveNotes: false, punctuationInQuote: false })).toBe('')
    expect(kept.value).toBe('. Next')
  })

  it('drops the punctuation after a narrative citation whose author already ends with some', () => {
    const after = { type: 'text' as const, value: ', then' }
    expect(mvPunctAfterAuthor(after, 'Doe et al.', { moveNotes: true })).toBe('')
    expect(after.value).toBe(' then')
    const again = { type: 'text' as const, value: ', then' }
    expect(mvPunctAfterAuthor(again, 'Doe', { moveNotes: true })).toBe(',')
  })
})

describe('insertInText', () => {
  it('puts a superscript citation in place of the space before it, and moves the period after it with notes-after-punctuation', async () => {
    const { tree, citations } = await found('Text [@doe].\n', false)
    const [citation] = citations
    if (!citation) throw new Error('no citation')
    const sup: ElementContent = { type: 'element', tagName: 'sup', properties: {}, children: [text('1')] }
    insertInText(citation, [sup], { ...context, noteStyle: false, moveSuperscripts: true })
    const paragraph = paragraphOf(tree.children[0] as { children: unknown[] })
    expect(paragraph?.children.map((child) => (child.type === 'text' ? child.value : child.type))).toEqual(['Text', '.', 'citation', ''])
    expect(citation.node.data?.hChildren).toEqual([sup])
  })
})
