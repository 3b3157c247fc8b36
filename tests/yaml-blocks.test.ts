// YAML metadata blocks as Pandoc reads them: closed by `---` or `...`, at the top or after a blank line anywhere.
import type { Root } from 'mdast'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { frontMatterOf, parseMarkdown } from '../src/markdown/parse.js'

async function parse(text: string): Promise<{ tree: Root; meta: Record<string, unknown> }> {
  const file = new VFile({ path: 'doc.md', value: text, cwd: '/tmp' })
  const tree = await parseMarkdown(file)
  const meta = Object.fromEntries([...(file.data.frontMatter ?? new Map())].map(([key, setting]) => [key, setting.value]))
  return { tree, meta }
}

describe('YAML metadata blocks', () => {
  it('reads front matter closed with `...`', async () => {
    const { tree, meta } = await parse('---\ntitle: A Paper\nbibliography: refs.bib\n...\n\nText.\n')
    expect(meta['title']).toBe('A Paper')
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph'])
    expect(frontMatterOf(new VFile({ path: 'doc.md', value: '---\ntitle: A\n...\nBody\n' })).body).toBe('Body\n')
  })

  it('reads a later block after a blank line, the later value winning (pandoc 2.17: title "Two")', async () => {
    const { tree, meta } = await parse('---\ntitle: One\n...\n\nText.\n\n---\ntitle: Two\nauthor: B\n...\n\nMore.\n')
    expect(meta).toMatchObject({ title: 'Two' })
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'paragraph'])
  })

  it('leaves thematic breaks and setext headings alone', async () => {
    const breakThenBlank = await parse('Text.\n\n---\n\nMore.\n')
    expect(breakThenBlank.tree.children.map((node) => node.type)).toEqual(['paragraph', 'thematicBreak', 'paragraph'])
    const notMapping = await parse('Text.\n\n---\nJust a sentence.\n---\n')
    expect(notMapping.tree.children.map((node) => node.type)).toEqual(['paragraph', 'thematicBreak', 'heading'])
    expect(notMapping.meta).toEqual({})
  })
})

describe('front matter and footnotes', () => {
  it('keeps footnote definitions after front matter closed either way', async () => {
    for (const close of ['---', '...']) {
      const { tree } = await parse(`---\ntitle: A\n${close}\n\nA note.[^1]\n\n[^1]: The note.\n`)
      expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'footnoteDefinition'])
    }
  })
})
