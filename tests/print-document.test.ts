// The print document made part by part, with finished parts kept between builds: the HTML is the same as the whole
// tree's passes give, and a part is taken from the cache only when nothing it shows has changed.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { fileCache, type Cache } from '../src/file-cache.js'
import { printDocument } from '../src/html/print-document.js'
import { rehypeHyphenate } from '../src/html/rehype-hyphenate.js'
import { rehypeUrlBreaks } from '../src/html/rehype-url-breaks.js'
import { makeProject, tinyPng } from './helpers/project.js'

function memoryCache(): Cache & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>()
  return { entries, get: (key) => structuredClone(entries.get(key)), set: (key, value) => void entries.set(key, structuredClone(value)) }
}

/** A small book document as `bookToHtmlTree` makes it: head, title block, contents, and the parts in `<main>`. */
function book(chapterTwo: Element = h('section.chapter#chapter-2', [h('h1#two', 'Two'), h('p', 'Considerable patience, at https://example.org/a/b.')])): Root {
  return {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'en-US' }, [
        h('head', [h('title', 'Extraordinary'), h('style', 'p { margin: 0 }')]),
        h('body', [
          // The title block is never hyphenated, but its URLs get break points: the rest of the tree is finished too.
          h('header#title-block-header', [h('h1.title', 'Extraordinary circumstances'), h('p.subtitle', 'At https://example.org/a/b')]),
          h('main#main', [
            h('section.chapter#chapter-1', [h('h1#one', 'One'), h('p', ['Extraordinary circumstances.', h('img', { src: 'fig.png', alt: 'A figure' })])]),
            { type: 'text', value: '\n' },
            chapterTwo,
            h('section.footnotes', { dataFootnotes: true }, [h('ol', [h('li#fn1', 'Remarkable notes.')])]),
          ]),
        ]),
      ]),
    ],
  }
}

/** What the passes give over the whole tree at once. */
function wholeTree(tree: Root): string {
  rehypeHyphenate({ lang: 'en-US' })(tree)
  rehypeUrlBreaks()(tree)
  const html = tree.children[1] as Element
  html.properties['className'] = ['hyphenate', 'book']
  return toHtml(tree)
}

describe('print document', () => {
  const projectDir = makeProject({ 'fig.png': tinyPng })
  const options = { lang: 'en-US', book: true, print: true, standalone: true, projectDir }

  it('gives the HTML of the whole tree, taking unchanged parts from the cache', () => {
    const expected = wholeTree(book())
    const parts = memoryCache()
    const fresh = printDocument(book(), { ...options, learned: new Map(), parts })
    expect(fresh.print).toBe(expected)
    expect(fresh.reused).toBe(0)
    expect(parts.entries.size).toBe(3)
    // The standalone HTML differs only in carrying the image inside.
    expect(fresh.standalone).toBe(expected.replace('src="fig.png"', `src="data:image/png;base64,${tinyPng.toString('base64')}"`))

    const learned = new Map<string, string>()
    const again = printDocument(book(), { ...options, learned, parts })
    expect(again).toEqual({ ...fresh, reused: 3 })
    // The parts' words were not looked at (and the title block is not hyphenated).
    expect([...learned.keys()]).toEqual([])
  })

  it('keeps one entry per part for both the printed and the standalone HTML, without the image files', () => {
    const parts = memoryCache()
    const printed = printDocument(book(), { ...options, standalone: false, learned: new Map(), parts })
    const standalone = printDocument(book(), { ...options, print: false, learned: new Map(), parts })
    expect(standalone.reused).toBe(3)
    expect(standalone.standalone).toBe(printed.print?.replace('src="fig.png"', `src="data:image/png;base64,${tinyPng.toString('base64')}"`))
    expect(JSON.stringify([...parts.entries.values()])).not.toContain(tinyPng.toString('base64'))
  })

  it('makes a part afresh when its text, an attribute or the language changed', () => {
    const parts = memoryCache()
    printDocument(book(), { ...options, learned: new Map(), parts })

    const edited = book(h('section.chapter#chapter-2', [h('h1#two', 'Two'), h('p', 'Remarkable patience, at https://example.org/a/b.')]))
    const afterEdit = printDocument(structuredClone(edited), { ...options, learned: new Map(), parts })
    expect(afterEdit.reused).toBe(2)
    expect(afterEdit.print).toBe(wholeTree(edited))

    const attribute = book(h('section.chapter#chapter-2', { dataSource: 'two.md' }, [h('h1#two', 'Two'), h('p', 'Considerable patience, at https://example.org/a/b.')]))
    const afterAttribute = printDocument(structuredClone(attribute), { ...options, learned: new Map(), parts })
    expect(afterAttribute.reused).toBe(2)
    expect(afterAttribute.print).toBe(wholeTree(attribute))
    expect(afterAttribute.print).toContain('data-source="two.md"')

    const german = printDocument(book(), { ...options, lang: 'de', learned: new Map(), parts })
    expect(german.reused).toBe(0)
  })

  it('inlines an image file as it is now, in a part taken from the cache too', async () => {
    const dir = makeProject({ 'ms.md': '---\ntitle: Figure\n---\n\nText.\n\n![A figure](fig.png)\n', 'fig.png': tinyPng })
    const run = async (noCache = false): Promise<string> => {
      await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, noCache })
      return readFileSync(path.join(dir, 'out.html'), 'utf8')
    }
    const first = await run()
    expect(first).toContain(tinyPng.toString('base64'))
    expect(readdirSync(path.join(dir, '.galley-cache', 'parts'))).toHaveLength(1)
    const changed = Buffer.concat([tinyPng, Buffer.from([0])])
    writeFileSync(path.join(dir, 'fig.png'), changed)
    const second = await run()
    expect(second).toContain(changed.toString('base64'))
    expect(second).toBe(await run(true))
    expect(readdirSync(path.join(dir, '.galley-cache', 'parts'))).toHaveLength(1)
  })

  it('keeps the words of the chapters taken from the cache in the hyphenation store', async () => {
    const dir = makeProject({ 'one.md': '---\ntitle: Words\n---\n\n# One\n\nExtraordinary circumstances.\n', 'two.md': '# Two\n\nConsiderable patience.\n' })
    const run = (): Promise<unknown> => build({ inputs: ['one.md', 'two.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' } })
    const stored = (): string[] => {
      const [file = ''] = readdirSync(path.join(dir, '.galley-cache', 'hyphenation'))
      return [...(fileCache(path.join(dir, '.galley-cache', 'hyphenation'), { format: 'v8' }).get(file.replace(/\.v8$/, '')) as Map<string, string>).keys()].sort()
    }
    await run()
    expect(stored()).toEqual(['Considerable', 'Extraordinary', 'circumstances.', 'patience.'])
    writeFileSync(path.join(dir, 'two.md'), '# Two\n\nRemarkable patience.\n')
    await run()
    // The first chapter came from the cache and its words were not looked at: they stay, with the new one.
    expect(stored()).toEqual(['Considerable', 'Extraordinary', 'Remarkable', 'circumstances.', 'patience.'])
  })

  it('builds a book after an edit as a build without the cache does', async () => {
    const dir = makeProject({
      'one.md': '---\ntitle: Parts\n---\n\n# One\n\nExtraordinary circumstances.[^a]\n\n[^a]: A considerable note.\n',
      'two.md': '# Two\n\nSee <https://example.org/a/b>.[^b]\n\n[^b]: Another note.\n',
    })
    const run = async (noCache = false): Promise<string> => {
      await build({ inputs: ['one.md', 'two.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, noCache })
      return readFileSync(path.join(dir, 'out.html'), 'utf8')
    }
    expect(await run()).toBe(await run(true))
    expect(await run()).toBe(await run(true))
    // A note added to the first chapter renumbers the second chapter's note: that part changes too.
    writeFileSync(path.join(dir, 'one.md'), '---\ntitle: Parts\n---\n\n# One\n\nExtraordinary[^z] circumstances.[^a]\n\n[^a]: A considerable note.\n\n[^z]: First.\n')
    const edited = await run()
    expect(edited).toContain('aria-describedby="footnote-label">3</a>')
    expect(edited).toBe(await run(true))
  })
})
