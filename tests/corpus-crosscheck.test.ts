// The real manuscripts in ../shared/corpus against pandoc --citeproc 2.17 (skipped where either is absent): every
// citation's text and every bibliography entry, each built as its own repository builds it (style, inputs, metadata).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Element } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import { SKIP, visit } from 'unist-util-visit'
import { afterAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'

const corpus = path.join(import.meta.dirname, '..', '..', 'shared', 'corpus')
const styles = '/usr/share/citation-style-language/styles'
const ready = existsSync(corpus) && existsSync(styles) && spawnSync('pandoc', ['--version']).status === 0

interface Paper {
  name: string
  inputs: string[]
  /** A style of Debian's CSL styles by name, or a file of the manuscript's. */
  csl: string
  /** `-M` pairs given to both programs. */
  metadata?: string[]
  metadataFiles?: string[]
}

/** chicago-author-date, Pandoc's default style, for the JOSS papers (JOSS's own pipeline uses its APA variant). */
const joss = (name: string): Paper => ({ name, inputs: ['paper.md'], csl: 'chicago-author-date' })

const papers: Paper[] = [
  ...['joss-adaptiveresonance', 'joss-bumbl', 'joss-eukulele', 'joss-gmr', 'joss-hypothesize', 'joss-mwarp1d', 'joss-ncdatasets', 'joss-planetmagfields', 'joss-slix'].map(joss),
  {
    // Its Makefile's citation options; its LaTeX includes and watermark are not in the corpus.
    name: 'thesis-template-andros21',
    inputs: ['introduction', 'relatedwork', 'concept', 'realisation', 'conclusion', 'appendix'].map((chapter) => `example/${chapter}.md`),
    csl: 'chicago-author-date',
    metadata: ['lang=en-EN', 'bibliography=example/references.bib', 'link-citations=true'],
    metadataFiles: ['metadata.yaml'],
  },
  {
    // build/build.sh's options, run from the top (its metadata names the bibliography as seen from build/).
    name: 'thesis-altpeter-consent-dialogs',
    inputs: ['000_meta', '100_introduction', '200_legal-background', '300_consent-dialog-legal-criteria', '400_consent-dialogs-in-the-wild', '500_device-instrumentation-framework', '550_analysis-method', '600_results', '700_discussion', '800_related-work', '900_conclusion', '950_appendix'].map((chapter) => `thesis/${chapter}.md`),
    csl: 'build/citations.csl',
    metadata: ['bibliography=thesis/bibliography.json'],
  },
  {
    // Manubot resolves its `@doi:` keys online first; offline only the manual references are entries.
    name: 'manubot-bitcoin-whitepaper',
    inputs: ['00.front-matter', '01.abstract', '02.body', '90.back-matter'].map((part) => `content/${part}.md`),
    csl: 'chicago-author-date',
    metadata: ['bibliography=content/manual-references.json'],
    metadataFiles: ['content/metadata.yaml'],
  },
]

type Part = 'citations' | 'entries'

/**
 * Every known difference, with why: `rule` turns Galley's text into Pandoc's (all of a manuscript's rules are applied
 * in turn, so two differences in one text are each explained). A difference no rule explains fails the test, and so
 * does a rule that no longer changes anything (the list cannot go stale). `only` limits a rule to one entry's id.
 */
interface Difference {
  paper: string
  part: Part
  only?: string
  rule: (galley: string) => string
  why: string
}

const differences: Difference[] = [
  { paper: 'joss-bumbl', part: 'entries', only: 'goulson2008', rule: (text) => text.replace('10/bqhp9z', 'bqhp9z'), why: 'Pandoc prints the short DOI 10/bqhp9z without its "10/"' },
  ...(
    [
      ['joss-eukulele', 'guillou2012protist', 'PR2'],
      ['joss-planetmagfields', 'matplotlib', '2D'],
      ['joss-slix', 'menzel2020', '3D'],
    ] as const
  ).map(([paper, only, word]): Difference => ({
    paper,
    part: 'entries',
    only,
    rule: (text) => text.replace(word, word[0] + word.slice(1).toLowerCase()),
    why: `Pandoc's title case lowers an all-capital word holding a digit: "${word}" becomes "${word[0]}${word.slice(1).toLowerCase()}"`,
  })),
  { paper: 'joss-slix', part: 'entries', only: 'axer2011a', rule: (text) => text.replace('1091–1101', '1091–101'), why: 'page range: Pandoc "1091–101", citeproc-js "1091–1101" (the engine, not the BibTeX reading)' },
  {
    paper: 'joss-slix',
    part: 'entries',
    only: 'menzel2020',
    rule: (text) => text.replace('10 (2): ', '10: '),
    why:
      'The entry has `Issue = {2}` and no `number`. Galley reads it as the issue; Pandoc 2.17 reads biblatex\'s `issue` ' +
      '(a designation such as "Spring") only after a `number`, and drops it alone. Galley keeps what the author wrote.',
  },
  {
    paper: 'joss-mwarp1d',
    part: 'citations',
    rule: (text) => text.replace(/^\(Ramsay/, '(J. O. Ramsay'),
    why:
      'The same author written "Ramsay, J O" (1998) and "Ramsay, J. O." (2005). Pandoc 2.17 takes the two spellings for ' +
      'two people and adds given names that print the same "J. O." for both; citeproc-js (alone too) takes them for one. ' +
      'The made-up reproducer is "given names that tell authors apart" in pandoc-crosscheck.test.ts.',
  },
  {
    paper: 'thesis-altpeter-consent-dialogs',
    part: 'citations',
    rule: (text) => text.replace(/\bno\. (?=\S+, )/, 'nos. '),
    why:
      'A locator of two section numbers, "B.1.3.3.3, B.1.3.3.4": Pandoc makes any locator with a comma plural ("nos."); ' +
      'citeproc-js only one with a comma, "&" or range between numbers.',
  },
  {
    paper: 'thesis-altpeter-consent-dialogs',
    part: 'entries',
    rule: (text) => text.replace(',’”', '’,”'),
    why:
      'A comma after a quotation inside a quoted title ("Answer to ‘…’"): citeproc-js moves it inside both closing ' +
      "quotes, as American usage (and the en-US locale's punctuation-in-quote) has it; Pandoc 2.17 leaves it between them.",
  },
]

/** Manuscripts whose bibliography order differs, with why. */
const orderExplained: Record<string, string> = {
  'joss-bumbl': 'Pandoc sorts "Goulson, Dave" (2010) before "Goulson, D., G. C. Lye, and B. Darvill" (2008); citeproc-js after',
}

interface Parts {
  /** Each citation's text, with the keys it cites. */
  citations: { keys: string[]; text: string }[]
  entries: Map<string, string>
}

const plain = (node: Element): string => toString(node).replace(/↩︎?/g, '').replace(/\s+/g, ' ').trim()

function partsOf(html: string): Parts {
  const tree = fromHtml(html.replaceAll('\u00AD', ''), { fragment: true })
  const parts: Parts = { citations: [], entries: new Map() }
  visit(tree, 'element', (node) => {
    const classes = Array.isArray(node.properties['className']) ? node.properties['className'].map(String) : []
    if (node.tagName === 'span' && classes.includes('citation')) {
      // A note mark inside a citation (a note style) is no part of its text.
      visit(node, 'element', (inner, index, parent) => {
        if (inner.tagName === 'sup' && parent && index !== undefined) parent.children.splice(index, 1)
      })
      parts.citations.push({ keys: String(node.properties['dataCites'] ?? '').split(' '), text: plain(node) })
      return SKIP
    }
    if (classes.includes('csl-entry') && typeof node.properties['id'] === 'string') {
      parts.entries.set(node.properties['id'].replace(/^ref-/, ''), plain(node))
      return SKIP
    }
    return undefined
  })
  return parts
}

const tally = { citations: 0, citationsAlike: 0, entries: 0, entriesAlike: 0 }
const used = new Set<Difference>()

describe.skipIf(!ready)('the corpus against pandoc --citeproc', () => {
  afterAll(() => {
    // For the record of how close the two are; the assertions are per manuscript.
    console.info(`corpus: ${tally.citationsAlike} of ${tally.citations} citations and ${tally.entriesAlike} of ${tally.entries} entries alike`)
  })

  for (const paper of papers) {
    it(paper.name, { timeout: 120_000 }, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), `galley-corpus-${paper.name}-`))
      cpSync(path.join(corpus, paper.name), dir, { recursive: true })
      const csl = paper.csl.endsWith('.csl') ? paper.csl : path.join(styles, `${paper.csl}.csl`)
      const metadata = paper.metadata ?? []
      const pandoc = spawnSync(
        'pandoc',
        [...paper.inputs, '--citeproc', '--csl', csl, ...metadata.flatMap((pair) => ['-M', pair]), ...(paper.metadataFiles ?? []).flatMap((file) => ['--metadata-file', file]), '-t', 'html'],
        { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 },
      )
      expect(pandoc.status, pandoc.stderr).toBe(0)
      const out = path.join(dir, 'galley.html')
      // Pandoc finds images from the folder it runs in (its resource path): Galley is told the same (its project is
      // the chapters' folder), so a figure's caption is a caption in both.
      await build({ inputs: paper.inputs, cwd: dir, to: ['html'], output: out, noCache: true, metadata: [...metadata, `csl=${paper.csl}`], metadataFiles: paper.metadataFiles, resourcePath: ['.'] })
      const expected = partsOf(pandoc.stdout)
      const actual = partsOf(readFileSync(out, 'utf8'))
      expect(expected.entries.size).toBeGreaterThan(0)

      // Citations of the bibliography's keys only: Pandoc without pandoc-crossref or Manubot reads `@fig:…` and
      // `@doi:…` as citations of missing entries, which Galley makes cross-references or marks missing its own way.
      const cited = (parts: Parts): Parts['citations'] => parts.citations.filter((citation) => citation.keys.every((key) => expected.entries.has(key)))
      const [mine, theirs] = [cited(actual), cited(expected)]
      // Pandoc's citations in order, each with Galley's of the same keys (a citation Galley lost has none).
      let next = 0
      const pairs = theirs.map((citation): [string, string | undefined] => {
        const found = mine.findIndex((other, at) => at >= next && other.keys.join(' ') === citation.keys.join(' '))
        if (found < 0) return [citation.text, undefined]
        next = found + 1
        return [citation.text, mine[found]?.text]
      })
      const compared: { part: Part; id: string; pandoc: string; galley: string | undefined }[] = [
        ...pairs.map(([pandoc, galley], index) => ({ part: 'citations' as const, id: `c${index + 1}`, pandoc, galley })),
        ...[...expected.entries].map(([id, pandoc]) => ({ part: 'entries' as const, id, pandoc, galley: actual.entries.get(id) })),
      ]
      const unexplained: string[] = []
      for (const { part, id, pandoc, galley } of compared) {
        tally[part] += 1
        if (galley === pandoc) {
          tally[`${part}Alike`] += 1
          continue
        }
        let text = galley
        for (const difference of differences) {
          if (text === undefined || difference.paper !== paper.name || difference.part !== part || (difference.only !== undefined && difference.only !== id)) continue
          const changed = difference.rule(text)
          if (changed !== text) used.add(difference)
          text = changed
        }
        if (text !== pandoc) unexplained.push(`${part} ${id}\n  galley: ${galley}\n  pandoc: ${pandoc}`)
      }
      expect(unexplained).toEqual([])
      expect(mine.length, 'citations Galley has and Pandoc has not').toBe(theirs.length)
      expect([...actual.entries.keys()].sort()).toEqual([...expected.entries.keys()].sort())
      expect([...actual.entries.keys()].join() === [...expected.entries.keys()].join()).toBe(!(paper.name in orderExplained))
    })
  }

  it('every listed difference still occurs', () => {
    expect(differences.filter((difference) => !used.has(difference)).map((difference) => `${difference.paper}: ${difference.why}`)).toEqual([])
  })
})
