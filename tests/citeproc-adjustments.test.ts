// What Galley changes in citeproc-js so that output follows Pandoc and does not depend on the machine: title-case stop
// words, and case mapping by language.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../src/citations/bibliography.js'
import { patchCiteproc, patchedVersion } from '../src/citations/citeproc-patches.js'
import { CslEngine } from '../src/citations/csl-engine.js'
import { loadLocale, loadStyle } from '../src/citations/styles.js'

const root = path.join(import.meta.dirname, '..')
const titles = ['A walk across the bridge before dawn', 'Into the wild and down under via Rome', 'Notes on modulo and upon the pro qua']

function bibliography(lang: string): string[] {
  const items = new Map<string, CslItem>(titles.map((title, index) => [`t${index}`, { id: `t${index}`, type: 'book', title, issued: { 'date-parts': [[2017]] } } as CslItem]))
  const styleXml = loadStyle('chicago-author-date', root).xml
  const engine = new CslEngine({ styleXml, lang, items, retrieveLocale: (tag) => loadLocale(tag, root) })
  return engine.formatDocument([], [...items.keys()]).bibliography.map((entry) => entry.html.replace(/<[^>]+>/g, ''))
}

describe('citeproc-js as Galley sets it up', () => {
  it("title-cases with CSL's stop words, as Pandoc does (citeproc-js lowercased every preposition)", () => {
    expect(bibliography('en-US')).toEqual([
      'A Walk Across the Bridge Before Dawn. 2017.',
      'Into the Wild and down Under via Rome. 2017.',
      'Notes on Modulo and Upon the Pro Qua. 2017.',
    ])
  })

  it('does not follow the machine default locale (a Turkish one lower-cased "I" to "ı")', () => {
    const script = [
      `import { readFileSync } from 'node:fs'`,
      `import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'`,
      `import { CslEngine } from ${JSON.stringify(path.join(root, 'lib', 'citations', 'csl-engine.js'))}`,
      `new CslEngine({ styleXml: readFileSync(${JSON.stringify(path.join(root, 'styles', 'csl', 'chicago-author-date.csl'))}, 'utf8'), lang: 'en-US', items: new Map(), retrieveLocale: () => undefined })`,
      `const csl = createRequire(import.meta.url)('citeproc')`,
      `console.log(JSON.stringify(['I'.toLocaleLowerCase([]), csl.toLocaleLowerCase.call({ tmp: { lang_array: [] } }, 'I'), csl.toLocaleLowerCase.call({ tmp: {} }, 'I')]))`,
    ].join('\n')
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, LC_ALL: 'tr_TR.UTF-8' } })
    expect(run.stderr).toBe('')
    // The first shows the machine default is Turkish here; citeproc-js, as Galley sets it up, maps as in English.
    expect(JSON.parse(run.stdout)).toEqual(['ı', 'i', 'i'])
  })

  it('patches citeproc-js once, however often asked (two copies of Galley in one process share it), and only the version the patches were written for', () => {
    bibliography('en-US') // Sets citeproc-js up.
    const require = createRequire(import.meta.url)
    const csl = require('citeproc') as Parameters<typeof patchCiteproc>[0] & { getCitationCluster: unknown; getCite: unknown }
    const patched = [csl.getCitationCluster, csl.getCite, csl.toLocaleLowerCase]
    patchCiteproc(csl)
    expect([csl.getCitationCluster, csl.getCite, csl.toLocaleLowerCase]).toEqual(patched)
    expect((require('citeproc/package.json') as { version: string }).version).toBe(patchedVersion)
  })

  it('maps case by language only for the languages whose case differs', () => {
    bibliography('en-US') // Sets citeproc-js up.
    const csl = createRequire(import.meta.url)('citeproc') as { toLocaleLowerCase(this: unknown, text: string): string; toLocaleUpperCase(this: unknown, text: string): string }
    const state = (languages: string[]) => ({ tmp: { lang_array: languages } })
    expect(csl.toLocaleLowerCase.call(state(['tr-TR']), 'DİYARBAKIR')).toBe('diyarbakır')
    expect(csl.toLocaleUpperCase.call(state(['tr']), 'istanbul')).toBe('İSTANBUL')
    expect(csl.toLocaleUpperCase.call(state(['el-GR']), 'άλφα')).toBe('ΑΛΦΑ')
    expect(csl.toLocaleLowerCase.call(state(['en-US', 'en']), 'DİYARBAKIR')).toBe('di̇yarbakir')
    expect(csl.toLocaleLowerCase.call(state([]), 'ISTANBUL')).toBe('istanbul')
  })
})

describe('the substitute for a repeated author, as Pandoc prints it', () => {
  function entries(style: string): string[] {
    const items = new Map<string, CslItem>(
      [2017, 2018].flatMap((year) => [
        [`book${year}`, { id: `book${year}`, type: 'book', title: 'Same book', issued: { 'date-parts': [[year]] } } as CslItem],
        [`page${year}`, { id: `page${year}`, type: 'webpage', title: 'Same page', issued: { 'date-parts': [[year]] } } as CslItem],
      ]),
    )
    const engine = new CslEngine({ styleXml: loadStyle(style, root).xml, lang: 'en-US', items, retrieveLocale: (tag) => loadLocale(tag, root) })
    return engine.formatDocument([], [...items.keys()]).bibliography.map((entry) => entry.html.replace(/^<div class="csl-entry">|<\/div>$/g, ''))
  }

  it('stands for a title without the title\'s quotation marks or italics (Pandoc replaces the whole names output)', () => {
    // The style's attribute is written "&#8212;&#8212;&#8212;".
    expect(entries('chicago-author-date')).toEqual(['<i>Same Book</i>. 2017.', '———. 2018.', '“Same Page.” 2017. 2017.', '———. 2018. 2018.'])
    expect(entries('modern-language-association')).toEqual(['<i>Same Book</i>. 2017.', '---. 2018.', '<i>Same Page</i>. 2017.', '---. 2018.'])
  })
})
