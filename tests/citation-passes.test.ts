// The citations stage's passes alone, tree in and tree (or requests) out: the requests for citeproc read from the
// book (Pandoc's first walk), and the bibliography put in place (Pandoc's `insertRefs`).
import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import type { Bibliography, CslItem } from '../src/citations/bibliography.js'
import type { FormattedDocument } from '../src/citations/csl-engine.js'
import { locatorTerms } from '../src/citations/locators.js'
import { insertRefs } from '../src/citations/refs.js'
import { citationRequests } from '../src/citations/requests.js'
import { loadLocale } from '../src/citations/styles.js'
import { parseBook } from '../src/pipeline.js'

const item = (id: string): CslItem => ({ id, type: 'book', title: `Title ${id}`, issued: { 'date-parts': [[2020]] } }) as CslItem
const bibliography: Bibliography = { items: new Map(['doe', 'roe', 'poe', 'lee'].map((id) => [id, item(id)])), issues: [] }
const terms = locatorTerms(loadLocale('en-US', process.cwd()))

async function book(markdown: string): Promise<{ tree: Root; file: VFile }> {
  const file = new VFile({ path: 'ms.md', value: markdown })
  return { tree: await parseBook([file], process.cwd()), file }
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
