// Quarto's `{{< include FILE >}}`: the file's content in its place, messages at the included file's own lines.
import { readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

async function built(dir: string, inputs: string[]): Promise<{ html: string; messages: string[]; sources: string[] }> {
  const result = await build({ inputs, to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false, noCache: true })
  const messages = result.files.flatMap((file) => file.messages.map((message) => `${file.path}:${message.line ?? '-'}:${message.column ?? '-'} ${message.ruleId ?? ''} ${message.reason}`))
  return { html: readFileSync(path.join(dir, 'out.html'), 'utf8').replace(/\u00ad/g, ''), messages, sources: result.sources }
}

const main = `---
title: Includes
---

# Main

Before the include.[^a]

{{< include _part.qmd >}}

After the include, citing [@after].

[^a]: A note defined after the include.
`
const part = `## Included Section

Text of the part, citing [@inpart].
`

describe('Quarto includes', () => {
  it('puts the included file in place and reports its lines as its own; the including file keeps its lines and notes', async () => {
    const dir = makeProject({ 'main.qmd': main, '_part.qmd': part })
    const { html, messages, sources } = await built(dir, ['main.qmd'])
    const order = ['Before the include', 'Included Section', 'Text of the part', 'After the include'].map((text) => html.indexOf(text))
    expect(order.every((at) => at > 0), String(order)).toBe(true)
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(html).not.toContain('{{&#x3C; include')
    expect(html).not.toContain('{{< include')
    // The note defined after the include is the note of the reference before it.
    expect(html).toContain('A note defined after the include.')
    expect(html).not.toContain('[^a]')
    expect(messages).toContain('_part.qmd:3:27 missing-citation-key Citation key "inpart" not found')
    expect(messages).toContain('main.qmd:11:28 missing-citation-key Citation key "after" not found')
    expect(messages.some((message) => message.includes('quarto-shortcode'))).toBe(false)
    // Watch mode rebuilds when the included file changes.
    expect(sources).toContain(path.join(realpathSync(dir), '_part.qmd'))
  })

  it('includes inside an included file (relative to the main file, as Quarto pastes the text there, or to the project with /), and inside a div at the include line', async () => {
    const dir = makeProject({
      'book/main.qmd': '# Main\n\n{{< include parts/_a.qmd >}}\n\n::: {.note}\n{{< include /shared/_c.qmd >}}\n:::\n',
      'book/parts/_a.qmd': 'From A.\n\n{{< include "parts/_b.qmd" >}}\n\n![A figure beside the main file](figures/dot.png)\n\n```r\n{{< include parts/_demo.R >}}\n```\n',
      'book/figures/dot.png': tinyPng,
      'book/parts/_demo.R': 'x <- c(1, 2)\nmean(x)\n',
      'book/parts/_b.qmd': 'From B, citing [@bkey].\n',
      'shared/_c.qmd': '\n\nFrom C, citing [@ckey].\n',
      'Makefile': 'all:\n',
    })
    const { html, messages } = await built(dir, ['book/main.qmd'])
    for (const text of ['From A.', 'From B', 'From C']) expect(html).toContain(text)
    // The included file's image path is the main file's, and a code block of only an include shows the file.
    expect(html).toContain('data:image/png;base64,')
    expect(html.replace(/<[^>]+>/g, '')).toContain('mean(x)')
    expect(html).not.toContain('_demo.R')
    expect(messages.filter((message) => /quarto-include|resource/.test(message))).toEqual([])
    expect(html.indexOf('From C')).toBeGreaterThan(html.indexOf('<div class="note">'))
    expect(messages).toContain('book/parts/_b.qmd:1:17 missing-citation-key Citation key "bkey" not found')
    // Inside the div the included file cannot be cut apart from it: its message is at the include's line.
    expect(messages).toContain('book/main.qmd:6:1 missing-citation-key Citation key "ckey" not found')
  })

  it('refuses files outside the project (.., a link out, an absolute path kept in it), missing ones, itself, and nesting past 10, at the include, keeping its text', async () => {
    const outside = makeProject({ 'secret.qmd': 'SECRET TEXT\n' })
    const dir = makeProject({
      'main.qmd': `# Main\n\n{{< include ../${path.basename(outside)}/secret.qmd >}}\n\n{{< include link.qmd >}}\n\n{{< include ${path.join(outside, 'secret.qmd')} >}}\n\n{{< include none.qmd >}}\n\n{{< include loop1.qmd >}}\n\n{{< include deep1.qmd >}}\n`,
      'loop1.qmd': '{{< include loop2.qmd >}}\n',
      'loop2.qmd': 'In the loop.\n\n{{< include loop1.qmd >}}\n',
      ...Object.fromEntries(Array.from({ length: 12 }, (_, n) => [`deep${n + 1}.qmd`, `Deep ${n + 1}.\n\n{{< include deep${n + 2}.qmd >}}\n`])),
    })
    symlinkSync(path.join(outside, 'secret.qmd'), path.join(dir, 'link.qmd'))
    const { html, messages } = await built(dir, ['main.qmd'])
    expect(html).not.toContain('SECRET TEXT')
    const includes = messages.filter((message) => message.includes('quarto-include'))
    expect(includes.filter((message) => message.startsWith('main.qmd:') && message.includes('is outside the project directory'))).toHaveLength(2)
    // A leading / is the project's root, as in Quarto: an absolute path cannot leave the project.
    expect(includes.find((message) => message.startsWith('main.qmd:7:1'))).toMatch(/is not carried out: .*secret\.qmd is not found$/)
    expect(includes).toContain('main.qmd:9:1 quarto-include `{{< include none.qmd >}}` is not carried out: none.qmd is not found')
    expect(includes).toContain('loop2.qmd:3:1 quarto-include `{{< include loop1.qmd >}}` is not carried out: loop1.qmd is being included already (it would include itself)')
    expect(includes).toContain('deep10.qmd:3:1 quarto-include `{{< include deep11.qmd >}}` is not carried out: includes are nested more than 10 deep')
    expect(html).toContain('Deep 10.')
    expect(html).not.toContain('Deep 11.')
    // What is not carried out stays as written.
    expect(html).toContain('{{&#x3C; include none.qmd >}}')
  })

  it('reports an include in the middle of a line as before, and galley check finds problems in the included file', async () => {
    const dir = makeProject({ 'main.qmd': '# Main\n\nSee {{< include _part.qmd >}} here.\n\n{{< include _part.qmd >}}\n', '_part.qmd': 'Part.\n\n[broken](#nowhere)\n' })
    const { messages } = await built(dir, ['main.qmd'])
    expect(messages.find((message) => message.startsWith('main.qmd:3:5 quarto-shortcode'))).toContain('an include is carried out only alone on its line')
    const run = await runCli(dir, ['check', 'main.qmd', '--format', 'json'])
    const findings = JSON.parse(run.stdout) as { file: string; line: number; rule: string }[]
    expect(findings.find((finding) => finding.rule === 'missing-link-target')).toMatchObject({ file: '_part.qmd', line: 3 })
  })

  it('builds a file that is only includes, and numbers notes and examples on through the stretches', async () => {
    const dir = makeProject({
      'main.md': '(@) First example.\n\n{{< include _x.md >}}\n\n(@) Third example.[^n]\n\n[^n]: Main note.\n',
      '_x.md': '(@) Second example.[^n]\n\n[^n]: Included note.\n',
      'only.md': '{{< include _x.md >}}\n',
    })
    const { html } = await built(dir, ['main.md'])
    expect(html).toMatch(/<ol class="example"[^>]*>\s*<li[^>]*>First/)
    expect(html).toMatch(/start="2"[^>]*>\s*<li[^>]*>Second/)
    expect(html).toMatch(/start="3"[^>]*>\s*<li[^>]*>Third/)
    expect(html).toContain('Main note.')
    expect(html).toContain('Included note.')
    const only = await built(dir, ['only.md'])
    expect(only.html).toContain('Second example.')
    expect(only.messages.filter((message) => message.includes('empty-manuscript'))).toEqual([])
  })

  it('reads the included file afresh on a cached build, and keeps a course pack reading whole across its includes', async () => {
    const dir = makeProject({ 'main.qmd': main, '_part.qmd': part })
    const once = await build({ inputs: ['main.qmd'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false })
    expect(once.outputs).toHaveLength(1)
    writeFileSync(path.join(dir, '_part.qmd'), '## Changed Section\n')
    await build({ inputs: ['main.qmd'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false })
    const html = readFileSync(path.join(dir, 'out.html'), 'utf8').replace(/\u00ad/g, '')
    expect(html).toContain('Changed Section')
    expect(html).not.toContain('Included Section')

    const pack = makeProject({
      'a.md': '---\ntitle: Reading A\n---\n\n# A heading\n\n{{< include _x.md >}}\n\n# After\n',
      '_x.md': '# Included heading\n',
      'b.md': '---\ntitle: Reading B\n---\n\nB text.\n',
    })
    const result = await build({ inputs: ['a.md', 'b.md'], metadata: ['layout=course-pack'], to: ['html'], cwd: pack, output: 'pack.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false, noCache: true })
    expect(result.files.flatMap((file) => file.messages.map((message) => message.ruleId))).not.toContain('reading-without-title')
    const html2 = readFileSync(path.join(pack, 'pack.html'), 'utf8').replace(/\u00ad/g, '')
    // One reading title for a.md; its own and the included headings all one level down.
    expect(html2.match(/class="reading-title"/g)).toHaveLength(2)
    expect(html2).toMatch(/<h2[^>]*>Included heading<\/h2>/)
    expect(html2).toMatch(/<h2[^>]*>After<\/h2>/)
  })
})
