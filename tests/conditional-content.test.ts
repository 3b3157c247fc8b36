// Quarto's conditional content: what each condition shows in the HTML and EPUB of a build, that hidden content leaves
// nothing behind (alt text, notes, citations in the bibliography, the caches), and the warning for a format that is none.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { resolveConditions } from '../src/markdown/conditional-content.js'
import { unpack } from './helpers/epub.js'
import { makeProject } from './helpers/project.js'

const references = JSON.stringify([
  { id: 'seen', type: 'book', title: 'Seen Everywhere', author: [{ family: 'Visible', given: 'Vera' }], issued: { 'date-parts': [[2001]] } },
  { id: 'keyonly', type: 'book', title: 'Cited In The Key', author: [{ family: 'Keyholder', given: 'Kim' }], issued: { 'date-parts': [[2002]] } },
])

const manuscript = `---
title: Problem Set
bibliography: refs.json
---

Question one, after @seen.

::: {.content-visible when-profile="key"}
Answer: keyanswerword, as @keyonly shows.[^hint]

![keyaltword](pic.svg)

[^hint]: keynoteword in a note.

:::

::: {.content-hidden when-profile="key"}
Write here: studentlineword.
:::

::: {.content-visible unless-profile="key"}
Unless key: shownunlesskeyword.
:::

::: {.content-hidden unless-profile="key"}
Hidden unless key: hiddenunlesskeyword.
:::

::: {.content-visible when-format="pdf"}
Print only: pdfonlyword.
:::

::: {.content-visible when-format="html"}
HTML and EPUB: htmlfamilyword.
:::

::: {.content-visible when-format="html:js"}
Web page only: htmljsword.
:::

::: {.content-visible when-format="epub"}
Reader only: epubonlyword.
:::

::: {.content-hidden when-format="epub"}
Not in the EPUB: notepubword.
:::

::: {.content-visible unless-format="html"}
Unless HTML: unlesshtmlword.
:::

::: {.content-visible when-format="docx"}
Word only: docxword.
:::

::: {.content-hidden}
Always hidden: alwayshiddenword.
:::

::: {.content-visible}
Always shown: alwaysshownword.
:::
`

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
const words = ['keyanswerword', 'keyaltword', 'keynoteword', 'studentlineword', 'shownunlesskeyword', 'hiddenunlesskeyword', 'pdfonlyword', 'htmlfamilyword', 'htmljsword', 'epubonlyword', 'notepubword', 'unlesshtmlword', 'docxword', 'alwayshiddenword', 'alwaysshownword', 'Keyholder', 'Visible']

/** Which of `words` a text holds (soft hyphens and markup between letters do not count: the words are plain). */
function present(text: string): string[] {
  const plain = text.replace(/\u00ad|&shy;/g, '')
  return words.filter((word) => plain.includes(word))
}

async function buildProject(args: { profiles?: string[]; variants?: string[] } = {}): Promise<{ dir: string; html: string; epub: string; warnings: string[] }> {
  const dir = makeProject({ 'ps.md': manuscript, 'refs.json': references, 'pic.svg': svg })
  const metadata = [...(args.profiles ?? []).map((name) => `profile=${name}`), ...(args.variants ? [`variants=${args.variants.join(',')}`] : [])]
  const result = await build({ inputs: ['ps.md'], to: ['html', 'epub'], cwd: dir, metadata, env: { SOURCE_DATE_EPOCH: '1700000000' } })
  const html = readFileSync(path.join(dir, 'dist', 'ps.html'), 'utf8')
  const epub = [...unpack(path.join(dir, 'dist', 'ps.epub')).values()].join('\n')
  return { dir, html, epub, warnings: result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId}: ${message.reason}`)) }
}

describe('conditional content', () => {
  it('shows each condition only where it holds, without a profile', async () => {
    const { html, epub } = await buildProject()
    expect(present(html)).toEqual(['studentlineword', 'shownunlesskeyword', 'htmlfamilyword', 'htmljsword', 'notepubword', 'alwaysshownword', 'Visible'])
    expect(present(epub)).toEqual(['studentlineword', 'shownunlesskeyword', 'htmlfamilyword', 'epubonlyword', 'alwaysshownword', 'Visible'])
  })

  it('shows the key with its profile: the answer, its picture, its note and the entry it cites', async () => {
    const { html, epub } = await buildProject({ profiles: ['key'] })
    expect(present(html)).toEqual(['keyanswerword', 'keyaltword', 'keynoteword', 'hiddenunlesskeyword', 'htmlfamilyword', 'htmljsword', 'notepubword', 'alwaysshownword', 'Keyholder', 'Visible'])
    expect(present(epub)).toContain('keynoteword')
    expect(present(epub)).toContain('Keyholder')
    expect(present(epub)).not.toContain('studentlineword')
  })

  it('leaves no trace of the conditions in what is shown', async () => {
    const { html } = await buildProject({ profiles: ['key'] })
    expect(html).not.toMatch(/content-visible|content-hidden|when-profile|when-format|unless-/)
  })

  it('writes one copy per variant from one run, the first without a suffix', async () => {
    const typo = '\n::: {.content-visible when-format="pfd"}\nTypo.\n:::\n'
    const dir = makeProject({ 'ps.md': manuscript + typo, 'refs.json': references, 'pic.svg': svg })
    const result = await build({ inputs: ['ps.md'], to: ['html'], cwd: dir, metadata: ['variants=student,key'], env: { SOURCE_DATE_EPOCH: '1700000000' } })
    expect(result.outputs.map((output) => path.relative(dir, output.path))).toEqual([path.join('dist', 'ps.html'), path.join('dist', 'ps-key.html')])
    const student = readFileSync(path.join(dir, 'dist', 'ps.html'), 'utf8')
    const key = readFileSync(path.join(dir, 'dist', 'ps-key.html'), 'utf8')
    expect(present(student)).not.toContain('keyanswerword')
    expect(present(student)).not.toContain('Keyholder')
    expect(present(key)).toContain('keyanswerword')
    expect(present(key)).toContain('Keyholder')
    // One warning per place, not one per copy.
    const unknown = result.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'unknown-format-condition')
    expect(unknown).toHaveLength(1)
  })

  it('applies the conditions to code blocks, inside a div or on the block, and keeps hidden code out of the code cache', async () => {
    const code = [
      '::: {.content-visible when-profile="key"}\n```python\nprint("divkeycode")\n```\n:::',
      '```{.python .content-visible when-profile="key"}\nprint("blockkeycode")\n```',
      '```python {.content-hidden when-profile="key"}\nprint("scaffoldcode")\n```',
      '~~~ {.content-visible when-profile="key"}\nplainkeycode\n~~~',
    ].join('\n\n')
    const dir = makeProject({ 'ps.md': `---\ntitle: Code\n---\n\n${code}\n` })
    await build({ inputs: ['ps.md'], to: ['html'], cwd: dir, metadata: ['variants=student,key'], env: { SOURCE_DATE_EPOCH: '1700000000' } })
    const codeWords = (html: string): string[] => ['divkeycode', 'blockkeycode', 'scaffoldcode', 'plainkeycode'].filter((word) => html.replace(/<[^>]*>/g, '').includes(word))
    const student = readFileSync(path.join(dir, 'dist', 'ps.html'), 'utf8')
    const key = readFileSync(path.join(dir, 'dist', 'ps-key.html'), 'utf8')
    expect(codeWords(student)).toEqual(['scaffoldcode'])
    expect(codeWords(key)).toEqual(['divkeycode', 'blockkeycode', 'plainkeycode'])
    // The block keeps its language, and no trace of the condition.
    expect(key.match(/<pre class="[^"]*"/g)).toEqual(['<pre class="sourceCode python"', '<pre class="sourceCode python"', '<pre class="sourceCode"'])
    expect(key).not.toMatch(/content-visible|content-hidden|when-profile/)
    // A student-only build caches no key code (the highlighter's cache holds what it highlighted).
    const only = makeProject({ 'ps.md': `---\ntitle: Code\n---\n\n${code}\n` })
    await build({ inputs: ['ps.md'], to: ['html'], cwd: only, env: { SOURCE_DATE_EPOCH: '1700000000' } })
    for (const name of readdirSync(path.join(only, '.galley-cache', 'code'))) {
      expect(readFileSync(path.join(only, '.galley-cache', 'code', name)).toString('latin1')).not.toMatch(/divkeycode|blockkeycode/)
    }
  })

  it('prints the name line in the students\' copy and not in the answer key', async () => {
    const dir = makeProject({ 'ps.md': '---\ntitle: Sheet\nlayout: handout\nname-line: true\n---\n\nQuestion.\n' })
    await build({ inputs: ['ps.md'], to: ['html'], cwd: dir, metadata: ['variants=student,key'], env: { SOURCE_DATE_EPOCH: '1700000000' } })
    expect(readFileSync(path.join(dir, 'dist', 'ps.html'), 'utf8')).toContain('class="name-line"')
    expect(readFileSync(path.join(dir, 'dist', 'ps-key.html'), 'utf8')).not.toContain('class="name-line"')
    // The same with the key's profile given on its own.
    await build({ inputs: ['ps.md'], to: ['html'], cwd: dir, metadata: ['profile=key'], env: { SOURCE_DATE_EPOCH: '1700000000' } })
    expect(readFileSync(path.join(dir, 'dist', 'ps.html'), 'utf8')).not.toContain('class="name-line"')
  })

  it('keeps hidden content out of the caches of what it builds', async () => {
    const { dir } = await buildProject({ profiles: ['student'] })
    const cache = path.join(dir, '.galley-cache')
    for (const kind of ['parts', 'citations', 'hyphenation']) {
      for (const name of readdirSync(path.join(cache, kind))) {
        const bytes = readFileSync(path.join(cache, kind, name)).toString('latin1')
        expect(bytes, `${kind}/${name}`).not.toMatch(/keyanswerword|keynoteword|keyaltword|Keyholder/)
      }
    }
  })

  it('formats the citations of each output on its own when content that holds citations differs between them', async () => {
    const text = '---\ntitle: T\nbibliography: refs.json\ncsl: ieee\n---\n\n::: {.content-visible when-format="epub"}\nOnly in the reader [@keyonly].\n:::\n\nFirst [@seen], then [@keyonly].\n'
    const dir = makeProject({ 't.md': text, 'refs.json': references })
    await build({ inputs: ['t.md'], to: ['html', 'epub'], cwd: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } })
    const html = readFileSync(path.join(dir, 'dist', 't.html'), 'utf8').replace(/\u00ad/g, '')
    const epub = [...unpack(path.join(dir, 'dist', 't.epub')).values()].join('\n')
    // IEEE numbers entries by first citation: the EPUB cites Keyholder first, the HTML Visible.
    const numbers = (text: string): string[] => [...text.matchAll(/data-cites="(\w+)">\[(\d)\]/g)].map((match) => `${match[1]}=${match[2]}`)
    expect(numbers(html)).toEqual(['seen=1', 'keyonly=2'])
    expect(numbers(epub)).toEqual(['keyonly=1', 'seen=2', 'keyonly=1'])
  })

  it('leaves out of the bibliography an entry cited only in content another output shows', async () => {
    const text = '---\ntitle: T\nbibliography: refs.json\n---\n\nFirst [@seen].\n\n::: {.content-visible when-format="epub"}\nOnly in the reader [@keyonly].\n:::\n'
    const dir = makeProject({ 't.md': text, 'refs.json': references })
    await build({ inputs: ['t.md'], to: ['html', 'epub'], cwd: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } })
    expect(present(readFileSync(path.join(dir, 'dist', 't.html'), 'utf8'))).toEqual(['Visible'])
    expect(present([...unpack(path.join(dir, 'dist', 't.epub')).values()].join('\n'))).toEqual(['Keyholder', 'Visible'])
  })

  it('warns about a when-format value that names no format, at its place', async () => {
    const dir = makeProject({ 'bad.md': '# T\n\n::: {.content-visible when-format="pfd"}\nTypo.\n:::\n' })
    const result = await build({ inputs: ['bad.md'], to: ['html'], cwd: dir })
    const messages = result.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'unknown-format-condition')
    expect(messages.map((message) => [message.reason.slice(0, 26), message.line])).toEqual([['Unknown format "pfd" in wh', 3]])
    expect(readFileSync(path.join(dir, 'dist', 'bad.html'), 'utf8')).not.toContain('Typo')
  })

  it('takes unknown profile names without a word, as Quarto does', async () => {
    const { warnings } = await buildProject({ profiles: ['nobody-uses-this'] })
    expect(warnings.filter((warning) => !warning.startsWith('unknown-format-condition'))).toEqual([])
  })

  it('acts on any node that carries the attributes, such as a bracketed span', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [
            { type: 'text', value: 'Before ' },
            { type: 'emphasis', children: [{ type: 'text', value: 'answer' }], data: { hName: 'span', hProperties: { className: ['content-visible', 'hint'], 'data-when-profile': 'key' } } },
            { type: 'text', value: ' after' },
          ],
        },
      ],
    }
    const withKey = structuredClone(tree)
    resolveConditions(withKey, { profiles: ['key'] })
    expect(JSON.stringify(withKey)).toContain('"answer"')
    expect(JSON.stringify(withKey)).toContain('"className":["hint"]')
    expect(JSON.stringify(withKey)).not.toContain('when-profile')
    resolveConditions(tree, { profiles: [] })
    expect(JSON.stringify(tree)).not.toContain('answer')
  })
})
