// The title block as Pandoc's templates print it: title, subtitle, authors (JOSS's and pandoc-scholar's schemas too),
// thanks, date, the abstract as Markdown (its citations and formulas done) and keywords; in the EPUB's title page too.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { visit } from 'unist-util-visit'
import { toString } from 'hast-util-to-string'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { brokenLinks, unpack } from './helpers/epub.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

const references = ['---', 'references:', '- id: doe', '  type: book', '  author: [{family: Doe, given: Jane}]', '  issued: {date-parts: [[2020]]}', '  title: A Book', '...', ''].join('\n')

const joss = [
  '---',
  "title: 'kit: *Fast* Tools'",
  'subtitle: A ~~slow~~ quick start',
  'authors:',
  '  - name: Ada Lovelace',
  '    orcid: 0000-0002-1825-0097',
  '    email: ada@example.org',
  '    affiliation: "1, 2"',
  '  - name: Alan Turing',
  '    affiliation: 2',
  'affiliations:',
  '  - name: Analytical Society',
  '    index: 1',
  '  - name: University of Manchester',
  '    index: 2',
  'date: 2021-01-29',
  'thanks: Funded by the *Engine* Fund.',
  'keywords: [engines, tools]',
  'link-citations: true',
  'abstract: |',
  '  We build on @doe with $x^2$ and *care*.',
  '',
  '  A second paragraph.',
  '---',
  '',
  '# Introduction',
  '',
  'Body text.',
  '',
].join('\n')

async function buildHtml(markdown: string): Promise<{ tree: Root; messages: string[] }> {
  const dir = makeProject({ 'paper.md': markdown + '\n' + references })
  const result = await build({ inputs: ['paper.md'], to: ['html'], cwd: dir, env, noCache: true })
  const tree = fromHtml(readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8'))
  return { tree, messages: result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId}: ${message.reason}`)) }
}

/**
 * The first element under `node` that matches each selector in turn: `tag`, `.class`, `#id`, `tag.class` or
 * `tag[attr="value"]`.
 */
function select(selector: string, node: Root | Element | undefined): Element | undefined {
  let current: Root | Element | undefined = node
  for (const part of selector.split(' ')) {
    const [, tag, id, className, attribute, value] = /^([a-z\d]*)(?:#([\w-]+))?(?:\.([\w-]+))?(?:\[(\w+)="([^"]*)"\])?(?::first-of-type)?$/.exec(part) ?? []
    let found: Element | undefined
    if (current) {
      visit(current, 'element', (element: Element) => {
        if (found || element === current) return
        const classes = (element.properties['className'] as string[] | undefined) ?? []
        if (tag && element.tagName !== tag) return
        if (id && element.properties['id'] !== id) return
        if (className && !classes.includes(className)) return
        if (attribute && String(element.properties[attribute]) !== value) return
        found = element
      })
    }
    current = found
  }
  return current as Element | undefined
}

function header(tree: Root): Element {
  const found = select('#title-block-header', tree)
  if (!found) throw new Error('no title block')
  return found
}

describe('the title block', () => {
  it('prints JOSS authors with their affiliations by index, e-mail and ORCID iD, the thanks, keywords and date', async () => {
    const { tree, messages } = await buildHtml(joss)
    expect(messages).toEqual([])
    const block = header(tree)
    const authors = block.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'p' && (child.properties['className'] as string[]).includes('author'))
    expect(authors.map((author) => toString(select('.affiliation', author) ?? author))).toEqual(['Analytical Society; University of Manchester', 'University of Manchester'])
    expect(select('.contact a[href="mailto:ada@example.org"]', authors[0])).toBeDefined()
    expect(select('a.orcid', authors[0])?.properties['href']).toBe('https://orcid.org/0000-0002-1825-0097')
    expect(toString(select('.thanks', block) ?? block)).toBe('Funded by the Engine Fund.')
    expect(select('.thanks em', block)).toBeDefined()
    expect(toString(select('.keywords', block) ?? block)).toBe('Keywords: engines, tools')
    expect(toString(select('.date', block) ?? block)).toBe('January 29, 2021')
  })

  it('reads title and subtitle as Markdown, and gives the page title their words only', async () => {
    const { tree } = await buildHtml(joss)
    const block = header(tree)
    expect(toString(select('em', select('h1.title', block) ?? block) ?? block)).toBe('Fast')
    expect(toString(select('h1.title', block) ?? block)).toBe('kit: Fast Tools')
    expect(select('.subtitle del', block)).toBeDefined()
    expect(toString(select('title', tree) ?? tree)).toBe('kit: Fast Tools')
  })

  it('smartens title and subtitle as Pandoc smartens metadata, code left as written', async () => {
    const { tree } = await buildHtml(`---\ntitle: The Book's "Title" -- and \`it's\`\nsubtitle: It's here...\n---\n\nText.\n`)
    const block = header(tree)
    expect(toString(select('h1.title', block) ?? block)).toBe('The Book’s “Title” – and it\'s')
    expect(toString(select('.subtitle', block) ?? block)).toBe('It’s here…')
    expect(toString(select('title', tree) ?? tree)).toBe('The Book’s “Title” – and it\'s')
  })

  it('sets the abstract, read as Markdown with its citation and formula done, in the title block and not in the text', async () => {
    const { tree } = await buildHtml(joss)
    const abstract = select('#title-block-header .abstract', tree)
    expect(abstract).toBeDefined()
    expect(toString(select('.abstract-title', abstract ?? tree) ?? tree)).toBe('Abstract')
    expect(select('p:first-of-type em', abstract ?? tree)).toBeDefined()
    expect(select('math', abstract ?? tree)).toBeDefined()
    expect(toString(select('.citation', abstract ?? tree) ?? tree)).toBe('Doe (2020)')
    expect(select('a[href="#ref-doe"]', abstract ?? tree)).toBeDefined()
    expect(abstract?.children.filter((child) => child.type === 'element' && child.tagName === 'p')).toHaveLength(2)
    const main = select('main', tree)
    expect(select('.abstract', main ?? tree)).toBeUndefined()
    expect(toString(main ?? tree)).not.toContain('We build on')
    // The cited work is in the bibliography.
    expect(select('#ref-doe', tree)).toBeDefined()
  })

  it('takes pandoc-scholar’s institutes and names the abstract in the document’s language', async () => {
    const markdown = ['---', 'title: T', 'lang: de', 'author:', '  - Jane Doe: {institute: fosg}', 'institute:', '  - fosg: Formal Sciences Group', 'abstract: Kurz.', '---', '', 'Text.', ''].join('\n')
    const { tree } = await buildHtml(markdown)
    expect(toString(select('.author .affiliation', tree) ?? tree)).toBe('Formal Sciences Group')
    expect(toString(select('.abstract-title', tree) ?? tree)).toBe('Zusammenfassung')
  })

  it('does not link an ORCID iD or an e-mail address that is not one', async () => {
    const markdown = ['---', 'title: T', 'author:', '  - name: X', '    orcid: "javascript:alert(1)"', '    email: "a@b.org?x=javascript:1 y"', '---', '', 'Text.', ''].join('\n')
    const { tree } = await buildHtml(markdown)
    const contact = select('.author .contact', tree)
    expect(select('a', contact ?? tree)).toBeUndefined()
    expect(toString(contact ?? tree)).toContain('javascript:alert(1)')
  })
})

describe('the abstract in the EPUB', () => {
  it('is on the title page, its citation link made text, and is the description when none is given', async () => {
    const dir = makeProject({ 'paper.md': joss + '\n' + references })
    await build({ inputs: ['paper.md'], to: ['epub'], cwd: dir, env, noCache: true })
    const files = unpack(path.join(dir, 'dist', 'paper.epub'))
    const titlePage = files.get('EPUB/title.xhtml') ?? ''
    expect(titlePage).toContain('class="abstract"')
    expect(titlePage).toContain('Doe (2020)')
    expect(titlePage).toContain('orcid.org/0000-0002-1825-0097')
    expect(brokenLinks(files)).toEqual([])
    const opf = files.get('EPUB/package.opf') ?? ''
    // The title's words where text is wanted; its markup on the title page.
    expect(opf).toContain('<dc:title>kit: Fast Tools</dc:title>')
    expect(titlePage).toContain('<h1 class="title">kit: <em>Fast</em> Tools</h1>')
    expect(opf).toContain('<dc:description>We build on Doe (2020) with x2 and care. A second paragraph.</dc:description>')
    expect(opf).toMatch(/<item id="title" href="title.xhtml" media-type="application\/xhtml\+xml" properties="mathml"\/>/)
  })
})
