// Chapters come from the headings (Pandoc's top-level division), not the files; the EPUB is cut at them and at split-level.
import type { Element, ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import { toString } from 'hast-util-to-string'
import { VFile } from 'vfile'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { defaults, type Metadata } from '../src/config/schema.js'
import { splitDocument } from '../src/epub/split.js'
import { rehypeChapters, topLevelDivision } from '../src/html/rehype-chapters.js'
import { makeProject } from './helpers/project.js'

const metadata = (division: Metadata['topLevelDivision'], documentclass?: string): Pick<Metadata, 'topLevelDivision' | 'documentclass'> => ({ topLevelDivision: division, documentclass })

/** One input file as remark-rehype makes it: a `section.chapter`, blocks separated by line breaks. */
function file(name: string, index: number, blocks: ElementContent[]): Element {
  return h('section.chapter', { id: `chapter-${index}`, dataSource: name }, blocks.flatMap((block) => [{ type: 'text' as const, value: '\n' }, block]))
}

function chapters(tree: Root): { id: unknown; className: unknown; source: unknown; text: string }[] {
  return tree.children.flatMap((node) =>
    node.type === 'element' ? [{ id: node.properties['id'], className: node.properties['className'], source: node.properties['dataSource'], text: toString(node).replace(/\s+/g, ' ').trim() }] : [],
  )
}

describe('top-level division', () => {
  it('follows Pandoc: sections in one file unless the document class has chapters; several files have chapters', () => {
    expect(topLevelDivision(metadata('default'), 1)).toBe('section')
    expect(topLevelDivision(metadata('default', 'article'), 1)).toBe('section')
    expect(topLevelDivision(metadata('default', 'book'), 1)).toBe('chapter')
    expect(topLevelDivision(metadata('default', 'memoir'), 1)).toBe('chapter')
    expect(topLevelDivision(metadata('default'), 3)).toBe('chapter')
    expect(topLevelDivision(metadata('chapter'), 1)).toBe('chapter')
    expect(topLevelDivision(metadata('part'), 1)).toBe('part')
    expect(topLevelDivision(metadata('section', 'book'), 4)).toBe('section')
  })
})

describe('rehypeChapters', () => {
  const oneFile = (): Root => ({
    type: 'root',
    children: [
      file('book.md', 1, [h('p', 'Preface.'), h('h1', 'One'), h('p', 'a'), h('h2', 'One.1'), h('p', 'b'), h('h1', 'Two'), h('p', 'c')]),
      h('section', { dataFootnotes: true }, [h('h2', 'Notes')]),
    ],
  })

  it('cuts a one-file book at its level-1 headings, text before the first staying a chapter of its own', () => {
    const tree = oneFile()
    const vfile = new VFile()
    rehypeChapters({ metadata: metadata('chapter') })(tree, vfile)
    expect(vfile.data.division).toBe('chapter')
    expect(chapters(tree)).toEqual([
      { id: 'chapter-1', className: ['chapter'], source: 'book.md', text: 'Preface.' },
      { id: 'chapter-2', className: ['chapter'], source: 'book.md', text: 'One a One.1 b' },
      { id: 'chapter-3', className: ['chapter'], source: 'book.md', text: 'Two c' },
      { id: undefined, className: undefined, source: undefined, text: 'Notes' },
    ])
  })

  it('leaves an article alone', () => {
    const tree = oneFile()
    const vfile = new VFile()
    rehypeChapters({ metadata: metadata('default') })(tree, vfile)
    expect(vfile.data.division).toBe('section')
    expect(tree).toEqual(oneFile())
  })

  it('makes the same chapters of a book in several files: one text, cut at its headings, not at the files', () => {
    const tree: Root = {
      type: 'root',
      children: [
        file('meta.md', 1, []),
        file('a.md', 2, [h('h1', 'One'), h('p', 'a'), h('h2', 'One.1'), h('p', 'b')]),
        file('b.md', 3, [h('h1', 'Two'), h('p', 'c'), h('h1', 'Three'), h('p', 'd')]),
        file('c.md', 4, [h('p', 'e'), h('h1', 'Four'), h('p', 'f')]),
      ],
    }
    rehypeChapters({ metadata: metadata('default') })(tree, new VFile())
    expect(chapters(tree).map((chapter) => [chapter.id, chapter.source, chapter.text])).toEqual([
      ['chapter-1', 'a.md', 'One a One.1 b'],
      ['chapter-2', 'b.md', 'Two c'],
      ['chapter-3', 'b.md', 'Three d e'],
      ['chapter-4', 'c.md', 'Four f'],
    ])
  })

  it('makes no chapter of page breaks alone before the first heading (`\\newpage` where the chapter starts a page anyway)', () => {
    const pageBreak = (): Element => h('div.galley-page-break')
    const tree: Root = { type: 'root', children: [file('a.md', 1, [pageBreak(), pageBreak(), h('h1', 'One'), h('p', 'a')]), file('b.md', 2, [pageBreak(), h('h1', 'Two'), h('p', 'b')])] }
    rehypeChapters({ metadata: metadata('default') })(tree, new VFile())
    expect(chapters(tree).map((chapter) => [chapter.id, chapter.text])).toEqual([
      ['chapter-1', 'One a'],
      ['chapter-2', 'Two b'],
    ])
  })

  it('with parts, opens a chapter at each level-2 heading and marks the parts', () => {
    const tree: Root = {
      type: 'root',
      children: [file('book.md', 1, [h('h1', 'Part I'), h('p', 'intro'), h('h2', 'One'), h('p', 'a'), h('h3', 'One.1'), h('h2', 'Two'), h('h1', 'Part II'), h('h2', 'Three')])],
    }
    rehypeChapters({ metadata: metadata('part') })(tree, new VFile())
    expect(chapters(tree).map((chapter) => [chapter.className, chapter.text])).toEqual([
      [['chapter', 'part'], 'Part I intro'],
      [['chapter'], 'One a One.1'],
      [['chapter'], 'Two'],
      [['chapter', 'part'], 'Part II'],
      [['chapter'], 'Three'],
    ])
  })
})

describe('splitDocument', () => {
  /** An article as rehypeDocument leaves it: one section, the notes, then the bibliography under its title. */
  const article = (): Root => ({
    type: 'root',
    children: [
      h('html', [
        h('body', [
          h('main#main', [
            file('essay.md', 1, [
              h('p', ['Opening.', h('sup', [h('a#fnref-1', { href: '#fn-1', dataFootnoteRef: true }, '1')])]),
              h('h1#one', 'One'),
              h('p', ['See ', h('a', { href: '#ref-a' }, 'A'), ' and ', h('a', { href: '#two' }, 'below'), '.']),
              h('h2#one-one', 'One.1'),
              h('p', ['More.', h('sup', [h('a#fnref-2', { href: '#fn-2', dataFootnoteRef: true }, '2')])]),
              h('h1#two', 'Two'),
              h('p', 'End.'),
            ]),
            h('section', { dataFootnotes: true }, [h('h2', 'Notes'), h('ol', [h('li#fn-1', [h('p', 'Note one.')]), h('li#fn-2', [h('p', 'Note two.')])])]),
            h('h1#bibliography', 'References'),
            h('div#refs', [h('div#ref-a.csl-entry', 'Ames. First.')]),
          ]),
        ]),
      ]),
    ],
  })

  it('cuts at level-1 headings as Pandoc does, names an untitled opening for the book, keeps every part', () => {
    const documents = splitDocument(article(), { title: 'An Essay' })
    expect(documents.map((document) => [document.name, document.title, document.role])).toEqual([
      ['chapter-1.xhtml', 'An Essay', 'bodymatter'],
      ['chapter-2.xhtml', 'One', 'bodymatter'],
      ['chapter-3.xhtml', 'Two', 'bodymatter'],
      ['bibliography.xhtml', 'References', 'bibliography'],
    ])
    const html = (index: number): string => JSON.stringify(documents[index]?.children)
    // Each note in the file that references it; links into other files name the file.
    expect(html(0)).toContain('"id":"fn-1"')
    expect(html(1)).toContain('"id":"fn-2"')
    expect(html(1)).toContain('"href":"bibliography.xhtml#ref-a"')
    expect(html(1)).toContain('"href":"chapter-3.xhtml#two"')
    expect(html(3)).toContain('Ames. First.')
    // The section's id stays on its first piece only.
    expect(documents.map((document) => (document.children[0] as Element).properties['id'])).toEqual(['chapter-1', undefined, undefined, 'bibliography'])
  })

  it('cuts at level-2 headings too with split-level 2', () => {
    const documents = splitDocument(article(), { splitLevel: 2, title: 'An Essay' })
    expect(documents.map((document) => document.title)).toEqual(['An Essay', 'One', 'One.1', 'Two', 'References'])
  })

  it('keeps a bibliography without a heading with the text when there is one document, in its own file when several', () => {
    const single = article()
    const htmlElement = single.children[0] as Element
    const body = htmlElement.children[0] as Element
    const mainElement = body.children[0] as Element
    mainElement.children = mainElement.children.filter((node) => !(node.type === 'element' && node.properties['id'] === 'bibliography'))
    const several = splitDocument(structuredClone(single))
    expect(several.at(-1)?.name).toBe('bibliography.xhtml')
    const chapter = mainElement.children[0] as Element
    chapter.children = chapter.children.filter((node) => !(node.type === 'element' && /^h[12]$/.test(node.tagName)))
    const one = splitDocument(single)
    expect(one.map((document) => document.name)).toEqual(['chapter-1.xhtml'])
    expect(JSON.stringify(one[0]?.children)).toContain('Ames. First.')
  })
})

describe('chapters of a real build', () => {
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
  /** The chapters of the book's HTML: where each came from and its first heading. */
  async function bookChapters(files: Record<string, string>, inputs: string[]): Promise<{ chapters: string[]; messages: string[] }> {
    const dir = makeProject(files)
    const result = await build({ inputs, to: ['html'], cwd: dir, env, noCache: true })
    const html = readFileSync(path.join(dir, 'dist', `${path.parse(inputs[0] as string).name}.html`), 'utf8')
    const chapters = [...html.matchAll(/<section class="chapter"[^>]*data-source="([^"]*)"[^>]*>(<h1[^>]*>([^<]*))?/g)].map((match) => `${match[1]}: ${match[3] ?? '(no heading)'}`)
    return { chapters, messages: result.files.flatMap((file) => file.messages.map((message) => String(message.ruleId))) }
  }

  it('makes no chapter of a file of metadata only, and does not call it empty', async () => {
    const { chapters, messages } = await bookChapters(
      { '000_meta.md': '---\ntitle: A thesis\n---\n', '100_intro.md': '# Introduction\n\nText.\n', '200_method.md': '# Method\n\nMore.\n' },
      ['000_meta.md', '100_intro.md', '200_method.md'],
    )
    expect(chapters).toEqual(['100_intro.md: Introduction', '200_method.md: Method'])
    expect(messages).not.toContain('empty-manuscript')
  })

  it('still calls a file with nothing in it empty', async () => {
    const { messages } = await bookChapters({ 'a.md': '# A\n\nText.\n', 'b.md': '\n' }, ['a.md', 'b.md'])
    expect(messages).toContain('empty-manuscript')
  })

  it('makes no chapter of the abstract, which goes to the title block', async () => {
    const { chapters } = await bookChapters({ 'book.md': '---\ntitle: A book\ntop-level-division: chapter\nabstract: What it is about.\n---\n\n# One\n\nText.\n\n# Two\n\nMore.\n' }, ['book.md'])
    expect(chapters).toEqual(['book.md: One', 'book.md: Two'])
  })
})
