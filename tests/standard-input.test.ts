// Standard input as Pandoc reads it: `cat ch1.md ch2.md | galley -o book.html`, `galley - -o x.html`.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'Deep Book', author: [{ family: 'Doe', given: 'J.' }], issued: { 'date-parts': [[2020]] } }])

describe('standard input', () => {
  it('is the document when no input is named: its images and bibliography are found in the current folder', async () => {
    const dir = makeProject({ 'refs.json': refs, 'images/dot.png': tinyPng })
    const text = '---\ntitle: Piped\nbibliography: refs.json\n---\n\n# One\n\nAs @doe says.\n\n![A dot](images/dot.png)\n'
    const run = await runCli(dir, ['-o', 'book.html'], {}, text)
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'book.html'), 'utf8')
    expect(html).toContain('<h1 class="title">Piped</h1>')
    expect(html).toContain('Doe (2020)')
    expect(html).toContain('data:image/png;base64,')
    expect(run.stderr).toBe('')
  })

  it('is read where - stands among the files, as one text with them', async () => {
    const dir = makeProject({ 'a.md': '---\ntitle: Book\n---\n\n# First\n', 'c.md': '# Third\n' })
    const run = await runCli(dir, ['a.md', '-', 'c.md', '-o', 'book.html'], {}, '# Second\n')
    expect(run.exitCode, run.stderr).toBe(0)
    const html = readFileSync(path.join(dir, 'book.html'), 'utf8')
    expect(html.indexOf('First')).toBeLessThan(html.indexOf('Second'))
    expect(html.indexOf('Second')).toBeLessThan(html.indexOf('Third'))
  })

  it('names standard input <stdin> in messages, with its line and column', async () => {
    const dir = makeProject({})
    const run = await runCli(dir, ['-', '-o', 'x.html'], {}, 'Text.\n\nSee [@nobody].\n')
    expect(run.exitCode, run.stderr).toBe(0)
    // vfile-reporter's form: the file on a line of its own, then line:column and the message.
    expect(run.stderr).toMatch(/^<stdin>\n\s*3:6\s+warning\s+Citation key "nobody"/)
    expect(run.stderr).toContain('missing-citation-key')
  })

  it('writes HTML to standard output when no output is named, as Pandoc does, and nothing into dist/', async () => {
    const dir = makeProject({})
    const run = await runCli(dir, [], {}, '---\ntitle: To stdout\n---\n\nText.\n')
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^<!doctype html>/i)
    expect(run.stdout).toContain('<h1 class="title">To stdout</h1>')
    expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    const html = await runCli(dir, ['-t', 'html'], {}, 'Text.\n')
    expect(html.exitCode, html.stderr).toBe(0)
    expect(html.stdout).toMatch(/^<!doctype html>/i)
  })

  it('asks for -o when a PDF or EPUB, or an output folder, is wanted from standard input (exit 64), and writes nothing', async () => {
    const dir = makeProject({})
    for (const args of [['-t', 'pdf'], ['-t', 'epub'], ['--output-dir', 'out'], ['-', '-t', 'html,epub']]) {
      const run = await runCli(dir, args, {}, 'Text.\n')
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(64)
      expect(run.stderr).toContain('standard input has no file name for its outputs: name the output with -o')
    }
    expect(readdirSync(dir).filter((name) => name !== '.galley-cache')).toEqual([])
  })

  it('keeps the usual message when standard input is a terminal or empty, and leaves it alone when galley.yaml lists the inputs', async () => {
    const dir = makeProject({})
    for (const stdin of [undefined, '', '\n  \n']) {
      const run = await runCli(dir, [], {}, stdin)
      expect(run.exitCode).toBe(2)
      expect(run.stderr).toContain('No input files: name the Markdown files to build')
    }
    const project = makeProject({ 'galley.yaml': 'input-files: [paper.md]\ntitle: From config\n', 'paper.md': 'From the file.\n' })
    let read = false
    const { main } = await import('../src/cli/main.js')
    let stdout = ''
    const code = await main(['-t', 'html'], {
      cwd: project,
      env: { ...process.env, NO_COLOR: '1' },
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      stdinIsTTY: false,
      stdin: async () => {
        read = true
        return Buffer.from('From stdin.\n')
      },
    })
    expect(code).toBe(0)
    expect(read).toBe(false)
    expect(readFileSync(path.join(project, 'dist', 'paper.html'), 'utf8')).toContain('From the file.')
    expect(stdout).toContain('dist/paper.html')
  })

  it('refuses standard input that is not UTF-8 (exit 2), - named twice, and - with --watch or --batch (exit 64)', async () => {
    const dir = makeProject({})
    const latin1 = await runCli(dir, ['-', '-o', 'x.html'], {}, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))
    expect(latin1.exitCode).toBe(2)
    expect(latin1.stderr).toContain('<stdin>: error: Standard input is not UTF-8 text')
    const twice = await runCli(dir, ['-', '-', '-o', 'x.html'], {}, 'Text.\n')
    expect(twice.exitCode).toBe(2)
    expect(twice.stderr).toContain('named twice')
    for (const flag of ['--watch', '--batch']) {
      const run = await runCli(dir, ['-', flag], {}, 'Text.\n')
      expect(run.exitCode).toBe(64)
      expect(run.stderr).toContain('cannot read standard input')
    }
  })

  it('is checked by galley check, its findings at <stdin>', async () => {
    const dir = makeProject({})
    const run = await runCli(dir, ['check', '--format', 'json'], {}, 'Text.\n\n[see](#nowhere)\n')
    expect(run.exitCode, run.stderr).toBe(1)
    const findings = JSON.parse(run.stdout) as { file: string; line: number; rule: string }[]
    expect(findings.find((finding) => finding.rule === 'missing-link-target')).toMatchObject({ file: '<stdin>', line: 3 })
  })

  it('keeps a document read from standard input inside the current folder: no image outside it', async () => {
    const outside = makeProject({ 'secret.png': tinyPng })
    const dir = makeProject({})
    const run = await runCli(dir, ['-o', 'x.html'], {}, `![x](${path.join(outside, 'secret.png')})\n\n![y](../${path.basename(outside)}/secret.png)\n`)
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr.match(/resource-outside-project/g)?.length).toBe(2)
    expect(readFileSync(path.join(dir, 'x.html'), 'utf8')).not.toContain('data:image/png')
  })
})
