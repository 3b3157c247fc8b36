// citeproc started in a worker before the parse: used only when it registered exactly what the book cites, and
// the output is the same byte for byte as with citeproc on the build's own thread. The worker is a script of the
// compiled code, so these tests run what `npm run compile` made (lib/), as `npm test` does after compiling.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { build as Build } from '../src/build.js'
import type { Cache } from '../src/file-cache.js'
import { frontMatterOf } from '../src/markdown/parse.js'
import { scanCitationKeys } from '../src/markdown/remark-pandoc-citations.js'
import { makeProject } from './helpers/project.js'

const { build } = (await import('../lib/bundle/index.js' as string)) as { build: typeof Build }
// The unbundled modules, for what the bundle does not export; their cache keys differ from the bundle's.
const lib = {
  build: ((await import('../lib/build.js' as string)) as { build: typeof Build }).build,
  withCitationSession: ((await import('../lib/citations/session.js' as string)) as typeof import('../src/citations/session.js')).withCitationSession,
  fileCache: ((await import('../lib/file-cache.js' as string)) as typeof import('../src/file-cache.js')).fileCache,
  CiteprocThread: ((await import('../lib/citations/citeproc-thread.js' as string)) as typeof import('../src/citations/citeproc-thread.js')).CiteprocThread,
}
const { VFile } = await import('vfile')

const refs = [
  { id: 'doe', type: 'book', title: 'The First Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] }, publisher: 'Press' },
  { id: 'doe2', type: 'book', title: 'Another Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] }, publisher: 'Press' },
  { id: 'roe', type: 'article-journal', title: 'An Article', author: [{ family: 'Roe', given: 'Ri' }], issued: { 'date-parts': [[2019]] }, 'container-title': 'Journal', page: '1-20' },
  { id: 'poe', type: 'book', title: 'Only Listed', author: [{ family: 'Poe', given: 'Ed' }], issued: { 'date-parts': [[2001]] } },
]

/** Two chapters: narrative and bracketed cites, a footnote written at the end, a table caption, a figure caption, nocite. */
const chapters = (csl: string): Record<string, string> => ({
  'one.md': `---\ntitle: Early\nbibliography: refs.json\nnocite: ["@poe"]\n---\n\n# One\n\nAs @roe [p. 3] says, it holds.[^n] Later [see @doe, 12; @doe2].\n\n[^n]: A note citing [@doe2, 4].\n`,
  'two.md': `---\ncsl: ${csl}\n---\n\n# Two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nTable: Source: @roe [p. 9].\n\n![A *map* after @doe2 [p. 5].](data:image/png;base64,iVBORw0KGgo=)\n\nAgain [@doe, 13] and [-@roe].\n`,
  'refs.json': JSON.stringify(refs),
})

async function twice(dir: string, inputs: string[]): Promise<{ early: string; here: string; from: string | undefined }> {
  const env = { SOURCE_DATE_EPOCH: '1700000000' }
  const early = await build({ inputs, to: ['html'], cwd: dir, output: 'early.html', env, noCache: true })
  const here = await build({ inputs, to: ['html'], cwd: dir, output: 'here.html', env, noCache: true, earlyCiteproc: false })
  expect(here.citations).toBe('main')
  const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8')
  return { early: read('early.html'), here: read('here.html'), from: early.citations }
}

describe('citeproc started early in a worker', () => {
  for (const csl of ['chicago-author-date', 'chicago-fullnote-bibliography', 'ieee']) {
    it(`gives the same book as citeproc on the build's thread (${csl})`, async () => {
      const dir = makeProject(chapters(csl))
      const { early, here, from } = await twice(dir, ['one.md', 'two.md'])
      expect(from).toBe('worker')
      expect(early).toBe(here)
      expect(early).toContain('Poe') // nocite
      // A citation in a table caption is formatted (it was left as written while captions were taken out first).
      expect(early).toMatch(/<caption>Source: <span class="citation" data-cites="roe">/)
      expect(early).toMatch(/<figcaption>A <em>map<\/em> after <span class="citation" data-cites="doe2">/)
    })
  }

  // Node refuses both options in a worker's own; the CLI starts with the second (its #! line).
  const startedWith = [['--input-type=module'], ['--v8-pool-size=1', '--input-type', 'module'], ['--v8-pool-size', '1', '--input-type=module'], ['--v8_pool_size=1', '--input_type=module']]
  for (const options of startedWith) {
    it(`runs when Node was started with ${options.join(' ')}, which a worker would inherit and fail on`, () => {
      const dir = makeProject(chapters('chicago-author-date'))
      const bundle = new URL('../lib/bundle/index.js', import.meta.url).href
      const script = `const { build } = await import(${JSON.stringify(bundle)}); const r = await build({ inputs: ['one.md', 'two.md'], to: ['html'], cwd: '.', output: 'x.html', noCache: true }); console.log(r.citations)`
      expect(execFileSync(process.execPath, [...options, '-e', script], { cwd: dir, encoding: 'utf8' }).trim()).toBe('worker')
    })
  }

  it('is not used when the scan of the text guessed other entries, and the output is the same', async () => {
    // An indented code block holds a key the scan takes for a citation; the parse knows it is code.
    const dir = makeProject({ ...chapters('apa'), 'three.md': '# Three\n\nText.\n\n    @poe in code\n\nMore [@doe].\n' })
    expect(scanCitationKeys(readFileSync(path.join(dir, 'three.md'), 'utf8'))).toEqual(['poe', 'doe'])
    const { early, here, from } = await twice(dir, ['one.md', 'two.md', 'three.md'])
    expect(from).toBe('main')
    expect(early).toBe(here)
  })

  it('is not started, or a given one not used, when the cache has seen these entries registered', async () => {
    const dir = makeProject(chapters('apa'))
    const files = ['one.md', 'two.md'].map((name) => new VFile({ path: name, cwd: dir, value: readFileSync(path.join(dir, name), 'utf8') }))
    const store = new Map<string, unknown>()
    const cache: Cache = { get: (key) => store.get(key), set: (key, value) => void store.set(key, value) }
    /** Whether a session's guess leaves a worker registering, with the worker started first or not. */
    const primed = (cache: Cache, startNow: boolean): Promise<boolean> =>
      lib.withCitationSession({ worker: true, startNow }, async (session) => {
        await session.prime({ files, layers: [], projectDir: dir }, cache)
        return session.formatsInWorker
      })
    expect(await primed(cache, false)).toBe(true)
    // Started first, the worker registers.
    expect(await primed(cache, true)).toBe(true)

    // The first build records the registration in its cache; the next start sees it, and the next build hits.
    const first = await lib.build({ inputs: ['one.md', 'two.md'], to: ['html'], cwd: dir, output: 'a.html' })
    expect(first.citations).toBe('worker')
    const citations = lib.fileCache(path.join(dir, '.galley-cache', 'citations'))
    expect(await primed(citations, false)).toBe(false)
    // A worker started first (the library's `build` does, with --no-cache) is stopped then.
    expect(await primed(citations, true)).toBe(false)
    const second = await lib.build({ inputs: ['one.md', 'two.md'], to: ['html'], cwd: dir, output: 'b.html' })
    expect(second.citations).toBe('cache')
  })
})

describe('the worker', () => {
  it('formats with the style it registered with, when it made its engine for another first', async () => {
    const { loadStyle, loadLocale } = (await import('../lib/citations/styles.js' as string)) as typeof import('../src/citations/styles.js')
    const { CslEngine } = (await import('../lib/citations/csl-engine.js' as string)) as typeof import('../src/citations/csl-engine.js')
    const items = new Map(refs.map((ref): [string, (typeof refs)[number]] => [ref.id, ref]))
    const ieee = loadStyle('ieee', '.').xml
    const clusters = [{ id: 'c0', items: [{ id: 'roe', locator: '3', label: 'page' }], noteIndex: 0 }]
    const thread = lib.CiteprocThread.spawn()
    thread?.makeEngine({ styleXml: loadStyle('apa', '.').xml, lang: 'en-US', projectDir: '.' })
    thread?.register({ styleXml: ieee, lang: 'en-US', projectDir: '.', items, cited: ['roe'], uncited: [], registration: 'r' })
    const formatted = await thread?.format('r', clusters, [])
    const here = new CslEngine({ styleXml: ieee, lang: 'en-US', items, retrieveLocale: (lang) => loadLocale(lang, '.') })
    here.register(['roe'], [])
    const expected = here.formatAll(clusters, [])
    expect(formatted?.document.clusters.get('c0')?.html).toBe('[1, p. 3]')
    expect(formatted?.document).toEqual(expected.document)
  })
})

describe('the scan for citation keys', () => {
  it('reads footnotes where they are first referenced and figure captions, and skips code, other image descriptions, escapes and e-mail addresses', () => {
    const text = [
      '---',
      'title: "@notakey"',
      '---',
      'First @a, mail x@b.org, escaped \\@c, code `@d`.[^2] Then [see @e, p. 3; -@f].[^1]',
      '',
      '```',
      '@g',
      '```',
      '',
      '[^1]: Note one [@h].',
      '    Still note one @i.',
      '',
      '[^2]: Note two @{j k}.',
      '',
      'Back in the text ^[inline @l] and @m.',
      '',
      "``Quoted'' as in LaTeX, then @n and ![an image after @o](f.png).",
      '',
      '![A figure after @q [p. 3].](f.png){width=50%}',
      '',
      '![not a figure @r](f.png) but text ![after it](g.png)',
      '',
      'And @p.',
    ].join('\n')
    const { layer, body } = frontMatterOf(new VFile({ path: 'ms.md', value: text }))
    expect(layer?.get('title')?.value).toBe('@notakey')
    expect(scanCitationKeys(body)).toEqual(['a', 'j k', 'e', 'f', 'h', 'i', 'l', 'm', 'n', 'q', 'p'])
  })
})
