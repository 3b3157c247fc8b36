// Code blocks: the language index against starry-night, Pandoc's names and attributes, lines cut per token, the cache, safety.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, ElementContent } from 'hast'
import { toHtml } from 'hast-util-to-html'
import type { Code, Root } from 'mdast'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { all, createStarryNight } from '@wooorm/starry-night'
import { build } from '../src/build.js'
import { splitLines } from '../src/html/code-block.js'
import { remarkHighlightCode, scopeOf } from '../src/html/remark-highlight-code.js'
import { parseMarkdown } from '../src/markdown/parse.js'
import { hasCodeLanguage } from '../src/pipeline.js'
import { mainHtml } from './helpers/fixtures.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const hasPandoc = spawnSync('pandoc', ['--version']).status === 0

async function html(markdown: string): Promise<{ main: string; messages: string[] }> {
  const dir = makeProject({ 'paper.md': `---\ntitle: Code\n---\n\n${markdown}` })
  const result = await build({ inputs: ['paper.md'], to: ['html'], cwd: dir, env })
  const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`))
  return { main: mainHtml(readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8')), messages }
}

async function codeNodes(markdown: string): Promise<Code[]> {
  const tree = await parseMarkdown(new VFile({ path: 'input.md', value: markdown }))
  return tree.children.filter((node): node is Code => node.type === 'code')
}

describe('the language index', () => {
  it('gives every name and extension the grammar starry-night itself gives it (run scripts/code-languages.mjs after an upgrade)', async () => {
    const starryNight = await createStarryNight(all)
    const flags = all.flatMap((grammar) => [...(grammar.names ?? []), ...(grammar.extensions ?? []).map((extension) => extension.slice(1))])
    const differing = flags.filter((flag) => !flag.includes('.') && scopeOf(flag) !== starryNight.flagToScope(flag))
    // Only Pandoc's own names may differ, where starry-night has a grammar under another name.
    expect(differing.filter((flag) => !['commonlisp', 'sgml'].includes(flag.toLowerCase()))).toEqual([])
    expect(flags.length).toBeGreaterThan(2000)
  })

  it.runIf(hasPandoc)('knows most of the languages Pandoc highlights, by Pandoc’s names', () => {
    const names = execFileSync('pandoc', ['--list-highlight-languages'], { encoding: 'utf8' }).trim().split('\n')
    const known = names.filter((name) => scopeOf(name) !== undefined)
    // The rest are mostly Pandoc's helper syntaxes (comments, doxygen, modelines, default) and rare languages.
    expect(known.length).toBeGreaterThanOrEqual(124)
    for (const name of ['python', 'r', 'julia', 'haskell', 'c', 'cpp', 'fortranfree', 'fortranfixed', 'stan', 'mathematica', 'octave', 'bash', 'latex', 'sqlpostgresql']) {
      expect(scopeOf(name), name).toBeDefined()
    }
    expect(scopeOf('constructor')).toBeUndefined()
  })
})

describe('code block attributes', () => {
  it('reads the language and numbering as Pandoc does', async () => {
    const [plain, braced, later, cell, indented] = await codeNodes(
      '```python\nx\n```\n\n```{#lst:a .r .numberLines startFrom="5" onclick="x"}\ny\n```\n\n~~~ {.numberLines .bash}\nz\n~~~\n\n```{r setup, echo=FALSE}\nw\n```\n\n    v\n',
    )
    expect(plain?.data?.attributes).toMatchObject({ classes: ['python'], numberLines: false })
    expect(braced?.data?.attributes).toEqual({ id: 'lst:a', classes: ['r', 'numberLines'], numberLines: true, startFrom: 5, properties: { 'data-onclick': 'x' } })
    expect(later?.data?.attributes).toMatchObject({ classes: ['numberLines', 'bash'], numberLines: true, startFrom: 1 })
    expect(later?.lang).toBe('bash')
    expect(cell?.data?.attributes?.classes).toEqual(['r'])
    expect(indented?.data?.attributes).toBeUndefined()
  })

  it.runIf(hasPandoc)('numbers lines and classes the block as Pandoc’s HTML does', async () => {
    const markdown = '```{.haskell .numberLines startFrom="100"}\nmain = print 1\nf = 2\n```\n'
    const pandoc = execFileSync('pandoc', ['-t', 'html'], { input: markdown, encoding: 'utf8' })
    const { main } = await html(markdown)
    const preClass = (text: string): string | undefined => /<pre\s+class="([^"]+)"/.exec(text)?.[1]
    expect(preClass(main)).toBe(preClass(pandoc))
    expect(pandoc).toContain('counter-reset: source-line 99')
    expect([...main.matchAll(/data-line="(\d+)"/g)].map((match) => match[1])).toEqual(['100', '101'])
  })

  it('highlights only when a grammar is known, with no warning for an unknown language (as Pandoc)', async () => {
    const { main, messages } = await html('```pyhton\nx = 1\n```\n\n```python\nx = 1\n```\n')
    expect(messages).toEqual([])
    expect(main).toContain('<pre class="sourceCode pyhton"><code class="sourceCode"><span class="line">x = 1</span></code>')
    expect(main).toContain('<span class="line">x <span class="pl-k">=</span> <span class="pl-c1">1</span></span>')
  })

  it('keeps blocks shorter than ten lines together, and lets longer ones break', async () => {
    const lines = (count: number): string => Array.from({ length: count }, (_, index) => `x${index} = ${index}`).join('\n')
    const { main } = await html(`\`\`\`python\n${lines(9)}\n\`\`\`\n\n\`\`\`python\n${lines(10)}\n\`\`\`\n`)
    expect([...main.matchAll(/<div class="([^"]+)"><pre/g)].map((match) => match[1])).toEqual(['sourceCode short', 'sourceCode'])
  })

  it('highlights grammars embedded in others (JavaScript inside HTML)', async () => {
    const { main } = await html('```html\n<p>x</p><script>let y = go()</script>\n```\n')
    expect(main).toContain('<span class="pl-ent">p</span>')
    expect(main).toContain('<span class="pl-k">let</span>')
    expect(main).toContain('<span class="pl-en">go</span>')
  })
})

describe('lines', () => {
  it('cuts a token that runs over several lines at each line end', () => {
    const comment: Element = { type: 'element', tagName: 'span', properties: { className: ['pl-c'] }, children: [{ type: 'text', value: '/* a\nb */' }] }
    const lines = splitLines([{ type: 'text', value: 'x; ' }, comment, { type: 'text', value: '\ny;\n' }])
    expect(lines.map((line) => toHtml({ type: 'root', children: line }))).toEqual(['x; <span class="pl-c">/* a</span>', '<span class="pl-c">b */</span>', 'y;'])
  })

  it('keeps empty lines', () => {
    expect(splitLines([{ type: 'text', value: 'a\n\nb' }]).map((line) => line.length)).toEqual([1, 0, 1])
  })
})

describe('the highlighter', () => {
  it('is needed only by a book with a code block in a language', async () => {
    const book = async (markdown: string): Promise<Root> => parseMarkdown(new VFile({ path: 'a.md', value: markdown }))
    expect(hasCodeLanguage(await book('    indented\n\n```\nplain\n```\n\nText with `code`.\n'))).toBe(false)
    expect(hasCodeLanguage(await book('```python\nx\n```\n'))).toBe(true)
  })

  it('reads earlier highlighting from the cache and stores what it highlights', async () => {
    const store = new Map<string, unknown>()
    let writes = 0
    const cache = {
      get: (key: string) => store.get(key),
      set: (key: string, value: unknown) => {
        writes += 1
        store.set(key, value)
      },
    }
    const run = async (): Promise<ElementContent[] | undefined> => {
      const tree = await parseMarkdown(new VFile({ path: 'a.md', value: '```python\nx = 1\n```\n' }))
      await remarkHighlightCode({ cache })(tree)
      return (tree.children[0] as Code).data?.highlighted?.children
    }
    const first = await run()
    expect(writes).toBe(1)
    const [entry] = store.values()
    const stored = entry as Map<string, ElementContent[]>
    // What the cache holds is what the next build shows: change it, and the change shows.
    for (const key of stored.keys()) stored.set(key, [{ type: 'text', value: 'from the cache' }])
    expect(toHtml({ type: 'root', children: first ?? [] })).toBe('x <span class="pl-k">=</span> <span class="pl-c1">1</span>')
    expect(await run()).toEqual([{ type: 'text', value: 'from the cache' }])
    expect(writes).toBe(1)
  })

  it('leaves code inert: markup in code is text, attributes cannot run script', async () => {
    const { main, messages } = await html('```{.html onclick="alert(1)" style="background:url(x)"}\n</code></pre><script>alert(1)</script>\n```\n')
    expect(messages).toEqual([])
    expect(main).not.toMatch(/<script|\sonclick=|\sstyle=/)
    expect(main).toContain('data-onclick="alert(1)"')
    expect(main).toContain('&#x3C;<span class="pl-ent">script</span>>')
  })
})
