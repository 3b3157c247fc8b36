// Property tests: random Markdown with random citation syntax and random bibliographies gives a result or a Galley
// diagnostic, never an unexpected exception and never a hang.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import type { Bibliography, CslItem } from '../src/citations/bibliography.js'
import { loadStyle } from '../src/citations/styles.js'
import { readCliLayer, resolveMetadata } from '../src/config/metadata.js'
import { GalleyError } from '../src/errors.js'
import { bookToHtmlTree, citeBook, parseBook } from '../src/pipeline.js'
import { loadLocale } from '../src/citations/styles.js'

const keys = ['doe', 'roe', 'smith:2020', 'a.b', 'x']
const fragments = [
  ...keys.flatMap((key) => [`@${key}`, `[@${key}]`, `[-@${key}]`, `[see @${key}, p. 3]`, `@${key} [pp. 3--5]`, `@{${key}}`]),
  '[', ']', ';', '@', '\\@', '-@', ' ', '\n', '\n\n', '*', '_', '**', '`', '"', "'", '--', '...', '{#id .c}', ':::', '::: {#refs}',
  '# ', '> ', '- ', '1. ', '[^1]', '\n\n[^1]: note [@doe]\n', 'text', 'mail@host.org', '| a | b |\n|---|---|\n| 1 | 2 |\n', 'Table: cap',
  '![i](data:image/png;base64,AA==)', '<b>', 'http://x.org', 'p. 12', ', ', '{', '}', '\u00AD', 'é', '\u0000',
]

const markdown = fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((parts) => parts.join(''))
const item = (id: string): fc.Arbitrary<CslItem> =>
  fc.record({
    id: fc.constant(id),
    type: fc.constantFrom('book', 'article-journal', 'chapter', 'webpage', 'thesis', 'report'),
    title: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
    author: fc.option(fc.array(fc.record({ family: fc.string({ minLength: 1, maxLength: 12 }), given: fc.string({ maxLength: 8 }) }), { maxLength: 4 }), { nil: undefined }),
    issued: fc.option(fc.record({ 'date-parts': fc.tuple(fc.tuple(fc.integer({ min: 1500, max: 2030 }))) }), { nil: undefined }),
    page: fc.option(fc.constantFrom('1-10', '33', 'xii-xv'), { nil: undefined }),
  }).map((record) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as CslItem)
const bibliography = fc.subarray(keys).chain((ids) => fc.tuple(...ids.map(item))).map((items): Bibliography => ({ items: new Map(items.map((entry) => [entry.id, entry])), issues: [] }))

const styles = new Map(['chicago-author-date', 'chicago-fullnote-bibliography', 'apa', 'vancouver'].map((name) => [name, loadStyle(name, process.cwd()).xml]))

describe('random input', () => {
  it('always ends in a document or a Galley error', async () => {
    await fc.assert(
      // Styles by name, so a counterexample prints short.
      fc.asyncProperty(markdown, bibliography, fc.constantFrom(...styles.keys()), fc.boolean(), async (text, bib, style, link) => {
        const styleXml = styles.get(style) ?? ''
        const file = new VFile({ path: 'random.md', value: text })
        try {
          const metadata = resolveMetadata([readCliLayer([`link-citations=${link}`, 'title=Random'], process.cwd())])
          const options = { metadata, bibliography: bib, styleXml, retrieveLocale: (lang: string) => loadLocale(lang, process.cwd()), css: '' }
          const book = await parseBook([file], process.cwd())
          const cited = await citeBook(book, file, options)
          const tree = await bookToHtmlTree(cited, file, options)
          expect(tree.type).toBe('root')
        } catch (error) {
          if (!(error instanceof GalleyError)) throw error
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: 60_000 },
    )
  }, 120_000)
})
