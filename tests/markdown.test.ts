// The Markdown stage: Pandoc citation syntax into positioned nodes, attributes, fenced divs, captions, smart quotes.
import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { parseMarkdown } from '../src/markdown/parse.js'
import { smarten } from '../src/markdown/remark-smart-punctuation.js'
import { scanCitationKeys } from '../src/markdown/remark-pandoc-citations.js'
import type { Citation, FigureCaption } from '../src/markdown/types.js'
import { toString } from 'mdast-util-to-string'

async function parse(markdown: string): Promise<{ tree: Root; file: VFile }> {
  const file = new VFile({ path: 'test.md', value: markdown })
  return { tree: await parseMarkdown(file), file }
}

async function citations(markdown: string): Promise<Citation[]> {
  const { tree } = await parse(markdown)
  const found: Citation[] = []
  visit(tree, 'citation', (node) => {
    found.push(node)
  })
  return found
}

describe('citation syntax', () => {
  it('reads clusters with prefixes, suffixes and suppressed authors', async () => {
    const [cluster] = await citations('As shown [see @doe99, pp. 33-35; also -@roe2001, chap. 1].')
    expect(cluster?.mode).toBe('normal')
    expect(cluster?.items.map(({ key, prefix, suffix, suppressAuthor }) => ({ key, prefix, suffix, suppressAuthor }))).toEqual([
      { key: 'doe99', prefix: 'see', suffix: ', pp. 33-35', suppressAuthor: false },
      { key: 'roe2001', prefix: 'also', suffix: ', chap. 1', suppressAuthor: true },
    ])
  })

  it('gives each key its source position', async () => {
    const [cluster] = await citations('Line one\nand then [@a; @bee] here.')
    expect(cluster?.position?.start).toMatchObject({ line: 2, column: 10 })
    expect(cluster?.items.map((item) => [item.start.line, item.start.column])).toEqual([[2, 11], [2, 15]])
  })

  it('reads narrative citations with and without a locator', async () => {
    const found = await citations('@doe99 says, and @roe [p. 33] agrees.')
    expect(found.map((node) => [node.mode, node.items[0]?.key, node.items[0]?.suffix])).toEqual([
      ['narrative', 'doe99', ''],
      ['narrative', 'roe', 'p. 33'],
    ])
  })

  it('reads more citations after a narrative one into the same citation, as Pandoc does', async () => {
    const found = await citations('@a [-@b], @c [p. 3; @d, 4], @e\n[see @f] and @g [not; keys].')
    const items = (node: Citation): string[] => node.items.map((item) => `${item.suppressAuthor ? '-' : ''}${item.prefix}|${item.key}|${item.suffix}`)
    expect(found.map((node) => [node.mode, ...items(node)])).toEqual([
      ['narrative', '|a|', '-|b|'],
      ['narrative', '|c|p. 3', '|d|, 4'],
      ['narrative', '|e|', 'see|f|'],
      ['narrative', '|g|'],
    ])
    expect(found[1]?.value).toBe('@c [p. 3; @d, 4]')
    expect(found[1]?.items[1]?.start).toMatchObject({ line: 1, column: 21 })
  })

  it('continues a narrative citation with a bracket that holds markup', async () => {
    const found = await citations('As @a [*see* @b], and @c [p. 3; *cf.* @d] too.')
    const items = (node: Citation): string[] => node.items.map((item) => `${item.prefix}|${item.key}|${item.suffix}`)
    expect(found.map((node) => [node.mode, node.markdownAffixes, ...items(node)])).toEqual([
      ['narrative', true, '|a|', '*see*|b|'],
      ['narrative', true, '|c|p. 3', '*cf.*|d|'],
    ])
  })

  it('ends keys before trailing punctuation and reads braced keys', async () => {
    const found = await citations('See @doe99. And @{odd key:with/chars}, then @a.b.c.')
    expect(found.map((node) => node.items[0]?.key)).toEqual(['doe99', 'odd key:with/chars', 'a.b.c'])
  })

  it('reads a URL as a key, as Pandoc does (`:` or `/` before a `/`)', async () => {
    const found = await citations('Sent [@http://www.example.org/money.txt], also @https://a.org/b. And [@a:/b; @a//b; @a:b/].')
    expect(found.flatMap((node) => node.items.map((item) => item.key))).toEqual(['http://www.example.org/money.txt', 'https://a.org/b', 'a:/b', 'a//b', 'a:b'])
    expect(scanCitationKeys('Sent [@http://www.example.org/money.txt].')).toEqual(['http://www.example.org/money.txt'])
  })

  it('does not take e-mail addresses, escaped @ or bracketed text without keys', async () => {
    expect(await citations('Mail doe@example.org, \\@notacitation, [a note] and [email@host.org].')).toEqual([])
  })

  it('leaves autolinks as written, as Pandoc does, while a link\'s text may cite', async () => {
    const found = await citations('<https://codeshare.example/@user/script/> and [see @b](http://x.org).[^1]\n\n[^1]: At <https://x.org/@a>.\n')
    expect(found.map((node) => node.items[0]?.key)).toEqual(['b'])
  })

  it('finds citations in footnotes, emphasis and links', async () => {
    const found = await citations('*in [@a]* and [link @b](http://x.org).[^1]\n\n[^1]: note [@c].\n')
    expect(found.map((node) => node.items[0]?.key)).toEqual(['a', 'b', 'c'])
  })

  it('leaves text outside citations as it was', async () => {
    const { tree } = await parse('Before [@a] after.')
    const paragraph = tree.children[0]
    expect(paragraph?.type === 'paragraph' && paragraph.children.map((child) => child.type)).toEqual(['text', 'citation', 'text'])
  })
})

describe('Pandoc extensions', () => {
  it('applies heading attributes and never leaves the braces', async () => {
    const { tree } = await parse('# Method {#sec:method .unnumbered lang=en}\n')
    const heading = tree.children[0]
    expect(heading?.type).toBe('heading')
    expect(heading?.data?.hProperties).toEqual({ id: 'sec:method', className: ['unnumbered'], lang: 'en' })
    expect(JSON.stringify(heading)).not.toContain('{#')
  })

  it('keeps the text a heading identifier is made from, as written: citations, note labels, image descriptions', async () => {
    const { tree } = await parse('# ![Map](map.png) of *Asia*, see [@doe, p. 3][^n]\n\n[^n]: Note.\n')
    const heading = tree.children[0]
    expect(heading?.type === 'heading' && heading.data?.idText).toBe('Map of Asia, see [@doe, p. 3]n')
  })

  it('applies image attributes as CSS sizes', async () => {
    const { tree } = await parse('![A figure](data:image/png;base64,iVBORw0KGgo=){#fig:one width=60%}\n')
    let image: unknown
    visit(tree, 'image', (node) => {
      image = node.data?.hProperties
    })
    expect(image).toEqual({ id: 'fig:one', style: 'width: 60%' })
  })

  it('nests fenced divs with their attributes', async () => {
    const { tree } = await parse('::: {.box #outer}\nText.\n\n::: inner\nDeep.\n:::\n:::\n\n::: {#refs}\n:::\n')
    const divs = tree.children.filter((node) => node.type === 'fencedDiv')
    expect(divs.map((div) => div.data?.hProperties)).toEqual([{ className: ['box'], id: 'outer' }, { id: 'refs' }])
    const inner = divs[0]?.children.find((node) => node.type === 'fencedDiv')
    expect(inner?.data?.hProperties).toEqual({ className: ['inner'] })
  })

  it('warns about a fenced div that is never closed', async () => {
    const { file } = await parse('::: note\nText.\n')
    expect(file.messages.map((message) => [message.ruleId, message.line])).toEqual([['unbalanced-div', 1]])
  })

  it('closes fenced divs left open inside each other, innermost in the one around it', async () => {
    const { tree, file } = await parse('::: outer\n\n::: inner\n\nText.\n')
    const [outer] = tree.children
    expect(tree.children).toHaveLength(1)
    expect(outer?.type === 'fencedDiv' && outer.data?.hProperties).toEqual({ className: ['outer'] })
    const inner = outer?.type === 'fencedDiv' ? outer.children[0] : undefined
    expect(inner?.type === 'fencedDiv' && inner.data?.hProperties).toEqual({ className: ['inner'] })
    expect(inner?.type === 'fencedDiv' && inner.children.map((node) => node.type)).toEqual(['paragraph'])
    expect(file.messages.map((message) => message.line).sort()).toEqual([1, 3])
  })

  it('reads runs of fence lines with no blank line between, with their lines', async () => {
    const { tree } = await parse('::: a\n::: b\nText.\n:::\n::: c\nMore\nlines.\n:::\n:::\n')
    const [a] = tree.children
    expect(tree.children).toHaveLength(1)
    const inside = a?.type === 'fencedDiv' ? a.children : []
    expect(inside.map((node) => (node.type === 'fencedDiv' ? node.data?.hProperties : node.type))).toEqual([{ className: ['b'] }, { className: ['c'] }])
    const c = inside[1]
    const paragraph = c?.type === 'fencedDiv' ? c.children[0] : undefined
    expect(paragraph?.position?.start.line).toBe(6)
    expect(paragraph?.type === 'paragraph' && paragraph.children[0]?.type === 'text' && paragraph.children[0].value).toBe('More\nlines.')
  })

  it('reads a page break alone inside a fenced div, with no blank line around it, as a page break (Pandoc: a raw TeX block)', async () => {
    for (const text of ['::: outer\n::: {.note}\n\\newpage\n:::\n:::\n', '::: outer\nText.\n:::\n::: {.note}\n\\newpage\n:::\n']) {
      const { tree, file } = await parse(text)
      const divs: string[] = []
      visit(tree, 'fencedDiv', (node) => {
        divs.push(String(node.data?.hProperties?.className))
      })
      expect(divs, text).toEqual(['outer', 'note', 'galley-page-break'])
      expect(file.messages, text).toEqual([])
    }
  })

  it('attaches Table: captions above or below a table', async () => {
    const { tree } = await parse('| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Numbers *here*.\n')
    const table = tree.children[0]
    expect(table?.type).toBe('table')
    const caption = table?.type === 'table' ? table.children[0] : undefined
    expect(caption?.type === 'tableCaption' && caption.children.map((child) => child.type)).toEqual(['text', 'emphasis', 'text'])
    expect(tree.children).toHaveLength(1)
  })

  it('makes quotes curly and dashes and ellipses typographic, but not in code', async () => {
    const { tree } = await parse('"Quoted" it\'s 10--12 --- so... `"code" --`\n')
    const paragraph = tree.children[0]
    const texts = paragraph?.type === 'paragraph' ? paragraph.children.map((child) => ('value' in child ? child.value : '')) : []
    expect(texts).toEqual(['“Quoted” it’s 10–12 — so… ', '"code" --'])
  })

  it('reads each quote by the character written before it, as Pandoc does', () => {
    expect(smarten(`'90s and '9 and rock 'n' roll`)).toBe('’90s and ‘9 and rock ‘n’ roll')
    expect(smarten('("a") [\'b\'] --"c"-- ---\'d\'')).toBe('(“a”) [‘b’] –“c”– —‘d’')
    expect(smarten('---- ----- .... " \'')).toBe('—- —– …. ” ’')
    expect(smarten('"x" "')).toBe('“x” ”')
    // Text that continues a run: what came before decides.
    expect(smarten('"s quote', 'a')).toBe('”s quote')
    expect(smarten('"s quote', ' ')).toBe('“s quote')
    expect(smarten('no marks at all')).toBe('no marks at all')
  })
})

describe('figure captions', () => {
  const image = 'data:image/png;base64,iVBORw0KGgo='
  const captionOf = async (markdown: string): Promise<FigureCaption | undefined> => {
    const { tree } = await parse(markdown)
    let found: FigureCaption | undefined
    visit(tree, 'figureCaption', (node) => {
      found = node
    })
    return found
  }

  it('reads a figure description as Markdown, with citations placed in the source', async () => {
    const caption = await captionOf(`Text.\n\n![A *map*, "after"\n@doe [p. 3].](${image}){width=50%}\n`)
    expect(caption?.children.map((node) => node.type)).toEqual(['text', 'emphasis', 'text', 'citation', 'text'])
    expect(toString(caption)).toBe('A map, “after”\n@doe [p. 3].')
    const citation = caption?.children.find((node) => node.type === 'citation')
    expect(citation?.items[0]?.start).toMatchObject({ line: 4, column: 1, offset: 26 })
    expect(citation?.position?.start).toMatchObject({ line: 4, column: 1 })
  })

  it('smartens a caption from its start, not as if it followed the image', async () => {
    expect(toString(await captionOf(`!["Quoted" words](${image})\n`))).toBe('“Quoted” words')
  })

  it('keeps the plain description where the source does not read back to it, and for images within text', async () => {
    // Over two lines in a block quote the source holds the quote's `>`.
    expect(await captionOf(`> ![A long\n> caption @doe](${image})\n`)).toBeUndefined()
    expect(await captionOf(`An inline ![image @doe](${image}) in text.\n`)).toBeUndefined()
  })
})
