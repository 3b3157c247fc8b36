// Soft hyphens for print: which words get them, and the word cache that spares a repeated build the work.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Root } from 'hast'
import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { fileCache } from '../src/file-cache.js'
import { hyphenateAhead, rehypeHyphenate } from '../src/html/rehype-hyphenate.js'
import { makeProject } from './helpers/project.js'

const shy = '\u00AD'

function hyphenated(html: Root, options: Parameters<typeof rehypeHyphenate>[0]): string {
  rehypeHyphenate(options)(html)
  return toHtml(html)
}

describe('hyphenation', () => {
  it('hyphenates running text by the language, never headings, code, URLs or short words', () => {
    const tree: Root = { type: 'root', children: [h('h1', 'Extraordinary'), h('p', 'Extraordinary circumstances, see https://example.org/extraordinary or try it.'), h('code', 'extraordinary')] }
    const html = hyphenated(tree, { lang: 'en-US' })
    expect(html).toContain(`<h1>Extraordinary</h1>`)
    expect(html).toContain(`Ex${shy}tra${shy}or${shy}di${shy}nary cir${shy}cum${shy}stances`)
    expect(html).toContain('https://example.org/extraordinary or try it.')
    expect(html).toContain('<code>extraordinary</code>')
  })

  it('hyphenates ahead, from text, the words the tree then takes from known', () => {
    const ahead = new Map<string, string>()
    hyphenateAhead('en-US', ['Extraordinary circumstances,', 'see https://example.org/extraordinary or try it.'], ahead)
    expect([...ahead.keys()]).toEqual(['Extraordinary', 'circumstances,'])
    const paragraph = (): Root => ({ type: 'root', children: [h('p', 'Extraordinary circumstances, and others.')] })
    const learned = new Map<string, string>()
    expect(hyphenated(paragraph(), { lang: 'en-US', known: ahead, learned })).toBe(hyphenated(paragraph(), { lang: 'en-US' }))
    // Only the words the tree has are handed on: "others." is new, nothing of the URL is kept.
    expect([...learned.keys()]).toEqual(['Extraordinary', 'circumstances,', 'others.'])
  })

  it('leaves a language without patterns alone', () => {
    expect(hyphenated({ type: 'root', children: [h('p', 'Extraordinary')] }, { lang: 'tlh' })).toBe('<p>Extraordinary</p>')
  })

  it('takes known words as they are and hands on every word it hyphenated', () => {
    const known = new Map([['Extraordinary', `Extra${shy}ordinary`]])
    const learned = new Map<string, string>()
    const html = hyphenated({ type: 'root', children: [h('p', 'Extraordinary circumstances')] }, { lang: 'en', known, learned })
    expect(html).toBe(`<p>Extra${shy}ordinary cir${shy}cum${shy}stances</p>`)
    expect([...learned]).toEqual([
      ['Extraordinary', `Extra${shy}ordinary`],
      ['circumstances', `cir${shy}cum${shy}stances`],
    ])
  })

  it('keeps the words of the last build in .galley-cache/hyphenation, and a cached build prints the same', async () => {
    const dir = makeProject({ 'book.md': '---\ntitle: Words\nlang: en-GB\n---\n\nExtraordinary circumstances demand considerable patience.\n' })
    const run = async (noCache = false): Promise<string> => {
      await build({ inputs: ['book.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, noCache })
      return readFileSync(path.join(dir, 'out.html'), 'utf8')
    }
    const fresh = await run(true)
    const first = await run()
    const stored = readdirSync(path.join(dir, '.galley-cache', 'hyphenation'))
    expect(stored).toHaveLength(1)
    expect(await run()).toBe(first)
    expect(first).toBe(fresh)
    expect(first).toContain(`con${shy}sid${shy}er${shy}able`)

    // The store is read: a word put into it by hand comes out as stored.
    const store = fileCache(path.join(dir, '.galley-cache', 'hyphenation'), { format: 'v8' })
    const key = (stored[0] ?? '').replace(/\.v8$/, '')
    const words = store.get(key) as Map<string, string>
    store.set(key, new Map([...words, ['patience.', `pa${shy}tien${shy}ce.`]]))
    // Without the finished chapter kept in .galley-cache/parts, which would be taken as it is.
    rmSync(path.join(dir, '.galley-cache', 'parts'), { recursive: true })
    expect(await run()).toContain(`pa${shy}tien${shy}ce.`)

    // An edit: the new word is hyphenated, the one gone is dropped from the store.
    writeFileSync(path.join(dir, 'book.md'), '---\ntitle: Words\nlang: en-GB\n---\n\nExtraordinary circumstances demand remarkable patience.\n')
    expect(await run()).toContain(`re${shy}mark${shy}able`)
    const after = store.get(key) as Map<string, string>
    expect([...after.keys()].sort()).toEqual(['Extraordinary', 'circumstances', 'demand', 'patience.', 'remarkable'])
  })
})
