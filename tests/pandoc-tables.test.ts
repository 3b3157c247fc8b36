// Pandoc's multiline and grid tables read as tables (the examples of Pandoc's manual), checked against pandoc 2.17.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Table } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { parseMarkdown } from '../src/markdown/parse.js'
import { makeProject } from './helpers/project.js'

const multiline = `Before.

-------------------------------------------------------------
 Centered   Default           Right Left
  Header    Aligned         Aligned Aligned
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here's another one. Note
                                    the blank line between
                                    rows.
-------------------------------------------------------------

Table: Here's the caption. It, too, may span
multiple lines.

After.
`

const grid = `: Sample grid table.

+---------------+---------------+--------------------+
| Fruit         | Price         | Advantages         |
+===============+===============+====================+
| Bananas       | $1.34         | - built-in wrapper |
|               |               | - bright color     |
+---------------+---------------+--------------------+
| *Oranges*     | $2.10         | cures scurvy [@x]  |
+---------------+---------------+--------------------+

After.
`

const aligned = `+---------------+---------------+--------------------+
| Right         | Left          | Centered           |
+==============:+:==============+:==================:+
| Bananas       | $1.34         | built-in wrapper   |
+---------------+---------------+--------------------+
`

async function parse(text: string): Promise<{ types: string[]; table: Table | undefined }> {
  const tree = await parseMarkdown(new VFile({ path: 'doc.md', value: text, cwd: '/tmp' }))
  return { types: tree.children.map((node) => node.type), table: tree.children.find((node): node is Table => node.type === 'table') }
}

const cells = (table: Table | undefined): string[][] => (table?.children ?? []).filter((row) => row.type === 'tableRow').map((row) => row.children.map((cell) => toString(cell)))

/** Pandoc's cells as text, from its native output of the same Markdown. */
function pandocCells(text: string): string[][] {
  const html = spawnSync('pandoc', ['-f', 'markdown-smart', '-t', 'html', '--wrap=none'], { input: text, encoding: 'utf8' }).stdout
  return [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()),
  )
}

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0

describe('multiline tables', () => {
  it('become one table with header, rows joined over lines, alignments and caption', async () => {
    const { types, table } = await parse(multiline)
    expect(types).toEqual(['paragraph', 'table', 'paragraph'])
    expect(table?.align).toEqual(['center', null, 'right', 'left'])
    expect(cells(table)).toEqual([
      ['Centered Header', 'Default Aligned', 'Right Aligned', 'Left Aligned'],
      ['First', 'row', '12.0', 'Example of a row that spans multiple lines.'],
      ['Second', 'row', '5.0', 'Here’s another one. Note the blank line between rows.'],
    ])
  })
  it('never start at a YAML block’s fence: front matter, a rule further down and a caption are no table', async () => {
    const text = '---\ntitle: T\n---\n\nText.\n\n---\n\n: Caption\n\nMore.\n'
    const { types } = await parse(text)
    expect(types).toEqual(['paragraph', 'thematicBreak', 'paragraph', 'paragraph'])
    if (hasPandoc) expect(pandocCells(text)).toEqual([])
  })
  it.skipIf(!hasPandoc)('has pandoc’s cells', async () => {
    expect(cells((await parse(multiline)).table).map((row) => row.map((cell) => cell.replace('’', "'")))).toEqual(pandocCells(multiline))
  })
})

const simple = `Text.

  Right     Left     Center     Default
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123
      1     1          1             1

Table:  Demonstration of simple table syntax.

A rule:

- - -

Heading
-------
`

describe('simple tables', () => {
  it('become tables with the alignment the header shows; rules and setext headings stay', async () => {
    const { types, table } = await parse(simple)
    expect(types).toEqual(['paragraph', 'table', 'paragraph', 'thematicBreak', 'heading'])
    expect(table?.align).toEqual(['right', 'left', 'center', null])
    expect(cells(table)).toEqual([
      ['Right', 'Left', 'Center', 'Default'],
      ['12', '12', '12', '12'],
      ['123', '123', '123', '123'],
      ['1', '1', '1', '1'],
    ])
  })
  it.skipIf(!hasPandoc)('have pandoc’s cells and alignments', async () => {
    expect(cells((await parse(simple)).table)).toEqual(pandocCells(simple))
    const html = spawnSync('pandoc', ['-f', 'markdown', '-t', 'html'], { input: simple, encoding: 'utf8' }).stdout
    const aligns = [...(/<tr class="header">([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '').matchAll(/<th(?: style="text-align: (\w+);")?/g)].map((match) => match[1] ?? null)
    expect(aligns).toEqual(['right', 'left', 'center', null])
  })
})

describe('grid tables', () => {
  it('become tables, with inline Markdown and citations in cells', async () => {
    const { types, table } = await parse(grid)
    expect(types).toEqual(['table', 'paragraph'])
    expect(cells(table)).toEqual([
      ['Fruit', 'Price', 'Advantages'],
      ['Bananas', '$1.34', '- built-in wrapper - bright color'],
      ['Oranges', '$2.10', 'cures scurvy [@x]'],
    ])
    const rows = table?.children.filter((row) => row.type === 'tableRow')
    expect(rows?.[2]?.children[2]?.children.some((node) => node.type === 'citation')).toBe(true)
    expect(table?.children[0]?.type).toBe('tableCaption')
  })
  it('take their alignment from the header line', async () => {
    expect((await parse(aligned)).table?.align).toEqual(['right', 'left', 'center'])
  })
  it.skipIf(!hasPandoc)('have pandoc’s cells, but for block content (a list) in a cell, read here as text', async () => {
    const expected = pandocCells(grid)
    expect(expected[1]?.[2]).toBe('built-in wrapper bright color')
    expect(cells((await parse(grid)).table).map((row) => row.map((cell) => cell.replace('- built-in wrapper - bright color', 'built-in wrapper bright color')))).toEqual(expected)
  })
})

describe('grid tables with cells across columns and rows (Pandoc 3)', () => {
  const spanned = [
    '+--------+--------------------+-------+',
    '|        | Both seasons               |',
    '|        +--------------------+-------+',
    '|        | Summer             | Winter|',
    '+========+====================+=======+',
    '| North  | warm and           | cold  |',
    '|        | dry                |       |',
    '+--------+--------------------+       |',
    '| South  | hot *and* wet      |       |',
    '+--------+--------------------+-------+',
    '',
    'After.',
    '',
  ].join('\n')

  it('read each cell as the rectangle its corners close, the rows above `+===+` the header', async () => {
    const { types, table } = await parse(spanned)
    expect(types).toEqual(['table', 'paragraph'])
    expect(table?.data?.headerRows).toBe(2)
    expect(cells(table)).toEqual([['', 'Both seasons'], ['Summer', 'Winter'], ['North', 'warm and dry', 'cold'], ['South', 'hot and wet']])
    const spans = table?.children.map((row) => (row.type === 'tableRow' ? row.children.map((cell) => cell.data?.hProperties ?? {}) : []))
    expect(spans).toEqual([[{ rowSpan: 2 }, { colSpan: 2 }], [{}, {}], [{}, {}, { rowSpan: 2 }], [{}, {}]])
  })

  it('write them with colspan and rowspan, header rows as th', async () => {
    const dir = makeProject({ 'ms.md': `---\ntitle: T\n---\n\n${spanned}` })
    await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, env: { SOURCE_DATE_EPOCH: '0' }, noCache: true })
    const html = readFileSync(path.join(dir, 'dist', 'ms.html'), 'utf8').replace(/\u00ad/g, '')
    const table = /<table>[\s\S]*<\/table>/.exec(html)?.[0].replace(/\n/g, '')
    expect(table).toBe(
      '<table><thead><tr><th rowspan="2"></th><th colspan="2">Both seasons</th></tr><tr><th>Summer</th><th>Winter</th></tr></thead>' +
        '<tbody><tr><td>North</td><td>warm and dry</td><td rowspan="2">cold</td></tr><tr><td>South</td><td>hot <em>and</em> wet</td></tr></tbody></table>',
    )
  })

  it('read a table without a header line as all body, as Pandoc does', async () => {
    const { table } = await parse('+---+---+\n| a | b |\n+---+---+\n| 1 | 2 |\n+---+---+\n')
    expect(table?.data?.headerRows).toBe(0)
    expect(cells(table)).toEqual([['a', 'b'], ['1', '2']])
    if (hasPandoc) expect(pandocCells('+---+---+\n| a | b |\n+---+---+\n| 1 | 2 |\n+---+---+\n')).toEqual([['a', 'b'], ['1', '2']])
  })

  it('leave lines that close no rectangle as text', async () => {
    expect((await parse('+---+---+\n| a   b |\n+---+\n')).types).not.toContain('table')
  })
})

// Where a caption goes, as pandoc 2.17 reads it (its native output is noted for each): a `:` line after a blank line
// and before a table is the table's caption, not a definition of the paragraph above it.
const pipe = '| a | b |\n|---|---|\n| 1 | 2 |\n'
const placements: [string, string, string[], string][] = [
  // [DefinitionList [("A paragraph.", [Plain "Cap"])], Table (Caption [])]: no blank line, so a definition.
  ['caption line right after a paragraph', `A paragraph.\n: Cap {#tbl:x}\n\n${pipe}`, ['defList', 'table'], ''],
  // [Para "A paragraph.", Table (Caption "Cap {#tbl:x}")]
  ['caption above, after a blank line', `A paragraph.\n\n: Cap {#tbl:x}\n\n${pipe}`, ['paragraph', 'table'], 'Cap {#tbl:x}'],
  ['caption above, over two lines', `A paragraph.\n\n: Cap\ngoes on\n\n${pipe}`, ['paragraph', 'table'], 'Cap goes on'],
  ['caption below', `A paragraph.\n\n${pipe}\n: Cap {#tbl:x}\n`, ['paragraph', 'table'], 'Cap {#tbl:x}'],
  ['caption right below', `A paragraph.\n\n${pipe}: Cap\n`, ['paragraph', 'table'], 'Cap'],
  // [Para "Para.", Table (Caption "Above"), Para "Table: Below"]: the caption above wins.
  ['captions above and below', `Para.\n\nTable: Above\n\n${pipe}\nTable: Below\n`, ['paragraph', 'table', 'paragraph'], 'Above'],
  // [Table (Caption "Between"), Table (Caption [])]: a caption between two tables is the first one's.
  ['caption between two tables', `${pipe}\nTable: Between\n\n${pipe}`, ['table', 'table'], 'Between'],
  // [DefinitionList [("T", ["d"]), ("A paragraph.", [Para "Cap"])], Table (Caption [])]: only a list's first term looks for a table.
  ['caption line as a later definition', `T\n: d\n\nA paragraph.\n\n: Cap\n\n${pipe}`, ['defList', 'table'], ''],
  // [DefinitionList [("A paragraph.", [Para "Cap"])], Table (Caption [])]: a caption starts with `:`, not `~`.
  ['a ~ line above a table', `A paragraph.\n\n~ Cap\n\n${pipe}`, ['defList', 'table'], ''],
  // [DefinitionList [("Term", [Plain "Def"])], Table (Caption [])]
  ['a tight definition before a table', `Term\n: Def\n\n${pipe}`, ['defList', 'table'], ''],
  // [Para "A paragraph.", Table (Caption "Cap")]: the manual's layout, an indented simple table under its caption.
  ['caption above an indented simple table', `A paragraph.\n\n: Cap\n\n  Right     Left\n-------     ------\n     12     12\n`, ['paragraph', 'table'], 'Cap'],
  ['caption above an indented simple table, first in the file', `: Cap\n\n  Right     Left\n-------     ------\n     12     12\n`, ['table'], 'Cap'],
  // [Para "Two lines.", Table (Caption "Cap")]: a term is one line, so two lines before `: Cap` are a paragraph.
  ['caption above, after a paragraph of two lines', `Two\nlines.\n\n: Cap\n\n${pipe}`, ['paragraph', 'table'], 'Cap'],
  // [Table (Caption "Cap now")]: below a grid or simple table after a blank line, as the JOSS template writes it.
  ['caption below a grid table, after a blank line', `+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\n\n: Cap *now*\n`, ['table'], 'Cap now'],
  ['caption below a simple table, after a blank line', `  Right     Left\n-------     ------\n     12     12\n\n: Cap\n`, ['table'], 'Cap'],
  ['caption below a grid table, then a definition list', `+---+\n| a |\n+===+\n| 1 |\n+---+\n\n: Cap\n\nTerm\n: def\n`, ['table', 'defList'], 'Cap'],
]

/** Pandoc's top-level block types, named as ours, and its first table's caption as text. */
function pandocPlacement(text: string): { types: string[]; caption: string } {
  const json = JSON.parse(spawnSync('pandoc', ['-f', 'markdown', '-t', 'json'], { input: text, encoding: 'utf8' }).stdout) as { blocks: { t: string; c: unknown[] }[] }
  const names: Record<string, string> = { Para: 'paragraph', Plain: 'paragraph', Table: 'table', DefinitionList: 'defList' }
  const table = json.blocks.find((block) => block.t === 'Table')
  const words = (node: unknown): string =>
    Array.isArray(node) ? node.map(words).join('') : node && typeof node === 'object' ? ('t' in node && node.t === 'Space' || 't' in node && node.t === 'SoftBreak' ? ' ' : 'c' in node ? words(node.c) : '') : typeof node === 'string' ? node : ''
  const captionBlocks = (table?.c[1] as unknown[] | undefined)?.[1]
  return { types: json.blocks.map((block) => names[block.t] ?? block.t), caption: words(captionBlocks) }
}

describe('table captions', () => {
  it.each(placements)('%s', async (_, text, types, caption) => {
    const tree = await parseMarkdown(new VFile({ path: 'doc.md', value: text, cwd: '/tmp' }))
    expect(tree.children.map((node) => node.type)).toEqual(types)
    const table = tree.children.find((node): node is Table => node.type === 'table')
    const first = table?.children[0]
    expect(first?.type === 'tableCaption' ? toString(first).replace(/\s+/g, ' ') : '').toBe(caption)
  })
  it.skipIf(!hasPandoc)('go where pandoc puts them', () => {
    for (const [name, text, types, caption] of placements) expect(pandocPlacement(text), name).toEqual({ types, caption })
  })
})

describe('a table label in an empty span at the end of the caption', () => {
  // The lua-filters `table-short-captions` convention (run before pandoc-crossref), and the JOSS template's
  // `[]{label="tab:x"}`: the span gives the table its label and leaves the caption, whose text stays Pandoc's.
  const pipe = '| a | b |\n|---|---|\n| 1 | 2 |\n'
  it.each([
    ['a short-caption span', `${pipe}\n: Sizes *now*. []{#tbl:sizes short-caption="Sizes"}\n`, 'tbl:sizes'],
    ['a JOSS label span on the next line', `: Sizes *now*.\n  []{label="tab:sizes"}\n\n${pipe}`, 'tab:sizes'],
  ])('%s', async (_, text, label) => {
    const { table } = await parse(text)
    expect(table?.data?.hProperties?.['id']).toBe(label)
    const caption = table?.children[0]
    expect(caption?.type).toBe('tableCaption')
    expect(caption?.type === 'tableCaption' ? caption.children.at(-1) : undefined).toMatchObject({ type: 'text', value: '.' })
    if (hasPandoc) {
      const html = spawnSync('pandoc', ['-t', 'html', '--wrap=none'], { input: text, encoding: 'utf8' }).stdout
      expect(toString(caption ?? { type: 'text', value: '' })).toBe(/<caption>([\s\S]*?)<\/caption>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '').trim())
    }
  })

  it('leaves a span that is not a table label in the caption', async () => {
    const { table } = await parse(`${pipe}\n: Sizes []{#other}\n`)
    expect(table?.data?.hProperties?.['id']).toBeUndefined()
    expect(table?.children[0]?.type === 'tableCaption' ? table.children[0].children.at(-1)?.type : undefined).toBe('emphasis')
  })
})
