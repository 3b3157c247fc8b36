// Formatting each cluster against a few earlier ones (linear) must give exactly what citeproc's own
// rebuildProcessorState gives (each cluster against all earlier ones, quadratic), in every kind of style.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../src/citations/bibliography.js'
import { CslEngine, type ClusterRequest, type CiteRequest } from '../src/citations/csl-engine.js'
import { loadLocale, loadStyle } from '../src/citations/styles.js'

const root = process.cwd()

const person = (family: string, given: string): { family: string; given: string } => ({ family, given })
/** Entries chosen to make citeproc work: same author and year, same surname, et al., no author, an institution, a chapter in a book. */
const entries: CslItem[] = [
  { id: 'smith2020a', type: 'book', title: 'Alpha', author: [person('Smith', 'John')], issued: { 'date-parts': [[2020]] }, publisher: 'Verso' },
  { id: 'smith2020b', type: 'article-journal', title: 'Beta', author: [person('Smith', 'John')], issued: { 'date-parts': [[2020]] }, 'container-title': 'Past & Present', volume: '4', page: '1-20' },
  { id: 'smith2019', type: 'book', title: 'Gamma', author: [person('Smith', 'Jane')], issued: { 'date-parts': [[2019]] } },
  { id: 'doe2018', type: 'chapter', title: 'Delta', author: [person('Doe', 'Anne'), person('Roe', 'Bea')], editor: [person('Lee', 'Kim')], 'container-title': 'Essays', issued: { 'date-parts': [[2018]] }, page: '33-60' },
  { id: 'doe2018b', type: 'article-journal', title: 'Epsilon', author: [person('Doe', 'Anne'), person('Roe', 'Bea'), person('Poe', 'Cal'), person('Moe', 'Dan')], issued: { 'date-parts': [[2018]] }, 'container-title': 'Annals' },
  { id: 'anon2001', type: 'article-newspaper', title: 'Zeta', 'container-title': 'The Times', issued: { 'date-parts': [[2001, 5, 3]] } },
  { id: 'bank2015', type: 'report', title: 'Eta', author: [{ literal: 'World Bank' }], issued: { 'date-parts': [[2015]] }, publisher: 'World Bank' },
  { id: 'lee2010', type: 'article-journal', title: 'Alpha', author: [person('Lee', 'Kim')], issued: { 'date-parts': [[2010]] }, DOI: '10.1000/x1' },
] as CslItem[]
const items = new Map(entries.map((entry) => [entry.id, entry]))
const ids = entries.map((entry) => entry.id)

const styles = [
  'chicago-fullnote-bibliography',
  'chicago-note-bibliography',
  'modern-humanities-research-association',
  'oscola',
  'chicago-author-date',
  'apa',
  'modern-language-association',
  'ieee',
  'vancouver',
]

const locator = fc.record({ locator: fc.constantFrom('12', '12-14', '3'), label: fc.constantFrom('page', 'page', 'chapter') })
/** Mostly plain cites, some with a locator (ibid-with-locator), a few with affixes or the author suppressed. */
const cite: fc.Arbitrary<CiteRequest> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ id: fc.constantFrom(...ids) }) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...ids), locator).map(([id, where]) => ({ id, ...where })) },
  {
    weight: 2,
    arbitrary: fc.record(
      { id: fc.constantFrom(...ids), prefix: fc.constantFrom('see ', 'cf. '), suffix: fc.constantFrom(', n. 4', ' (emphasis added)'), suppressAuthor: fc.constant(true) },
      { requiredKeys: ['id'] },
    ),
  },
)

/**
 * A document: clusters in reading order with note numbers that never go down. Note number 0 is running text; a
 * number may repeat (several citations in one footnote). Note styles get no 0.
 */
function documentOf(noteStyle: boolean, minLength: number, maxLength: number): fc.Arbitrary<ClusterRequest[]> {
  const step = fc.record({ items: fc.oneof({ weight: 3, arbitrary: fc.tuple(cite) }, fc.array(cite, { minLength: 2, maxLength: 3 })), advance: fc.constantFrom(0, 1, 1, 1, 2), text: fc.boolean() })
  return fc.array(step, { minLength, maxLength }).map((steps) => {
    let note = 0
    return steps.map((s, index) => {
      note += s.advance
      const noteIndex = !noteStyle && s.text ? 0 : Math.max(note, 1)
      return { id: `c${index}`, items: s.items, noteIndex }
    })
  })
}

function bothWays(styleXml: string, clusters: ClusterRequest[], uncited: string[]): [unknown, unknown] {
  const make = (): CslEngine => new CslEngine({ styleXml, lang: 'en-US', items, retrieveLocale: (lang) => loadLocale(lang, root) })
  const inContext = make().formatDocument(clusters, uncited)
  const whole = make().formatDocument(clusters, uncited, { wholeDocument: true })
  return [inContext, whole]
}

describe('citations formatted in context', () => {
  for (const name of styles) {
    it(`equal citeproc's whole-document formatting: ${name}`, () => {
      const styleXml = loadStyle(name, root).xml
      const noteStyle = /class="note"/.test(styleXml)
      fc.assert(
        fc.property(documentOf(noteStyle, 1, 24), fc.subarray(ids, { maxLength: 2 }), (clusters, uncited) => {
          const [inContext, whole] = bothWays(styleXml, clusters, uncited)
          expect(inContext).toEqual(whole)
        }),
        { numRuns: 12, seed: 20261130 },
      )
    })
  }

  it('equal it on a long document with ibid chains, repeated notes and far-apart references', () => {
    // Long enough that the context of a cluster is far smaller than the clusters before it.
    const [clusters = []] = fc.sample(documentOf(true, 300, 300), { numRuns: 1, seed: 7 })
    const texts = (styleName: string): string[] => {
      const [inContext, whole] = bothWays(loadStyle(styleName, root).xml, clusters, [])
      expect(inContext).toEqual(whole)
      return [...(inContext as { clusters: Map<string, { html: string }> }).clusters.values()].map((cluster) => cluster.html)
    }
    // The document must exercise what the context exists for: ibid, and first notes in full, later ones short.
    expect(texts('oscola').filter((html) => /\bibid\b/i.test(html)).length).toBeGreaterThan(10)
    const chicago = texts('chicago-fullnote-bibliography')
    expect(chicago.some((html) => html.includes('Smith, <i>Alpha</i>,'))).toBe(true)
    expect(chicago.some((html) => html.includes('John Smith, <i>Alpha</i>'))).toBe(true)
  })
})
