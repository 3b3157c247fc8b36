// Nothing of citeproc's or Galley's internals in any output, and names written by an author are data, never properties.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCiteprocHtml } from '../src/citations/html-fragment.js'
import { removeStrayElements } from '../src/citations/style-repair.js'
import { loadLocale, loadStyle, localeName } from '../src/citations/styles.js'
import { StyleError } from '../src/errors.js'

const fixtures = path.join(import.meta.dirname, 'fixtures')

/**
 * What citeproc-js writes when it has nothing to print or a template slot is unfilled, and the marks Galley's
 * adapter puts in its text for a while (cite groups, their two delimiters).
 */
const internalMarkers = ['[NO_PRINTED_FORM]', 'NO_PRINTED_FORM', '[CSL STYLE ERROR', 'reference with no printed form', '%%STRING%%', '\uFDD0', '\uFDD1']

describe('no internal marker in any golden output', () => {
  const outputs = readdirSync(fixtures, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(path.join(fixtures, entry.name))
        .filter((file) => file.startsWith('expected'))
        .map((file) => path.join(entry.name, file)),
    )

  it('has golden outputs, among them citations that print nothing', () => {
    expect(outputs.length).toBeGreaterThan(40)
    expect(outputs).toContain(path.join('citation-no-printed-form', 'expected.html'))
    expect(outputs).toContain(path.join('citation-no-printed-form-notes', 'expected.html'))
  })

  for (const output of outputs) {
    it(output, () => {
      const text = readFileSync(path.join(fixtures, output), 'utf8')
      expect(internalMarkers.filter((marker) => text.includes(marker))).toEqual([])
    })
  }
})

describe('names written by the author are looked up as data', () => {
  const project = fixtures
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(name, () => {
      // A style name: not found, rather than a function taken for the style's XML.
      expect(() => loadStyle(name, project)).toThrow(StyleError)
      // A language: a name, not a function; no locale (citeproc then falls back to en-US, and the build says so).
      expect(typeof localeName(name)).toBe('string')
      expect(loadLocale(name, project)).toBeUndefined()
      // An entity in citeproc's HTML is one of the few it writes, or it is left to the full parser.
      expect(readCiteprocHtml(`a &${name.toLowerCase()}; b`)).toBeUndefined()
    })
  }
})

describe('elements outside a layout', () => {
  it('are taken out of <citation> and <bibliography>, nested content and all; the rest stays byte for byte', () => {
    const style =
      '<style>\n<macro name="m"><text value="kept"/></macro>\n<citation><text macro="m"/><sort><key variable="title"/></sort>' +
      '<layout><group><text macro="m"/></group></layout></citation>\n<bibliography><group><text value="x"/></group>' +
      '<!-- a comment --><layout><text macro="m"/></layout></bibliography>\n</style>\n'
    const { xml, removed } = removeStrayElements(style)
    expect(xml).toBe(
      '<style>\n<macro name="m"><text value="kept"/></macro>\n<citation><sort><key variable="title"/></sort>' +
        '<layout><group><text macro="m"/></group></layout></citation>\n<bibliography>' +
        '<!-- a comment --><layout><text macro="m"/></layout></bibliography>\n</style>\n',
    )
    expect(removed.map((element) => [element.name, element.parent, style.slice(element.offset, element.offset + 6)])).toEqual([
      ['text', 'citation', '<text '],
      ['group', 'bibliography', '<group'],
    ])
  })

  it('leave a valid style as it is', () => {
    const style = '<style><citation><layout><text variable="title"/></layout></citation></style>'
    expect(removeStrayElements(style)).toEqual({ xml: style, removed: [] })
  })
})
