// Course packs (`layout: course-pack`) and `section-bibliographies`, read from the HTML a build writes.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import { visit } from 'unist-util-visit'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { unpack } from './helpers/epub.js'
import { makeProject } from './helpers/project.js'

const refs = JSON.stringify([
  { id: 'doe2020a', type: 'book', title: 'Alpha', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020]] }, publisher: 'P' },
  { id: 'doe2020b', type: 'book', title: 'Beta', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020]] }, publisher: 'P' },
  { id: 'roe2019', type: 'book', title: 'Gamma', author: [{ family: 'Roe', given: 'Rick' }], issued: { 'date-parts': [[2019]] }, publisher: 'P' },
  { id: 'poe2018', type: 'book', title: 'Delta', author: [{ family: 'Poe', given: 'Ed' }], issued: { 'date-parts': [[2018]] }, publisher: 'P' },
  { id: 'moe2017', type: 'book', title: 'Epsilon', author: [{ family: 'Moe', given: 'Al' }], issued: { 'date-parts': [[2017]] }, publisher: 'P' },
])

const pack = {
  'refs.json': refs,
  'galley.yaml': 'title: Political Theory Reader\nauthor: Course Staff\nlayout: course-pack\nsection-bibliographies: true\nreference-section-title: References\nbibliography: refs.json\nlink-citations: true\ninput-files: [hobbes.md, locke.md, rousseau.md]\n',
  'hobbes.md': '---\ntitle: "*Leviathan*, Chapter 13"\nauthor: Thomas Hobbes\ndate: 1651-04-01\n---\n\n# Of the Natural Condition\n\nText [@doe2020a; @roe2019].\n\n## Of War\n\nMore [@doe2020b][^1].\n\n[^1]: A note citing @poe2018.\n',
  'locke.md': '---\ntitle: Second Treatise\nauthor: [John Locke]\n---\n\nOpening text [@doe2020b].\n\n# Of Property\n\nAnd [@roe2019].\n',
  'rousseau.md': '---\ntitle: The Social Contract\nsubtitle: Book I\nauthor: Jean-Jacques Rousseau\n---\n\nNothing cited here.\n',
}

async function buildHtml(files: Record<string, string>, metadata: string[] = []): Promise<{ tree: Root; messages: string[] }> {
  const dir = makeProject(files)
  const result = await build({ inputs: [], to: ['html'], cwd: dir, metadata, noCache: true, env: { SOURCE_DATE_EPOCH: '1700000000' } })
  const html = readFileSync(result.outputs[0]?.path ?? path.join(dir, 'dist', 'x.html'), 'utf8')
  return { tree: fromHtml(html), messages: result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId ?? ''}: ${message.reason}`)) }
}

/** The elements under `node` that match a small selector: `tag`, `.class`, `#id`, `[data-cites="…"]`, joined (`h1.title`). */
function selectAll(selector: string, node: Root | Element | undefined): Element[] {
  const found: Element[] = []
  if (!node) return found
  const parts = /^(\w+)?(?:\.([\w-]+))?(?:#([\w-]+))?(?:\[data-cites="([^"]+)"\])?$/.exec(selector)
  if (!parts) throw new Error(`selector ${selector}`)
  const [, tag, className, id, cites] = parts
  visit(node, 'element', (element: Element) => {
    if (element === node) return
    const classes = element.properties['className']
    if (tag && element.tagName !== tag) return
    if (className && !(Array.isArray(classes) && classes.includes(className))) return
    if (id && element.properties['id'] !== id) return
    if (cites && element.properties['dataCites'] !== cites) return
    found.push(element)
  })
  return found
}

function select(selector: string, node: Root | Element | undefined): Element | undefined {
  return selectAll(selector, node)[0]
}

/** The element children of `node` matching `selector`. */
function children(selector: string, node: Element | undefined): Element[] {
  return selectAll(selector, node).filter((element) => node?.children.includes(element))
}

const text = (node: Element | undefined): string => (node ? toString(node).replace(/\u00AD/g, '').replace(/\s+/g, ' ').trim() : '')

/** Each reference list: its id and the ids of its entries. */
function lists(tree: Root): { id: string; entries: string[]; text: string[] }[] {
  return selectAll('div.references', tree).map((list) => ({
    id: String(list.properties['id']),
    entries: selectAll('div.csl-entry', list).map((entry) => String(entry.properties['id'])),
    text: selectAll('div.csl-entry', list).map((entry) => text(entry)),
  }))
}

describe('course packs', () => {
  it('opens each reading with its own title, authors and date under the pack title, its headings one level down', async () => {
    const { tree, messages } = await buildHtml(pack)
    expect(text(select('h1.title', tree))).toBe('Political Theory Reader')
    expect(text(select('title', tree))).toBe('Political Theory Reader')
    const chapters = selectAll('section.chapter', tree)
    expect(chapters.map((chapter) => text(children('h1', chapter)[0]))).toEqual(['Leviathan, Chapter 13', 'Second Treatise', 'The Social Contract'])
    // The title is read as Markdown, as Pandoc reads metadata.
    expect(select('em', children('h1', chapters[0])[0])).toBeDefined()
    expect(chapters.map((chapter) => text(select('.reading-author', chapter)))).toEqual(['Thomas Hobbes', 'John Locke', 'Jean-Jacques Rousseau'])
    expect(text(select('.reading-date', chapters[0]))).toBe('April 1, 1651')
    expect(text(select('.reading-subtitle', chapters[2]))).toBe('Book I')
    // The reading's `#` is an h2 and its `##` an h3, so the reading is the level-1 section.
    expect(text(select('h2', chapters[0]))).toBe('Of the Natural Condition')
    expect(text(select('h3', chapters[0]))).toBe('Of War')
    // One table of contents (a pack has one unless it says `toc: false`), the readings at its top level.
    const toc = children('ol', select('nav#TOC', tree))[0]
    const top = children('li', toc).map((item) => text(select('span.toc-text', item)))
    expect(top).toEqual(['Leviathan, Chapter 13 — Thomas Hobbes', 'Second Treatise — John Locke', 'The Social Contract — Jean-Jacques Rousseau'])
    expect(messages.filter((message) => message.startsWith('missing-title') || message.startsWith('reading-without-title'))).toEqual([])
  })

  it('names the readings\' authors in the EPUB\'s contents too', async () => {
    const dir = makeProject(pack)
    await build({ inputs: [], to: ['epub'], cwd: dir, noCache: true, env: { SOURCE_DATE_EPOCH: '1700000000' } })
    const nav = unpack(path.join(dir, 'dist', 'hobbes.epub')).get('EPUB/nav.xhtml') ?? ''
    expect(nav).toContain('>Second Treatise<span class="toc-byline"> — John Locke</span></a>')
  })

  it('ends each reading with its own reference list, exactly the entries cited in it, year suffixes as in the citations', async () => {
    const { tree } = await buildHtml(pack)
    const found = lists(tree)
    // The note's citation counts where the note is referenced; Rousseau cites nothing and gets no list.
    expect(found.map((list) => list.id)).toEqual(['refs-1', 'refs-2'])
    expect(found[0]?.entries).toEqual(['ref-doe2020a', 'ref-doe2020b', 'ref-poe2018', 'ref-roe2019'])
    // Locke's text before its first heading belongs to the reading (its title is the section's heading).
    expect(found[1]?.entries).toEqual(['ref-doe2020b-2', 'ref-roe2019-2'])
    const [hobbes, locke] = selectAll('section.chapter', tree)
    expect(select('div#refs-1', hobbes)).toBeDefined()
    expect(select('div#refs-2', locke)).toBeDefined()
    // Each list under its own heading, one level below the reading's title, left out of the contents.
    expect(selectAll('h2.unnumbered', tree).map((heading) => [heading.properties['id'], text(heading)])).toEqual([
      ['bibliography-1', 'References'],
      ['bibliography-2', 'References'],
    ])
    expect(selectAll('a', select('nav#TOC', tree)).map((link) => link.properties['href'])).not.toContain('#bibliography-1')
    // One engine for the pack: Locke cites only Doe's 2020b, still told apart from the 2020a Hobbes cites, in the
    // citation and in the list (a run of citeproc per reading would print "Doe 2020").
    expect(text(select('span[data-cites="doe2020b"]', locke))).toBe('(Doe 2020b)')
    expect(found[1]?.text[0]).toBe('Doe, Jane. 2020b. Beta. P.')
    // citeproc's own selection: the substitute dash for a repeated author counts only the entries of the same list.
    expect(found[0]?.text.slice(0, 2)).toEqual(['Doe, Jane. 2020a. Alpha. P.', '———. 2020b. Beta. P.'])
    // With link-citations, each citation goes to the entry in its own reading's list.
    const links = (section: Element | undefined): unknown[] => selectAll('span.citation', section).flatMap((citation) => selectAll('a', citation)).map((link) => link.properties['href'])
    expect(links(hobbes)).toEqual(expect.arrayContaining(['#ref-doe2020a', '#ref-roe2019']))
    expect(links(hobbes)).toContain('#ref-doe2020b')
    expect(links(locke)).toEqual(['#ref-doe2020b-2', '#ref-roe2019-2'])
    for (const href of [...links(hobbes), ...links(locke)]) expect(select(`div#${String(href).slice(1)}`, tree)).toBeDefined()
  })

  it('keeps entries that only nocite adds in the book list at the end', async () => {
    const { tree } = await buildHtml(pack, ['nocite=@moe2017'])
    expect(lists(tree).map((list) => [list.id, list.entries])).toEqual([
      ['refs-1', ['ref-doe2020a', 'ref-doe2020b', 'ref-poe2018', 'ref-roe2019']],
      ['refs-2', ['ref-doe2020b-2', 'ref-roe2019-2']],
      ['refs', ['ref-moe2017']],
    ])
  })

  it('names a reading without a title by its file, and keeps the front matter titles out of a plain book', async () => {
    const files = { ...pack, 'rousseau.md': 'No front matter.\n' }
    const { tree, messages } = await buildHtml(files)
    expect(text(children('h1', selectAll('section.chapter', tree)[2])[0])).toBe('rousseau')
    expect(messages).toContain('reading-without-title: This reading has no `title` in its front matter; it is named by its file')
    // Without `layout: course-pack`, front matter is the book's, as in Pandoc (the later file wins over the earlier).
    const book = await buildHtml({ ...pack, 'galley.yaml': 'bibliography: refs.json\ninput-files: [hobbes.md, locke.md]\n' })
    expect(text(select('h1.title', book.tree))).toBe('Second Treatise')
  })
})

/** A one-file paper with `section-bibliographies`: `front` adds front matter lines. */
async function paper(front: string, body: string): Promise<Root> {
  const markdown = `---\ntitle: Paper\nbibliography: refs.json\nsection-bibliographies: true\n${front}---\n\n${body}`
  return (await buildHtml({ 'refs.json': refs, 'paper.md': markdown, 'galley.yaml': 'input-files: [paper.md]\n' })).tree
}

describe('section-bibliographies outside a course pack', () => {
  it('gives each level-1 section of one file its list, as pandoc-ext/section-bibliographies places it', async () => {
    const tree = await paper('', '# One\n\nA [@roe2019].\n\n::: {#refs}\n:::\n\nAfter the list.\n\n# Two\n\nB [@poe2018; @roe2019].\n')
    // A `{#refs}` div in a section takes its list; with no reference-section-title, no heading.
    expect(lists(tree).map((list) => [list.id, list.entries])).toEqual([
      ['refs-1', ['ref-roe2019']],
      ['refs-2', ['ref-poe2018', 'ref-roe2019-2']],
    ])
    const parent = selectAll('section', tree).find((section) => children('div#refs-1', section).length > 0)
    const blocks = parent ? parent.children.filter((node): node is Element => node.type === 'element') : []
    const refsAt = blocks.findIndex((node) => node.properties['id'] === 'refs-1')
    expect(text(blocks[refsAt + 1])).toBe('After the list.')
    expect(selectAll('h2', tree)).toEqual([])
  })

  it('lists what the text before the first heading cites, and links each citation to its own section\'s entry', async () => {
    const tree = await paper('reference-section-title: Works Cited\nlink-citations: true\n', 'Opening [@roe2019].\n\n# One\n\nA [@roe2019; @poe2018].\n\n# Two\n\nB [@poe2018].\n')
    expect(lists(tree).map((list) => [list.id, list.entries])).toEqual([
      ['refs-0', ['ref-roe2019']],
      ['refs-1', ['ref-poe2018', 'ref-roe2019-1']],
      ['refs-2', ['ref-poe2018-2']],
    ])
    const hrefs = selectAll('span.citation', tree).flatMap((citation) => selectAll('a', citation)).map((link) => String(link.properties['href']))
    expect(hrefs).toEqual(['#ref-roe2019', '#ref-roe2019-1', '#ref-poe2018', '#ref-poe2018-2'])
  })
})
