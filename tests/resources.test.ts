// Images: project files are used in every output; remote, outside and missing ones are refused at their position.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { epubcheck } from './helpers/tools.js'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

const manuscript = `---
title: Images
---

![A local figure](images/dot.png){width=40%}

Remote ![remote](https://example.org/x.png) and outside ![secret](../../../etc/passwd).

![missing](images/none.png)
`

describe('images', () => {
  it('says where an image outside the project is, and how to let it in, instead of "not found"', async () => {
    // A thesis laid out as Pandoc users do: chapters in example/, figures in figs/, galley run from the folder above.
    const dir = makeProject({ 'example/ch.md': '---\ntitle: T\n---\n\n![Figure](figs/dot.png)\n', 'figs/dot.png': tinyPng })
    const run = await runCli(dir, ['build', 'example/ch.md', '--to', 'html'])
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toMatch(/5:1-5:24\s+warning\s+Image figs\/dot\.png is at figs\/dot\.png, outside the project \(example\), and is not used: give --resource-path with its folder \(--resource-path \.\), run Galley from a folder holding both that is a project's root \(with \.git, a Makefile, _quarto\.yml, package\.json or metadata\.yaml\), or put a galley\.yaml there\s+resource-outside-project/)
    const fixed = await runCli(dir, ['build', 'example/ch.md', '--to', 'html', '--resource-path', '.'])
    expect(fixed.stderr).not.toContain('figs/dot.png')
    expect(readFileSync(path.join(dir, 'dist/ch.html'), 'utf8')).toContain('<img src="data:image/png;base64,')
  })

  it('embeds project images and refuses the others with their positions', async () => {
    const dir = makeProject({ 'book/ch.md': manuscript, 'book/images/dot.png': tinyPng })
    const run = await runCli(dir, ['build', 'book/ch.md', '--to', 'html,epub'])
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toContain('book/ch.md\n')
    expect(run.stderr).toMatch(/7:8-7:44\s+warning\s+Image https:\/\/example\.org\/x\.png is not loaded: Galley fetches nothing from the network; save it in the project\s+remote-resource/)
    expect(run.stderr).toMatch(/7:57-7:87\s+warning\s+Image \.\.\/\.\.\/\.\.\/etc\/passwd is outside the project directory and is not used\s+resource-outside-project/)
    expect(run.stderr).toMatch(/9:1-9:28\s+warning\s+Image images\/none\.png not found \(looked for book\/images\/none\.png, images\/none\.png\)\s+missing-resource/)

    const html = readFileSync(path.join(dir, 'dist/ch.html'), 'utf8').replaceAll('\u00AD', '')
    const expected = [
      '<figure><img src="data:image/png;base64,',
      '<figcaption>A local figure</figcaption>',
      '<em class="missing-resource">[remote]</em>',
      // A missing figure leaves its caption in brackets, in place of both.
      '<p><em class="missing-resource">[missing]</em></p>',
    ]
    for (const part of expected) expect(html.includes(part), part).toBe(true)
    expect(html.includes('passwd')).toBe(false)

    const epub = path.join(dir, 'dist/ch.epub')
    const files = unzipSync(readFileSync(epub))
    // The project is the manuscript's folder (no galley.yaml): image paths are relative to it.
    expect(files['EPUB/media/images/dot.png']).toEqual(new Uint8Array(tinyPng))
    expect(new TextDecoder().decode(files['EPUB/chapter-1.xhtml'])).toContain('<img src="media/images/dot.png" alt="A local figure" style="width: 40%" />')
    const report = epubcheck(epub)
    expect(report.messages).toEqual([])
  })

  it('keeps the citations and markup of a figure it cannot show: its caption stands in brackets, still cited', async () => {
    const refs = ['---', 'references:', '- id: roe', '  type: book', '  author: [{family: Roe, given: Kim}]', '  issued: {date-parts: [[2019]]}', '  title: A Book', '---', ''].join('\n')
    const dir = makeProject({ 'ch.md': `${refs}\nText.\n\n![A *plot* after [@roe, 4]](plot.pdf)\n` })
    const run = await runCli(dir, ['build', 'ch.md', '--to', 'html'])
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toMatch(/Image plot\.pdf not found/)
    const html = readFileSync(path.join(dir, 'dist/ch.html'), 'utf8').replaceAll('\u00AD', '')
    expect(html).toContain('<p><em class="missing-resource">[A <em>plot</em> after <span class="citation" data-cites="roe">(Roe 2019, 4)</span>]</em></p>')
    // The entry is in the bibliography: its only citation is in that caption.
    expect(html).toContain('id="ref-roe"')
  })

  it('checks images in a table caption too', async () => {
    const dir = makeProject({ 'ch.md': '| A |\n|---|\n| 1 |\n\nTable: Counts ![mark](none.png).\n' })
    const run = await runCli(dir, ['build', 'ch.md', '--to', 'html'])
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toMatch(/5:15-5:32\s+warning\s+Image none\.png not found/)
    expect(readFileSync(path.join(dir, 'dist/ch.html'), 'utf8')).toMatch(/<caption>Counts <em class="missing-resource">\[mark\]<\/em>\.<\/caption>/)
  })

  it('finds an image written relative to where Galley runs, as Pandoc does, when it is inside the project', async () => {
    const dir = makeProject({ 'source/paper.md': '![A figure](source/figures/dot.png)\n\n![Out](secret.png)\n', 'source/figures/dot.png': tinyPng, 'secret.png': tinyPng })
    const run = await runCli(dir, ['build', 'source/paper.md', '--to', 'epub'])
    expect(run.exitCode).toBe(0)
    // The project is source/: the root's secret.png is outside it from either folder.
    expect(run.stderr).toMatch(/3:1-3:19\s+warning\s+Image secret\.png is at secret\.png, outside the project \(source\), and is not used/)
    expect(Object.keys(unzipSync(readFileSync(path.join(dir, 'dist/paper.epub')))).filter((name) => name.includes('media/'))).toEqual(['EPUB/media/figures/dot.png'])
  })

  it('refuses an image no browser or e-reader shows (a PDF figure), which made the EPUB invalid', async () => {
    const dir = makeProject({ 'paper.md': '![A plot](plot.pdf)\n', 'plot.pdf': '%PDF-1.4\n' })
    const run = await runCli(dir, ['build', 'paper.md', '--to', 'epub'])
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toMatch(/1:1-1:20\s+warning\s+Image plot\.pdf is not a PNG, JPEG, GIF, SVG or WebP image.*unsupported-resource/)
    expect(epubcheck(path.join(dir, 'dist/paper.epub')).messages).toEqual([])
  })
})
