// The hostile-input corpus (issue #19): a document is untrusted. Each case is built with a secret planted next to
// the project and a loopback server listening; the test asserts the message and exit code, and that nothing of the
// secret reached any output, no program ran, no request was made and no file was overwritten.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeOutputs } from '../src/output/write-outputs.js'
import { runCli, tinyPng } from './helpers/project.js'

const token = `GALLEY-SECRET-${process.pid}-7f3a9c`
let server: Server
let requests: string[] = []
let origin = ''

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '')
    response.end('fetched')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** A folder holding `secret.txt` (the token) and `project/` with the given files; returns both paths. */
function plant(files: Record<string, string | Uint8Array>): { root: string; project: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'galley-hostile-'))
  writeFileSync(path.join(root, 'secret.txt'), `${token}\n`)
  writeFileSync(path.join(root, 'secret.png'), Buffer.concat([tinyPng, Buffer.from(token)]))
  writeFileSync(path.join(root, 'secret.md'), `# ${token}\n`)
  writeFileSync(path.join(root, 'secret.json'), JSON.stringify([{ id: 'secret', type: 'book', title: token, issued: { 'date-parts': [[2020]] } }]))
  const project = path.join(root, 'project')
  mkdirSync(project)
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(project, name)), { recursive: true })
    writeFileSync(path.join(project, name), content.toString().replaceAll('ORIGIN', origin))
  }
  return { root, project }
}

/** Every text the outputs under `dir` hold: HTML (with its data: URIs decoded), each EPUB member, the PDF's text. */
function outputTexts(dir: string): string[] {
  const texts: string[] = []
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(file)
      else if (/\.html?$/.test(entry.name)) texts.push(withDataUris(readFileSync(file, 'utf8')))
      else if (entry.name.endsWith('.epub')) {
        for (const bytes of Object.values(unzipSync(readFileSync(file)))) texts.push(withDataUris(Buffer.from(bytes).toString('latin1')))
      } else if (entry.name.endsWith('.pdf')) {
        texts.push(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }), readFileSync(file, 'latin1'))
      }
    }
  }
  if (existsSync(dir)) walk(dir)
  return texts
}

function withDataUris(text: string): string {
  const decoded = [...text.matchAll(/data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)/g)].map((match) => Buffer.from(match[1] ?? '', 'base64').toString('latin1'))
  return [text, ...decoded].join('\n')
}

/** What every case must hold: no secret in the outputs, no request, no stack trace. */
function expectNothingLeaked(dir: string, stderr: string): void {
  for (const text of outputTexts(dir)) expect(text.includes(token), 'the secret reached an output').toBe(false)
  expect(requests, 'a request reached the loopback server').toEqual([])
  expect(stderr).not.toMatch(/internal error|\n\s+at /)
}

const front = (extra = ''): string => `---\ntitle: Hostile\n${extra}---\n\n`

describe('hostile input', () => {
  beforeAll(() => {
    requests = []
  })

  it('a document cannot choose the browser (front matter or galley.yaml): the program never runs', async () => {
    const evil = '#!/bin/sh\ntouch "$(dirname "$0")/ran"\nexit 1\n'
    const { project } = plant({
      'paper.md': `${front('browser: ./evil.sh\n')}Text.\n`,
      'galley.yaml': 'input-files: [paper.md]\nbrowser: ./evil.sh\n',
      'evil.sh': evil,
    })
    chmodSync(path.join(project, 'evil.sh'), 0o755)
    const run = await runCli(project, ['build', '--to', 'pdf'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(existsSync(path.join(project, 'ran'))).toBe(false)
    expect(run.stderr).toMatch(/galley\.yaml\s*\n\s*2:10\s+warning\s+"browser" is ignored here: a document may not choose a program to run.*runner-only-setting/)
    expect(run.stderr).toMatch(/paper\.md\s*\n\s*3:10\s+warning\s+"browser" is ignored here/)
    expectNothingLeaked(path.join(project, 'dist'), run.stderr)
  }, 120_000)

  it('symbolic links out of the project are refused for images and the cover', async () => {
    const { root, project } = plant({ 'paper.md': `${front('cover-image: cover.png\n')}![leak](leak.png)\n\n![leak2][r]\n\n[r]: leak.png\n` })
    symlinkSync(path.join(root, 'secret.txt'), path.join(project, 'leak.png'))
    symlinkSync(path.join(root, 'secret.png'), path.join(project, 'cover.png'))
    const run = await runCli(project, ['build', 'paper.md', '--to', 'html,epub'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/6:1-6:18\s+warning\s+Image leak\.png is outside the project directory and is not used\s+resource-outside-project/)
    expect(run.stderr).toMatch(/8:1-8:12\s+warning\s+Image leak\.png is outside the project directory/)
    expect(run.stderr).toMatch(/warning\s+Cover image cover\.png is outside the project directory; the EPUB gets a cover drawn from title and author/)
    expectNothingLeaked(path.join(project, 'dist'), run.stderr)
  })

  it('the project is the manuscript\'s folder, not where Galley runs', async () => {
    const { root, project } = plant({ 'paper.md': `${front()}![a](../secret.txt) ![b](SECRET)\n` })
    writeFileSync(path.join(project, 'paper.md'), readFileSync(path.join(project, 'paper.md'), 'utf8').replace('SECRET', path.join(root, 'secret.png')))
    const out = path.join(project, 'dist')
    // Run from the filesystem root, as `cd / && galley build /x/paper.md`.
    const run = await runCli('/', ['build', path.join(project, 'paper.md'), '--to', 'html,epub', '--output-dir', out, '--no-cache'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr.match(/is outside the project directory and is not used/g)).toHaveLength(2)
    expectNothingLeaked(out, run.stderr)
  })

  it('a document cannot widen --resource-path: front matter and galley.yaml name no trusted folder, and a trusted one is not left', async () => {
    const { root, project } = plant({
      'paper.md': `${front('resource-path: [.., ../..]\n')}![a](secret.png)\n\n![b](../secret.png)\n\n![c](../../secret.png)\n\n![d](link.png)\n`,
      'galley.yaml': 'input-files: [paper.md]\nresource-path: ..\n',
    })
    // Without a folder named on the command line, nothing outside the project is read, whatever the document says.
    const untrusted = await runCli(project, ['build', '--to', 'html,epub', '--no-cache'])
    expect(untrusted.exitCode, untrusted.stderr).toBe(0)
    expect(untrusted.stderr).not.toMatch(/resource-path/)
    expectNothingLeaked(path.join(project, 'dist'), untrusted.stderr)
    // The person running Galley trusts `figures/` beside the project; the document climbs out of it and links out of it.
    const figures = path.join(root, 'figures')
    mkdirSync(figures)
    writeFileSync(path.join(figures, 'fine.png'), tinyPng)
    symlinkSync(path.join(root, 'secret.png'), path.join(figures, 'link.png'))
    const trusted = await runCli(project, ['build', '--to', 'html,epub', '--no-cache', '--resource-path', figures, '--output-dir', 'out'])
    expect(trusted.exitCode, trusted.stderr).toBe(0)
    expect(trusted.stderr.match(/is outside the project directory and is not used|not found|, outside the project \(/g)?.length).toBe(4)
    expectNothingLeaked(path.join(project, 'out'), trusted.stderr)
  })

  it('a repository root taken as the project (galley chapters/a.md) lets in nothing outside it: .., absolute paths and links out are refused', async () => {
    const { root, project } = plant({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'images/fine.png': tinyPng,
      'chapters/a.md': `${front('bibliography: ../../secret.json\n')}![ok](images/fine.png)\n\n![a](../secret.png)\n\n![b](../../secret.png)\n\n![c](images/link.png)\n\n![d](ROOT/secret.png)\n\n[@secret]\n`,
    })
    writeFileSync(path.join(project, 'chapters', 'a.md'), readFileSync(path.join(project, 'chapters', 'a.md'), 'utf8').replace('ROOT', root))
    symlinkSync(path.join(root, 'secret.png'), path.join(project, 'images', 'link.png'))
    // The bibliography climbs out of the root: refused before anything is read, exit 2.
    const bibliography = await runCli(project, ['chapters/a.md', '--to', 'html'])
    expect(bibliography.exitCode).toBe(2)
    expect(bibliography.stderr).toMatch(/outside the project/)
    writeFileSync(path.join(project, 'chapters', 'a.md'), readFileSync(path.join(project, 'chapters', 'a.md'), 'utf8').replace('bibliography: ../../secret.json\n', ''))
    const run = await runCli(project, ['chapters/a.md', '--to', 'html,epub', '--no-cache'])
    expect(run.exitCode, run.stderr).toBe(0)
    // The image beside the root's .git is in; the four that lead out are not.
    expect(readFileSync(path.join(project, 'dist', 'a.html'), 'utf8')).toContain('data:image/png;base64,')
    expect(run.stderr.match(/resource-outside-project/g)?.length, run.stderr).toBe(4)
    expect(run.stderr).toMatch(/Image images\/link\.png is a symbolic link out of the project \(\.\) and is not used/)
    expectNothingLeaked(path.join(project, 'dist'), run.stderr)
  })

  it('a chapters folder that links out of a repository root does not make the root its project, so the root\'s files stay out of its reach', async () => {
    const { root, project } = plant({ Makefile: 'all:\n', 'images/fine.png': tinyPng })
    mkdirSync(path.join(root, 'elsewhere'))
    writeFileSync(path.join(root, 'elsewhere', 'a.md'), `${front()}![in root](images/fine.png)\n\n![up](../secret.png)\n`)
    symlinkSync(path.join(root, 'elsewhere'), path.join(project, 'chapters'))
    const run = await runCli(project, ['chapters/a.md', '--to', 'html', '--no-cache'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/images\/fine\.png is outside the project directory and is not used/)
    expect(readFileSync(path.join(project, 'dist', 'a.html'), 'utf8')).not.toContain('data:image/png')
    expectNothingLeaked(path.join(project, 'dist'), run.stderr)
  })

  it('a Quarto include cannot bring in a file outside the project: .., a link out, a code block include, an included file climbing out', async () => {
    const { root, project } = plant({
      '_quarto.yml': 'project:\n  type: book\nbook:\n  chapters: [index.qmd]\n',
      'index.qmd': `${front()}{{< include ../secret.md >}}\n\n{{< include link.qmd >}}\n\n\`\`\`\n{{< include ../secret.txt >}}\n\`\`\`\n\n{{< include _inner.qmd >}}\n`,
      '_inner.qmd': '{{< include ../secret.md >}}\n\n![up](../secret.png)\n',
    })
    symlinkSync(path.join(root, 'secret.md'), path.join(project, 'link.qmd'))
    const run = await runCli(project, ['--to', 'html,epub', '--no-cache'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr.match(/quarto-include/g)?.length, run.stderr).toBe(4)
    expect(run.stderr).toMatch(/resource-outside-project/)
    expectNothingLeaked(path.join(project, 'dist'), run.stderr)
  })

  it('an output that is one of the inputs is refused and the manuscript is untouched', async () => {
    const manuscript = `${front()}Text.\n`
    const { project } = plant({ 'paper.md': manuscript, 'notes.html': manuscript })
    const same = await runCli(project, ['build', 'paper.md', '-o', 'paper.md', '--to', 'html'])
    expect(same.exitCode).toBe(73)
    expect(same.stderr).toMatch(/^error: Cannot write .*paper\.md: it is one of the files this build reads, and would be overwritten\n$/)
    expect(readFileSync(path.join(project, 'paper.md'), 'utf8')).toBe(manuscript)
    const dot = await runCli(project, ['build', 'notes.html', '--output-dir', '.', '--to', 'html'])
    expect(dot.exitCode).toBe(73)
    expect(readFileSync(path.join(project, 'notes.html'), 'utf8')).toBe(manuscript)
    expectNothingLeaked(project, same.stderr + dot.stderr)
  })

  it('metadata cannot write into the page\'s CSS or HTML, nor an image size into style=""', async () => {
    const { project } = plant({
      'paper.md': `${front(`fontsize: '11pt;}</style><meta http-equiv="refresh" content="0;url=ORIGIN/x">'\n`)}Text.\n`,
      'sized.md': `---\ntitle: "</style><script>alert(1)</script>"\n---\n\n![dot](dot.png){width="1px;background:url(ORIGIN/y)" onerror=alert(1) style="background:url(ORIGIN/z)"}\n`,
      'dot.png': tinyPng,
    })
    const font = await runCli(project, ['build', 'paper.md', '--to', 'html'])
    // The value is left out, with a warning at it, and the default size is used.
    expect(font.exitCode, font.stderr).toBe(0)
    expect(font.stderr).toMatch(/paper\.md\n\s*3:11\s+warning\s+Metadata key "fontsize" must be a length such as 11pt/)
    const sized = await runCli(project, ['build', 'sized.md', '--to', 'html,epub'])
    expect(sized.exitCode, sized.stderr).toBe(0)
    expect(sized.stderr).toMatch(/5:1-5:16\s+warning\s+Image width "1px;background:url\(http:\/\/127\.0\.0\.1:\d+" is not a size/)
    for (const text of outputTexts(path.join(project, 'dist'))) {
      expect(text).not.toMatch(/<script|\sonerror="|\sstyle="[^"]*url\(|<meta http-equiv="refresh"/)
    }
    const html = readFileSync(path.join(project, 'dist/sized.html'), 'utf8')
    expect(html).toContain('data-onerror="alert(1)"') // Kept as inert data, as Pandoc keeps unknown attributes.
    expect(html).toContain('content: "\\3c /style\\3e \\3c script\\3e alert(1)\\3c /script\\3e "')
    expectNothingLeaked(path.join(project, 'dist'), sized.stderr)
  })

  it('unsafe links through reference definitions are removed with a warning', async () => {
    const links = ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)', 'JaVaScRiPt:alert(1)']
    const body = links.map((_, index) => `[link ${index}][r${index}]`).join(' ')
    const definitions = links.map((url, index) => `[r${index}]: <${url}>`).join('\n')
    const { project } = plant({ 'paper.md': `${front()}${body} [fine][ok]\n\n${definitions}\n[ok]: https://example.org/\n` })
    const run = await runCli(project, ['build', 'paper.md', '--to', 'html,epub,pdf'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr.match(/warning\s+Link to .* removed: only http\(s\), mailto, tel and links within the document are kept\s+unsafe-link/g)).toHaveLength(links.length)
    for (const text of outputTexts(path.join(project, 'dist'))) {
      expect(text).not.toMatch(/href="(?:javascript|vbscript|file|data):|alert\(1\)|msgbox|etc\/passwd|PHNjcmlwdD4/i)
    }
    expect(readFileSync(path.join(project, 'dist/paper.html'), 'utf8')).toContain('<a href="https://example.org/">fine</a>')
    // The safe link is a link in the PDF too (so the check above could see one there).
    expect(readFileSync(path.join(project, 'dist/paper.pdf'), 'latin1')).toMatch(/\/URI \(https:\/\/example\.org\/\)/)
    expectNothingLeaked(path.join(project, 'dist'), run.stderr)
  }, 120_000)

  it('outputs that are devices, links or directories, or cannot be written, are refused with exit 73', async () => {
    const { root, project } = plant({ 'paper.md': `${front()}Text.\n`, 'dist/folder/keep.txt': 'x', 'blocker': 'a file' })
    symlinkSync(path.join(root, 'elsewhere.html'), path.join(project, 'link.html'))
    const cases: [string[], RegExp][] = [
      [['-o', '/dev/full'], /Cannot write \/dev\/full: it is not a regular file/],
      [['-o', '/dev/stdout'], /Cannot write \/dev\/stdout: it is a symbolic link/],
      [['-o', 'link.html'], /Cannot write .*link\.html: it is a symbolic link/],
      [['-o', 'dist/folder'], /Cannot write .*dist\/folder: it is a directory/],
      [['--output-dir', 'blocker/sub'], /Cannot create the output directory .*blocker\/sub: a part of the path is a file, not a directory/],
    ]
    for (const [args, message] of cases) {
      const run = await runCli(project, ['build', 'paper.md', '--to', 'html', ...args])
      expect(run.exitCode, args.join(' ')).toBe(73)
      expect(run.stderr).toMatch(new RegExp(`^error: ${message.source}`))
      expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    }
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true)
    expect(lstatSync(path.join(project, 'link.html')).isSymbolicLink()).toBe(true)
    expect(existsSync(path.join(root, 'elsewhere.html'))).toBe(false)
    expect(readFileSync(path.join(project, 'blocker'), 'utf8')).toBe('a file')
  })

  it('outputs are put in place together: a failure before the last leaves every earlier output as it was', async () => {
    const { project } = plant({ 'paper.md': `${front()}Text.\n`, 'dist/paper.html': 'previous html', 'dist/paper.epub/inside': 'a folder in the way' })
    const run = await runCli(project, ['build', 'paper.md', '--to', 'html,epub'])
    expect(run.exitCode).toBe(73)
    expect(readFileSync(path.join(project, 'dist/paper.html'), 'utf8')).toBe('previous html')

    // The same at the last step, a rename that fails after an earlier one succeeded: the earlier file comes back.
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-write-'))
    writeFileSync(path.join(dir, 'a.html'), 'old a')
    mkdirSync(path.join(dir, 'b.epub'))
    writeFileSync(path.join(dir, 'b.epub', 'x'), 'in the way')
    expect(() => writeOutputs([{ path: path.join(dir, 'a.html'), bytes: Buffer.from('new a') }, { path: path.join(dir, 'b.epub'), bytes: Buffer.from('new b') }])).toThrow(/Cannot replace .*b\.epub/)
    expect(readFileSync(path.join(dir, 'a.html'), 'utf8')).toBe('old a')
    expect(readdirSync(dir).sort()).toEqual(['a.html', 'b.epub']) // No temporary or backup file left behind.
  })

  it('a damaged cache entry is not trusted: the build gives what a fresh build gives', async () => {
    const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] } }])
    const { project } = plant({ 'paper.md': `${front('bibliography: refs.json\n')}Text [@doe] with considerable hyphenation.\n`, 'refs.json': refs })
    const fresh = await runCli(project, ['build', 'paper.md', '--to', 'html', '-o', 'fresh.html', '--no-cache'])
    expect(fresh.exitCode).toBe(0)
    expect((await runCli(project, ['build', 'paper.md', '--to', 'html', '-o', 'first.html'])).exitCode).toBe(0)
    let damaged = 0
    const cache = path.join(project, '.galley-cache')
    for (const kind of readdirSync(cache)) {
      for (const name of readdirSync(path.join(cache, kind))) {
        const file = path.join(cache, kind, name)
        const bytes = readFileSync(file)
        bytes.write('GARBAGE!', Math.min(40, bytes.length - 8), 'latin1')
        writeFileSync(file, bytes)
        damaged += 1
      }
    }
    expect(damaged).toBeGreaterThanOrEqual(3)
    const again = await runCli(project, ['build', 'paper.md', '--to', 'html', '-o', 'again.html'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(readFileSync(path.join(project, 'again.html'), 'utf8')).toBe(readFileSync(path.join(project, 'fresh.html'), 'utf8'))
  })

  it('a config file or front matter cannot publish files outside the project', async () => {
    const { root, project } = plant({
      'galley.yaml': 'input-files: [paper.md, ../secret.md]\n',
      'abs.yaml': 'input-files: [paper.md, /etc/passwd]\n',
      'plain.yaml': 'toc: false\n',
      'paper.md': `${front()}Text.\n`,
      'bib.md': `${front(`bibliography: ABSOLUTE\nnocite: "@*"\n`)}Text.\n`,
    })
    writeFileSync(path.join(project, 'bib.md'), readFileSync(path.join(project, 'bib.md'), 'utf8').replace('ABSOLUTE', path.join(root, 'secret.json')))
    const config = await runCli(project, ['build', '--to', 'html'])
    expect(config.exitCode).toBe(2)
    expect(config.stderr).toMatch(/^galley\.yaml:1:14: error: "input-files" names .*secret\.md, which is outside the project directory/)
    const absolute = await runCli(project, ['build', '-d', 'abs.yaml', '--to', 'html'])
    expect(absolute.exitCode).toBe(2)
    expect(absolute.stderr).toMatch(/"input-files" names \/etc\/passwd, which is outside the project directory/)
    const bib = await runCli(project, ['build', 'bib.md', '-d', 'plain.yaml', '--to', 'html'])
    expect(bib.exitCode).toBe(2)
    expect(bib.stderr).toMatch(/^bib\.md:3:15: error: "bibliography" names .*secret\.json, which is outside the project directory/)
    expectNothingLeaked(path.join(project, 'dist'), config.stderr + absolute.stderr + bib.stderr)
    // The person running Galley may name any file: the command line is trusted.
    const trusted = await runCli(project, ['build', 'paper.md', '-d', 'plain.yaml', '--to', 'html', '--bibliography', path.join(root, 'secret.json'), '-M', 'nocite=@*'])
    expect(trusted.exitCode, trusted.stderr).toBe(0)
    expect(readFileSync(path.join(project, 'dist/paper.html'), 'utf8')).toContain(token)
  })

  it('SVG images with script, event handlers or outside references are refused', async () => {
    const svg = (inner: string): string => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">${inner}</svg>`
    const { project } = plant({
      'paper.md': `${front()}![s](script.svg) ![h](handler.svg) ![r](remote.svg) ![e](entity.svg) ![c](css.svg) ![ok](fine.svg)\n`,
      'script.svg': svg('<script>fetch("ORIGIN/s")</script>'),
      'handler.svg': svg('<rect width="5" height="5" onload="fetch(\'ORIGIN/h\')"/>'),
      'remote.svg': svg('<image xlink:href="ORIGIN/r.png" width="5" height="5"/>'),
      'entity.svg': `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${svg('<text>&x;</text>')}`,
      'css.svg': svg('<style>rect { fill: url(ORIGIN/c) }</style><rect width="5" height="5"/>'),
      'fine.svg': svg('<defs><linearGradient id="g"/></defs><rect width="5" height="5" fill="url(#g)"/>'),
    })
    const run = await runCli(project, ['build', 'paper.md', '--to', 'html,epub,pdf'])
    expect(run.exitCode, run.stderr).toBe(0)
    for (const [name, reason] of [['script', 'it contains a script'], ['handler', 'it has event handlers'], ['remote', 'it refers to http'], ['entity', 'it declares entities'], ['css', 'its style refers to http']]) {
      expect(run.stderr).toMatch(new RegExp(`warning\\s+SVG image ${name}\\.svg is not used: ${reason}`))
    }
    expect(run.stderr).not.toMatch(/fine\.svg/)
    const epub = unzipSync(readFileSync(path.join(project, 'dist/paper.epub')))
    expect(Object.keys(epub).filter((name) => name.endsWith('.svg')).sort()).toEqual(['EPUB/media/fine.svg'])
    expectNothingLeaked(path.join(project, 'dist'), run.stderr)
  }, 120_000)
})
