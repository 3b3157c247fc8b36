// Pandoc's multiline and grid tables read as tables (the examples of Pandoc's manual), checked against pandoc 2.17.
import { spawnSync } from 'node:child_process'
import type { Table } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { parseMarkdown } from '../src/markdown/parse.js'

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
