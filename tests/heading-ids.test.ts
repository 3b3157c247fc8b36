// Heading identifiers as Pandoc's Markdown makes them (auto_identifiers), checked against Debian's pandoc (2.17).
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fromHtml } from 'hast-util-from-html'
import { visit } from 'unist-util-visit'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { pandocIdentifier } from '../src/html/rehype-heading-ids.js'
import { makeProject } from './helpers/project.js'

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0

/** Headings whose identifiers the two flavours make differently, and some that both make alike. */
const headings = [
  '1. Introduction',
  '2.3 Results and discussion',
  'Results & Discussion',
  'Results',
  'Results',
  'What’s new in v2.0?',
  'C++ and C# -- compared',
  'Über die Straße',
  'Émile Zola’s “J’accuse”',
  'A.B.C. and *emphasis* and `code.span`',
  '_under_score_ and -dash-',
  '中文标题 with Latin',
  '2024',
  '...',
  'Tabs\tand  spaces',
  'Ünïcödé ² and ½',
  'Link to [a page](https://example.org) here',
]

function ids(html: string): string[] {
  const found: string[] = []
  visit(fromHtml(html), 'element', (node) => {
    if (/^h[1-6]$/.test(node.tagName) && typeof node.properties['id'] === 'string' && !String(node.properties['className'] ?? '').includes('title')) {
      found.push(node.properties['id'])
    }
  })
  return found
}

describe('heading identifiers', () => {
  it('are made as Pandoc makes them: periods kept, nothing before the first letter', () => {
    expect(pandocIdentifier('1. Introduction')).toBe('introduction')
    expect(pandocIdentifier('Bracketed [@doe2020, p. 3] here')).toBe('bracketed-doe2020-p.-3-here')
    expect(pandocIdentifier('2024')).toBe('')
  })

  it.skipIf(!hasPandoc)('match pandoc on the same Markdown', async () => {
    const markdown = `---\ntitle: Headings\n---\n\n${headings.map((text) => `## ${text}\n\nText.\n`).join('\n')}`
    const dir = makeProject({ 'ms.md': markdown })
    await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' } })
    const galley = ids(readFileSync(path.join(dir, 'out.html'), 'utf8')).filter((id) => id !== 'toc-title' && id !== 'footnote-label')
    writeFileSync(path.join(dir, 'pandoc.md'), markdown)
    const pandoc = ids(execFileSync('pandoc', ['pandoc.md', '-t', 'html'], { cwd: dir, encoding: 'utf8' }))
    expect(galley).toEqual(pandoc)
    expect(galley).toHaveLength(headings.length)
  })
})
