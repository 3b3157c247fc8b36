// The reader for citeproc's HTML must give exactly the tree parse5 gives, or step aside.
import fc from 'fast-check'
import type { Nodes } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadBibliography } from '../src/citations/bibliography.js'
import { CslEngine } from '../src/citations/csl-engine.js'
import { citeprocFragment, readCiteprocHtml } from '../src/citations/html-fragment.js'
import { loadLocale, loadStyle } from '../src/citations/styles.js'

const root = path.resolve(import.meta.dirname, '..')

/** parse5's reading, without source positions (the fast reader records none; nothing downstream reads them). */
function reference(html: string): unknown {
  const strip = (node: Nodes): unknown => {
    const { position: _position, ...rest } = node as Nodes & { position?: unknown }
    return 'children' in rest ? { ...rest, children: (rest.children as Nodes[]).map(strip) } : rest
  }
  return fromHtml(html, { fragment: true }).children.map(strip)
}

describe('citeproc HTML reader', () => {
  it('leaves HTML outside its subset to parse5, which gives the same tree hast-util-from-html does', () => {
    for (const html of ['<p>A paragraph</p>', 'a\rb', '<i>x<div>block</div></i>', '<a href="x"><a href="y">z</a></a>', '<table><td>1</td></table>']) {
      expect(readCiteprocHtml(html), html).toBeUndefined()
      expect(citeprocFragment(html), html).toEqual(reference(html))
    }
    expect(citeprocFragment('<i>In</i> subset')).toEqual(readCiteprocHtml('<i>In</i> subset'))
  })

  it('reads every citation and bibliography entry citeproc writes for the sample, in three styles, as parse5 does', async () => {
    const { items } = await loadBibliography([path.join(root, 'manuscript', 'references.json')], [], { file: 'references.json' })
    const ids = [...items.keys()]
    let read = 0
    for (const styleName of ['chicago-fullnote-bibliography', 'chicago-author-date', 'apa']) {
      const style = loadStyle(styleName, root)
      const engine = new CslEngine({ styleXml: style.xml, lang: 'en-GB', items, retrieveLocale: (lang) => loadLocale(lang, root) })
      const clusters = ids.map((id, index) => ({ id: `c${index}`, items: [{ id, locator: String(index + 1), label: 'page' }], noteIndex: index + 1 }))
      const document = engine.formatDocument(clusters, [])
      const outputs = [...[...document.clusters.values()].map((cluster) => cluster.html), ...document.bibliography.map((entry) => entry.html)]
      for (const html of outputs) {
        const fast = readCiteprocHtml(html)
        expect(fast, html).toBeDefined()
        expect(fast).toEqual(reference(html))
        read += 1
      }
    }
    expect(read).toBe(3 * 2 * ids.length)
  })

  it('agrees with parse5 on generated fragments whenever it does not step aside', () => {
    const text = fc.stringMatching(/^[a-zA-Z .,;:'"()\u00A0\u2013é-]{0,8}$/)
    const entity = fc.constantFrom('&#38;', '&#60;', '&#x3E;', '&amp;', '&lt;', '&quot;', '&nbsp;', '&#160;', '&#0;', '&#150;', '&copy;', '&amp', '& ')
    const attribute = fc.constantFrom('', ' class="csl-entry"', ' class="a  b"', ' style="font-variant:small-caps;"', ' href="https://doi.org/10.1/x"', ' lang="en"', ' class="x" class="y"')
    const fragment: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text,
        entity,
        fc.constantFrom('<br>', '<br/>', '</i>', '<p>', '<'),
        fc.tuple(fc.constantFrom('i', 'b', 'span', 'sup', 'a', 'div', 'em'), attribute, fc.array(tie('node'), { maxLength: 3 })).map(
          ([name, attributes, children]) => `<${name}${attributes}>${children.join('')}</${name}>`,
        ),
      ),
    })).node as fc.Arbitrary<string>
    let readByUs = 0
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 4 }), (parts) => {
        const html = parts.join('')
        const fast = readCiteprocHtml(html)
        if (fast === undefined) return
        readByUs += 1
        expect(fast).toEqual(reference(html))
      }),
      { numRuns: 2000 },
    )
    // The property is not vacuous: most generated fragments are inside the subset.
    expect(readByUs).toBeGreaterThan(500)
  })
})
