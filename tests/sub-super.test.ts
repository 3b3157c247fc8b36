// Pandoc's superscript and subscript: `2^10^`, `H~2~O`; checked against pandoc 2.17's HTML.
import { spawnSync } from 'node:child_process'
import { toHast } from 'mdast-util-to-hast'
import { toHtml } from 'hast-util-to-html'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { parseMarkdown } from '../src/markdown/parse.js'

const text = String.raw`H~2~O and 2^10^, ^x^ alone, a^b c^ and a~b c~ stay, ~~struck~~ and \^esc^ and *e^2^*.`

async function html(markdown: string): Promise<string> {
  const tree = await parseMarkdown(new VFile({ path: 'doc.md', value: markdown, cwd: '/tmp' }))
  return toHtml(toHast(tree))
}

describe('superscript and subscript', () => {
  it('reads them as Pandoc does', async () => {
    expect(await html(text)).toBe(
      '<p>H<sub>2</sub>O and 2<sup>10</sup>, <sup>x</sup> alone, a^b c^ and a~b c~ stay, <del>struck</del> and ^esc^ and <em>e<sup>2</sup></em>.</p>',
    )
  })
  it.skipIf(spawnSync('pandoc', ['--version']).status !== 0)('agrees with pandoc', () => {
    const pandoc = spawnSync('pandoc', ['-f', 'markdown-smart', '-t', 'html', '--wrap=none'], { input: text, encoding: 'utf8' }).stdout.trim()
    expect(pandoc).toBe('<p>H<sub>2</sub>O and 2<sup>10</sup>, <sup>x</sup> alone, a^b c^ and a~b c~ stay, <del>struck</del> and ^esc^ and <em>e<sup>2</sup></em>.</p>')
  })
})
