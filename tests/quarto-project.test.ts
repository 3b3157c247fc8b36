// A Quarto project built by naming its .qmd files: its _quarto.yml is read as metadata below the documents' own.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'

const quarto = `project:
  type: book
book:
  title: "The Book Title"
  author: Ann Author
bibliography: refs.json
format:
  html: default
`
const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'Deep Book', author: [{ family: 'Doe', given: 'J.' }], issued: { 'date-parts': [[2020]] } }])

async function built(files: Record<string, string>, inputs: string[]): Promise<{ html: string; messages: string[] }> {
  const dir = makeProject(files)
  const result = await build({ inputs, to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false, noCache: true })
  // Soft hyphens are Galley's hyphenation, not the text.
  return { html: readFileSync(path.join(dir, 'out.html'), 'utf8').replace(/\u00ad/g, ''), messages: result.files.flatMap((file) => file.messages.map((message) => String(message.ruleId))) }
}

describe('a Quarto project', () => {
  it("takes title and author from _quarto.yml's book, and its bibliography, for .qmd chapters", async () => {
    const { html, messages } = await built({ '_quarto.yml': quarto, 'refs.json': refs, 'index.qmd': '# Preface\n\nSee @doe.\n', 'two.qmd': '# Two\n\nText.\n' }, ['index.qmd', 'two.qmd'])
    expect(html).toContain('<h1 class="title">The Book Title</h1>')
    expect(html).toContain('Ann Author')
    expect(html).toContain("Doe (2020)")
    expect(messages).not.toContain('missing-title')
    expect(messages).not.toContain('missing-citation-key')
  })

  it("keeps a document's own front matter over _quarto.yml", async () => {
    const { html } = await built({ '_quarto.yml': quarto, 'refs.json': refs, 'paper.qmd': '---\ntitle: Own Title\n---\n\nText.\n' }, ['paper.qmd'])
    expect(html).toContain('<h1 class="title">Own Title</h1>')
  })

  it('is not read for Markdown inputs, nor when a galley.yaml is the config', async () => {
    const markdown = await built({ '_quarto.yml': quarto, 'paper.md': 'Text.\n' }, ['paper.md'])
    expect(markdown.messages).toContain('missing-title')
    const configured = await built({ '_quarto.yml': quarto, 'galley.yaml': 'input-files: [paper.qmd]\n', 'paper.qmd': 'Text.\n' }, [])
    expect(configured.messages).toContain('missing-title')
  })
})
