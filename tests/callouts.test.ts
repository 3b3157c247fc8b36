// Callouts: the kinds and titles Quarto and GitHub give them, in the document's language, and inert titles.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { calloutTitlesFor } from '../src/config/translations.js'
import { parseMarkdown } from '../src/markdown/parse.js'
import type { Callout } from '../src/markdown/types.js'
import { mainHtml } from './helpers/fixtures.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

describe('callouts', () => {
  it('reads the five kinds from Quarto divs and GitHub alerts alike', async () => {
    const kinds = ['note', 'tip', 'important', 'warning', 'caution']
    const markdown = kinds.map((kind) => `::: {.callout-${kind}}\nx\n:::\n\n> [!${kind.toUpperCase()}]\n> y\n`).join('\n')
    const tree = await parseMarkdown(new VFile({ path: 'a.md', value: markdown }))
    expect(tree.children.map((node) => (node.type === 'callout' ? node.kind : node.type))).toEqual(kinds.flatMap((kind) => [kind, kind]))
  })

  it('takes the title from title=, else from a first heading, else none (the HTML stage names the kind)', async () => {
    const tree = await parseMarkdown(new VFile({ path: 'a.md', value: '::: {.callout-tip title="Use `lm()`"}\nx\n:::\n\n::: {.callout-note}\n### Heading title\n\ny\n:::\n\n::: {.callout-note}\nz\n:::\n' }))
    const titles = (tree.children as Callout[]).map((node) => (node.children[0]?.type === 'calloutTitle' ? node.children[0].children.map((child) => child.type) : []))
    expect(titles).toEqual([['text', 'inlineCode'], ['text'], []])
  })

  it('has default titles in the document language', () => {
    expect(calloutTitlesFor('de-AT').warning).toBe('Warnung')
    expect(calloutTitlesFor('no').note).toBe(calloutTitlesFor('nb').note)
    expect(calloutTitlesFor('xx').caution).toBe('Caution')
  })

  it('keeps a title inert: an unsafe link in it is removed, reported at the fence', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: T\n---\n\nText.\n\n::: {.callout-note title="[x](javascript:alert(1))"}\nBody.\n:::\n' })
    const result = await build({ inputs: ['paper.md'], to: ['html'], cwd: dir, env })
    const main = mainHtml(readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8'))
    expect(main).not.toContain('javascript:')
    expect(main).toMatch(/<p class="callout-title"><strong><span[^>]*>x<\/span><\/strong><\/p>/)
    const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`))
    expect(messages).toEqual(['7:1 unsafe-link'])
  })
})
