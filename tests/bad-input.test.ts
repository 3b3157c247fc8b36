// The bad-input corpus: one case per kind of broken or hostile input, each with its exact message, its exit code,
// and proof that the previous output in dist/ survived a failed build.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

const previous = 'previous good build\n'

interface Case {
  name: string
  files: Record<string, string | Uint8Array>
  args?: string[]
  env?: NodeJS.ProcessEnv
  exitCode: number
  /** The whole of stderr, or patterns it must match. */
  stderr: string | RegExp[]
  /** What the HTML must (not) contain when the build succeeds. */
  html?: { has?: string[]; hasNot?: string[] }
}

const front = (extra = ''): string => `---\ntitle: Case\n${extra}---\n\n`
const refs = JSON.stringify([{ id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] } }])

const cases: Case[] = [
  {
    name: 'CSL-JSON with a syntax error',
    files: { 'ms.md': `${front('bibliography: refs.json\n')}Text [@doe].\n`, 'refs.json': '[\n  {"id": "doe",\n   "title": "x",,\n  }\n]\n' },
    exitCode: 2,
    stderr: [/^refs\.json:3:17: error: CSL-JSON does not parse: /],
  },
  {
    name: 'CSL-JSON with wrong types (warned, field ignored, build goes on)',
    files: { 'ms.md': `${front('bibliography: refs.json\n')}Text [@doe].\n`, 'refs.json': '[{"id": "doe", "type": "book", "title": "T", "author": "Doe, Jo", "issued": {"date-parts": [[2020]]}}]\n' },
    exitCode: 0,
    stderr: [/refs\.json\n\s*1:2\s+warning\s+Entry "doe": "author" must be a list of names/],
  },
  {
    name: 'CSL-JSON entry without an id',
    files: { 'ms.md': `${front('bibliography: refs.json\n')}Text.\n`, 'refs.json': '[\n  {"type": "book", "title": "No key"}\n]\n' },
    exitCode: 2,
    stderr: [/^refs\.json:2:3: error: Entry 1 has no "id"/],
  },
  {
    name: 'duplicate ids',
    files: { 'ms.md': `${front('bibliography: refs.json\n')}Text [@doe].\n`, 'refs.json': `[${refs.slice(1, -1)},\n${refs.slice(1, -1)}]\n` },
    exitCode: 0,
    stderr: [/warning\s+Duplicate bibliography id "doe"/],
  },
  {
    name: 'BibTeX with an unclosed brace',
    files: { 'ms.md': `${front('bibliography: refs.bib\n')}Text [@a].\n`, 'refs.bib': '@book{a,\n  title = {Unclosed,\n  year = 2020\n}\n' },
    exitCode: 2,
    stderr: [/refs\.bib:\d+:\d+: error: BibTeX does not parse/],
  },
  {
    name: 'front matter that does not parse',
    files: { 'ms.md': '---\ntitle: "unclosed\nlang: en\n---\n\nText.\n' },
    exitCode: 2,
    stderr: [/^ms\.md:\d+:\d+: error: YAML metadata does not parse: /],
  },
  {
    name: 'front matter with a value Galley cannot use',
    files: { 'ms.md': '---\ntitle: T\ntoc: perhaps\n---\n\nText.\n' },
    exitCode: 0,
    stderr: [/ms\.md\n\s*3:6\s+warning\s+Metadata key "toc" must be true or false, got string "perhaps"; ignored\s+invalid-metadata/],
  },
  {
    name: 'an invalid CSL style',
    files: { 'ms.md': `${front('csl: broken.csl\n')}Text.\n`, 'broken.csl': '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text">\n  <citation>\n    <layout>\n  </citation>\n</style>\n' },
    exitCode: 2,
    stderr: [/^broken\.csl:\d+:\d+: error: Invalid CSL style: /],
  },
  {
    name: 'a missing CSL style',
    files: { 'ms.md': `${front('csl: no-such-style\n')}Text.\n` },
    exitCode: 2,
    stderr: [/error: CSL style "no-such-style" not found/],
  },
  {
    name: 'an unknown locale',
    files: { 'ms.md': `${front('lang: xx-YY\nbibliography: refs.json\n')}Text [@doe].\n`, 'refs.json': refs },
    exitCode: 0,
    stderr: [/warning\s+No CSL locale for "xx-YY"; citations use en-US terms/],
  },
  {
    name: 'an unknown citation key, shown visibly',
    files: { 'ms.md': `${front('bibliography: refs.json\n')}Text [@nobody].\n`, 'refs.json': refs },
    exitCode: 0,
    stderr: [/ms\.md\n6:7\s+warning\s+Citation key "nobody" not found\s+missing-citation-key/],
    html: { has: ['nobody?'] },
  },
  {
    name: 'citation keys named like object properties',
    files: {
      'ms.md': `${front('bibliography: refs.json\nnocite: "[@hasOwnProperty]"\n')}Text [@constructor; @__proto__, p. 3] and @toString.\n`,
      'refs.json': JSON.stringify(
        ['constructor', '__proto__', 'toString', 'hasOwnProperty'].map((id, index) => ({ id, type: 'book', title: `Book ${id}`, author: [{ family: `Author${index}` }], issued: { 'date-parts': [[2000 + index]] } })),
      ),
    },
    exitCode: 0,
    stderr: [/^$/],
    html: { has: ['id="ref-__proto__"', 'id="ref-hasOwnProperty"', 'Book __proto__', '(Author0 2000; Author1 2001, 3)', 'Author2 (2002)'] },
  },
  {
    name: 'a cite that prints nothing in its style',
    files: { 'ms.md': `${front('bibliography: refs.json\ncsl: modern-language-association\n')}Text [-@doe].\n`, 'refs.json': refs },
    exitCode: 0,
    stderr: [/7:8\s+warning\s+Citation of "doe" prints nothing in this style, so it is left out\s+citation-no-printed-form/],
    html: { hasNot: ['NO_PRINTED_FORM'] },
  },
  {
    name: 'a CSL style with an element outside its layout',
    files: {
      'ms.md': `${front('bibliography: refs.json\ncsl: odd.csl\n')}Text [@doe].\n`,
      'refs.json': refs,
      'odd.csl':
        '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n  <citation>\n    <text variable="title"/>\n' +
        '    <layout><text variable="title"/></layout>\n  </citation>\n</style>\n',
    },
    exitCode: 0,
    stderr: [/odd\.csl\n4:5\s+warning\s+<text> directly inside <citation> is not CSL \(only <sort> and <layout> go there\); it is ignored, as Pandoc ignores it\s+invalid-csl/],
    html: { has: ['A Book'] },
  },
  {
    name: 'a missing image',
    files: { 'ms.md': `${front()}![Lost](images/lost.png)\n` },
    exitCode: 0,
    stderr: [/5:1-5:25\s+warning\s+Image images\/lost\.png not found/],
    html: { has: ['[Lost]'] },
  },
  {
    name: 'an image path outside the project',
    files: { 'ms.md': `${front()}![x](../../../../etc/passwd)\n` },
    exitCode: 0,
    stderr: [/warning\s+Image \.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd is outside the project directory/],
    html: { hasNot: ['passwd'] },
  },
  {
    name: 'a remote image and a remote style sheet',
    files: { 'ms.md': `${front()}![x](https://example.org/a.png)\n\n<link rel="stylesheet" href="https://example.org/s.css">\n` },
    exitCode: 0,
    stderr: [/warning\s+Image https:\/\/example\.org\/a\.png is not loaded: Galley fetches nothing/, /7:1-7:57\s+warning\s+Raw HTML is left out/],
    html: { hasNot: ['example.org'] },
  },
  {
    name: 'raw HTML with script, iframe, event handlers and javascript: links',
    files: {
      'ms.md': `${front()}<script>alert(1)</script>\n\n<iframe src="https://evil.example"></iframe>\n\n<p onclick="alert(1)">x</p>\n\n[click](javascript:alert(1)) and <a href="javascript:alert(2)">raw</a>\n`,
    },
    exitCode: 0,
    stderr: [/warning\s+Raw HTML is left out/, /warning\s+Link to javascript:alert\(1\) removed/],
    html: { hasNot: ['<script>alert', '<iframe', 'onclick', 'javascript:'] },
  },
  {
    name: 'raw HTML in a table caption',
    files: { 'ms.md': `${front()}| A |\n|---|\n| 1 |\n\nTable: Counts <b onclick="alert(1)">bold</b>.\n` },
    exitCode: 0,
    stderr: [/9:15-9:37\s+warning\s+Raw HTML is left out of the output\s+raw-html/, /9:41-9:45\s+warning\s+Raw HTML is left out/],
    html: { has: ['<caption>Counts bold.</caption>'], hasNot: ['onclick'] },
  },
  {
    name: 'an empty manuscript',
    files: { 'ms.md': '' },
    exitCode: 0,
    stderr: [/warning\s+The manuscript is empty\s+empty-manuscript/, /warning\s+No title in the metadata/],
  },
  {
    name: 'a file that is not UTF-8',
    files: { 'ms.md': Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0x3a, 0x20, 0xe9, 0x74, 0xe9, 0x0a]) },
    exitCode: 2,
    stderr: 'ms.md: error: Manuscript ms.md is not UTF-8 text; save it as UTF-8\n',
  },
  {
    name: 'very deep nesting',
    files: { 'ms.md': `${front()}${'>'.repeat(2000)} deep\n` },
    exitCode: 2,
    stderr: [/^ms\.md:5:257: error: The manuscript nests more than 256 levels deep/],
  },
  {
    name: 'very deep nesting in a figure caption',
    files: { 'ms.md': `${front()}![${'*a '.repeat(300)}deep${'*'.repeat(300)}](data:image/png;base64,iVBORw0KGgo=)\n` },
    exitCode: 2,
    stderr: [/^ms\.md:5:\d+: error: The manuscript nests more than 256 levels deep/],
  },
  {
    name: '20 kB of `- - -` (lists nested on one line, refused while parsing)',
    files: { 'ms.md': `${front()}${'- '.repeat(10_000)}x\n` },
    exitCode: 2,
    stderr: [/^ms\.md:5:257: error: The manuscript nests more than 256 levels deep/],
  },
  {
    name: 'block quotes nested in a list item from an earlier line',
    files: { 'ms.md': `${front()}- item\n\n  ${'> '.repeat(10_000)}x\n` },
    exitCode: 2,
    stderr: [/^ms\.md:7:511: error: The manuscript nests more than 256 levels deep/],
  },
  {
    name: 'footnote definitions nested on one line',
    files: { 'ms.md': `${front()}${'[^a]: '.repeat(5_000)}x\n` },
    exitCode: 2,
    stderr: [/^ms\.md:5:1537: error: The manuscript nests more than 256 levels deep/],
  },
  {
    name: 'a figure description of deeply nested lists (no caption of its own)',
    files: { 'ms.md': `${front()}![${'- '.repeat(10_000)}x](images/x.png)\n`, 'images/x.png': tinyPng },
    exitCode: 0,
    stderr: '',
    html: { has: ['<figure', '- - - x'] },
  },
  {
    name: '200 kB of `[@` (no citation, text as written)',
    files: { 'ms.md': `${front()}${'[@'.repeat(100_000)}\n` },
    exitCode: 0,
    stderr: '',
    html: { has: ['[@[@[@[@'] },
  },
  {
    name: 'runs of `@{`, `![`, `[^`, backticks, `](` and `<!--` that nothing closes',
    files: {
      'ms.md': `${front('bibliography: refs.json\n')}${['@{', '![', '[^', '`` a `', '](', '<!--'].map((unit) => unit.repeat(20_000 / unit.length)).join('\n\n')}\n`,
      'refs.json': refs,
    },
    exitCode: 0,
    // The unclosed comment is an HTML block to the end of the file.
    stderr: [/^ms\.md\n16:1-17:1\s+warning\s+Raw HTML is left out of the output/],
    html: { has: ['@{@{@{', '![![![', '[^[^[^', '](](]('], hasNot: ['<!--'] },
  },
  {
    name: 'NUL bytes',
    files: { 'ms.md': `${front()}Before\u0000after.\n` },
    exitCode: 0,
    stderr: [/5:7\s+warning\s+NUL character in the manuscript/],
  },
  {
    name: 'a missing manuscript',
    files: {},
    args: ['build', 'missing.md', '--to', 'html', '-o', 'dist/ms.html'],
    exitCode: 2,
    stderr: 'missing.md: error: Cannot read manuscript missing.md: no such file\n',
  },
  {
    name: 'a missing bibliography file',
    files: { 'ms.md': `${front('bibliography: gone.json\n')}Text.\n` },
    exitCode: 2,
    stderr: "gone.json: error: Cannot read the bibliography file: no such file\n",
  },
  {
    name: 'warnings with --fail-on-warnings',
    files: { 'ms.md': `${front()}Text [@nobody].\n` },
    args: ['build', 'ms.md', '--to', 'html', '-o', 'dist/ms.html', '--fail-on-warnings'],
    exitCode: 1,
    stderr: [/warning\s+Citation key "nobody" not found/],
  },
  {
    name: 'no browser for the PDF',
    files: { 'ms.md': `${front()}Text.\n` },
    args: ['build', 'ms.md', '--to', 'pdf', '-o', 'dist/ms.html'],
    env: { GALLEY_BROWSER: '/nonexistent/chromium' },
    exitCode: 3,
    stderr: 'error: The browser /nonexistent/chromium does not exist; fix the "browser" setting or GALLEY_BROWSER\n',
  },
  {
    name: 'a browser that crashes at start',
    files: { 'ms.md': `${front()}Text.\n` },
    args: ['build', 'ms.md', '--to', 'pdf', '-o', 'dist/ms.html'],
    env: { GALLEY_BROWSER: '/bin/false', GALLEY_TIMEOUT: '5000' },
    exitCode: 3,
    stderr: [/^error: Chromium \(\/bin\/false\) did not start: /],
  },
  {
    name: 'a browser that hangs',
    files: { 'ms.md': `${front()}Text.\n`, 'hang.sh': '#!/bin/sh\nsleep 60\n' },
    args: ['build', 'ms.md', '--to', 'pdf', '-o', 'dist/ms.html'],
    env: { GALLEY_TIMEOUT: '1500' },
    exitCode: 3,
    stderr: [/^error: Chromium \(.*hang\.sh\) did not start: /],
  },
]

describe('bad input', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const dir = makeProject({ ...testCase.files, 'dist/ms.html': previous })
      const env = { ...testCase.env }
      if (testCase.files['hang.sh'] !== undefined) {
        const { chmodSync } = await import('node:fs')
        chmodSync(path.join(dir, 'hang.sh'), 0o755)
        env['GALLEY_BROWSER'] = path.join(dir, 'hang.sh')
      }
      const started = Date.now()
      const run = await runCli(dir, testCase.args ?? ['build', 'ms.md', '--to', 'html', '-o', 'dist/ms.html'], env)
      expect(run.exitCode, run.stderr).toBe(testCase.exitCode)
      if (typeof testCase.stderr === 'string') expect(run.stderr).toBe(testCase.stderr)
      else for (const pattern of testCase.stderr) expect(run.stderr).toMatch(pattern)
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /) // Never a stack trace.
      const output = readFileSync(path.join(dir, 'dist/ms.html'), 'utf8')
      if (testCase.exitCode >= 2) {
        expect(output).toBe(previous) // A failed build leaves the last good file as it was.
      } else {
        expect(output).not.toBe(previous)
        const text = output.replaceAll('\u00AD', '')
        for (const part of testCase.html?.has ?? []) expect(text.includes(part), part).toBe(true)
        for (const part of testCase.html?.hasNot ?? []) expect(text.includes(part), part).toBe(false)
      }
      expect(Date.now() - started).toBeLessThan(60_000)
    })
  }

  it('a 10 MB manuscript builds to HTML', async () => {
    const paragraph = 'The committee revisited the ledger of the harbour authority, and each revision left a trace. '.repeat(12)
    const body = `${paragraph}\n\n`.repeat(Math.ceil(10_000_000 / (paragraph.length + 2)))
    const dir = makeProject({ 'ms.md': `${front()}${body}`, 'images/x.png': tinyPng })
    const run = await runCli(dir, ['build', 'ms.md', '--to', 'html', '-o', 'dist/ms.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(readFileSync(path.join(dir, 'dist/ms.html')).byteLength).toBeGreaterThan(10_000_000)
  }, 300_000)
})
