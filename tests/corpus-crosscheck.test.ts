// Bibliographies of the real manuscripts in ../shared/corpus against pandoc --citeproc 2.17 (skipped where either is absent).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'

const corpus = path.join(import.meta.dirname, '..', '..', 'shared', 'corpus')
const csl = '/usr/share/citation-style-language/styles/chicago-author-date.csl'
const ready = existsSync(corpus) && existsSync(csl) && spawnSync('pandoc', ['--version']).status === 0

const manuscripts = ['joss-adaptiveresonance', 'joss-bumbl', 'joss-eukulele', 'joss-gmr', 'joss-hypothesize', 'joss-mwarp1d', 'joss-ncdatasets', 'joss-planetmagfields', 'joss-slix']

/** Entries that differ, each with why; the test fails when one of them agrees (or another differs). */
const explained: Record<string, string> = {
  'joss-bumbl/goulson2008': 'Pandoc prints the short DOI 10/bqhp9z without its "10/"',
  'joss-eukulele/guillou2012protist': 'Pandoc title case lowers an all-capital word holding a digit: "PR2" becomes "Pr2"',
  'joss-planetmagfields/matplotlib': 'the same: "2D" becomes "2d" in Pandoc',
  'joss-slix/menzel2020': 'the same: "3D" becomes "3d" in Pandoc',
  'joss-slix/axer2011a': 'page range: Pandoc "1091–101", citeproc-js "1091–1101" (the engine, not the BibTeX reading)',
}

/** Manuscripts whose bibliography order differs, with why. */
const orderExplained: Record<string, string> = {
  'joss-bumbl': 'Pandoc sorts "Goulson, Dave" (2010) before "Goulson, D., G. C. Lye, and B. Darvill" (2008); citeproc-js after',
}

function entries(html: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const match of html.matchAll(/<div id="ref-([^"]+)" class="csl-entry"[^>]*>([\s\S]*?)<\/div>/g)) {
    const text = (match[2] ?? '').replace(/<[^>]+>/g, '').replace(/\u00ad/g, '').replace(/&#x26;|&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim()
    found.set(match[1] ?? '', text)
  }
  return found
}

describe.skipIf(!ready)('the corpus against pandoc --citeproc', () => {
  for (const name of manuscripts) {
    it(name, { timeout: 60_000 }, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), `galley-corpus-${name}-`))
      cpSync(path.join(corpus, name), dir, { recursive: true })
      const pandoc = spawnSync('pandoc', ['paper.md', '--citeproc', '--csl', csl, '-t', 'html'], { cwd: dir, encoding: 'utf8' })
      expect(pandoc.status).toBe(0)
      const out = path.join(dir, 'galley.html')
      await build({ inputs: ['paper.md'], cwd: dir, to: ['html'], output: out, noCache: true, metadata: ['csl=chicago-author-date'] })
      const expected = entries(pandoc.stdout)
      const actual = entries(readFileSync(out, 'utf8'))
      expect(expected.size).toBeGreaterThan(0)
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort())
      const differing = [...expected].filter(([id, text]) => actual.get(id) !== text).map(([id]) => `${name}/${id}`)
      expect(differing.sort()).toEqual(Object.keys(explained).filter((key) => key.startsWith(`${name}/`)).sort())
      expect([...actual.keys()].join() === [...expected.keys()].join()).toBe(!(name in orderExplained))
    })
  }
})
