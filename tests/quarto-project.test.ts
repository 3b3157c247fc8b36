// A Quarto project built by naming its .qmd files: its _quarto.yml is read as metadata below the documents' own.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

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

async function built(files: Parameters<typeof makeProject>[0], inputs: string[]): Promise<{ html: string; messages: string[] }> {
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

  it('reads an image path with a leading / from the project root, as Quarto does, in .qmd files only', async () => {
    const files = { '_quarto.yml': quarto, 'refs.json': refs, 'images/dot.png': tinyPng, 'chapters/one.qmd': '# One\n\n![A dot](/images/dot.png)\n', 'chapters/two.md': '# Two\n\n![A dot](/images/dot.png)\n' }
    const quartoChapter = await built(files, ['chapters/one.qmd'])
    expect(quartoChapter.messages).toEqual([])
    expect(quartoChapter.html).toContain('src="data:image/png;base64,')
    // Markdown for Pandoc: a path from the file system's root, which is outside the project.
    expect((await built(files, ['chapters/two.md'])).messages).toContain('resource-outside-project')
  })

  it('is not read for Markdown inputs, nor when a galley.yaml is the config', async () => {
    const markdown = await built({ '_quarto.yml': quarto, 'paper.md': 'Text.\n' }, ['paper.md'])
    expect(markdown.messages).toContain('missing-title')
    const configured = await built({ '_quarto.yml': quarto, 'galley.yaml': 'input-files: [paper.qmd]\n', 'paper.qmd': 'Text.\n' }, [])
    expect(configured.messages).toContain('missing-title')
  })
})

describe("a Quarto book built with no input named (galley in the project's folder)", () => {
  const book = `project:
  type: book
book:
  title: "Parts and Chapters"
  chapters:
    - index.qmd
    - intro.qmd
    - part: part-one.qmd
      chapters:
        - one.qmd
    - part: "A Part With Only A Title"
      chapters:
        - two.qmd
    - references.qmd
  appendices:
    - appendix.qmd
bibliography: refs.json
`
  const files = {
    '_quarto.yml': book,
    'refs.json': refs,
    'index.qmd': '# Preface {.unnumbered}\n\nWelcome.\n',
    'intro.qmd': '# Introduction\n\nSee @doe.\n',
    'part-one.qmd': '# Part One\n',
    'one.qmd': '# Chapter One\n',
    'two.qmd': '# Chapter Two\n',
    'references.qmd': '# References {.unnumbered}\n\n::: {#refs}\n:::\n',
    'appendix.qmd': '# An Appendix\n',
    'not-listed.qmd': '# Not Listed\n',
  }

  it('reads book: chapters (parts given as files before their chapters) and appendices, in order, as the inputs', async () => {
    const dir = makeProject(files)
    const run = await runCli(dir, ['-t', 'html'])
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'dist', 'index.html'), 'utf8').replace(/\u00ad/g, '')
    const order = ['Preface', 'Introduction', 'Part One', 'Chapter One', 'Chapter Two', 'References', 'An Appendix'].map((heading) => html.indexOf(`${heading}</h1>`))
    expect(order.every((at) => at > 0), String(order)).toBe(true)
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(html).not.toContain('Not Listed')
    expect(html).toContain('<h1 class="title">Parts and Chapters</h1>')
    // The bibliography goes where references.qmd puts #refs.
    expect(html.indexOf('Deep Book')).toBeGreaterThan(html.indexOf('References</h1>'))
  })

  it('leaves galley.yaml, named inputs and standard input their precedence, and reads no standard input in a Quarto book', async () => {
    const dir = makeProject(files)
    const named = await runCli(dir, ['one.qmd', '-o', 'one.html'])
    expect(named.exitCode, named.stderr).toBe(0)
    expect(readFileSync(path.join(dir, 'one.html'), 'utf8')).not.toContain('Introduction')
    const piped = await runCli(dir, ['-t', 'html'], {}, '# From a pipe\n')
    expect(piped.exitCode, piped.stderr).toBe(0)
    expect(piped.stdout).not.toContain('From a pipe')
    expect(readFileSync(path.join(dir, 'dist', 'index.html'), 'utf8')).not.toContain('From a pipe')
  })

  it('refuses chapters outside the project and notebooks, at _quarto.yml, with exit 2; says when no chapters are listed', async () => {
    const outside = makeProject({ ...files, '_quarto.yml': book.replace('- intro.qmd', '- ../elsewhere/intro.qmd') })
    const out = await runCli(outside, ['-t', 'html'])
    expect(out.exitCode).toBe(2)
    expect(out.stderr).toMatch(/^_quarto\.yml:\d+:\d+: error: The Quarto book's chapters name \.\.\/elsewhere\/intro\.qmd, which is outside the project directory/)
    const notebook = await runCli(makeProject({ ...files, '_quarto.yml': book.replace('- intro.qmd', '- intro.ipynb') }), ['-t', 'html'])
    expect(notebook.exitCode).toBe(2)
    expect(notebook.stderr).toContain("The Quarto book's chapter intro.ipynb is not Markdown")
    const website = await runCli(makeProject({ '_quarto.yml': 'project:\n  type: website\n', 'index.qmd': '# Home\n' }), ['-t', 'html'])
    expect(website.exitCode).toBe(2)
    expect(website.stderr).toContain('No input files: _quarto.yml lists no book chapters')
  })
})
