// Metadata: layers merge with the command line first, values are checked, errors point into the file.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { readCliLayer, readYamlLayer, resolveMetadata } from '../src/config/metadata.js'
import { keys } from '../src/config/schema.js'
import { ConfigError } from '../src/errors.js'

describe('metadata', () => {
  it('takes the command line over the config file over front matter', () => {
    const front = readYamlLayer('title: From front matter\nlang: fr-FR\ntoc: true\n', 'a.md', '/p', 2)
    const config = readYamlLayer('lang: de-DE\n', 'galley.yaml', '/p')
    const cli = readCliLayer(['lang=en-GB'], '/p')
    const metadata = resolveMetadata([cli, config, front])
    expect(metadata.lang).toBe('en-GB')
    expect(metadata.title).toBe('From front matter')
    expect(metadata.toc).toBe(true)
  })

  it('resolves bibliography paths against the file that names them; repeated -M keys make a list', () => {
    const front = readYamlLayer('bibliography: refs.json\n', 'ms/a.md', '/project/ms')
    expect(resolveMetadata([front]).bibliography).toEqual(['/project/ms/refs.json'])
    const cli = readCliLayer(['bibliography=a.json', 'bibliography=b.bib'], '/cwd')
    expect(resolveMetadata([cli]).bibliography).toEqual(['/cwd/a.json', '/cwd/b.bib'])
    // Pandoc's other separator, the first of `=` and `:` counting.
    expect(resolveMetadata([readCliLayer(['lang:de-DE', 'title=Part: One'], '/cwd')])).toMatchObject({ lang: 'de-DE', title: 'Part: One' })
    // The same setting given twice (-N and -M number-sections=true) stays one value.
    expect(resolveMetadata([readCliLayer(['number-sections=true', 'number-sections=true'], '/cwd')]).numberSections).toBe(true)
  })

  it("reads pandoc-scholar's structured authors, institutes looked up by id", () => {
    const yaml = 'author:\n  - Jane Doe:\n      institute: [fosg, fop]\n      email: jane@example.org\n  - John Roe:\n      institute: fosg\n  - Max Mo\ninstitute:\n  - fosg: Formal Sciences Group\n  - fop: Federation of Planets\n'
    const layer = readYamlLayer(yaml, 'a.md', '/p')
    expect(resolveMetadata([layer]).author).toEqual([
      { name: 'Jane Doe', affiliation: 'Formal Sciences Group; Federation of Planets', email: 'jane@example.org' },
      { name: 'John Roe', affiliation: 'Formal Sciences Group' },
      { name: 'Max Mo' },
    ])
  })

  it("reads JOSS's authors, affiliations given by index into `affiliations`, with e-mail and ORCID iD", () => {
    const yaml = 'authors:\n  - name: Ann\n    affiliation: "1, 2"\n    orcid: 0000-0002-1825-0097\n  - name: Bo\n    affiliation: 2\n  - name: Cy\n    affiliation: 3\naffiliations:\n  - name: First Uni\n    index: 1\n  - name: Second Lab\n    index: 2\n'
    expect(resolveMetadata([readYamlLayer(yaml, 'a.md', '/p')]).author).toEqual([
      { name: 'Ann', affiliation: 'First Uni; Second Lab', orcid: '0000-0002-1825-0097' },
      { name: 'Bo', affiliation: 'Second Lab' },
      { name: 'Cy', affiliation: '3' },
    ])
  })

  it('reads authors as names or {name, affiliation}', () => {
    const layer = readYamlLayer('author:\n  - Ann Author\n  - name: Bo Writer\n    affiliation: Uni\n', 'a.md', '/p')
    expect(resolveMetadata([layer]).author).toEqual([{ name: 'Ann Author' }, { name: 'Bo Writer', affiliation: 'Uni' }])
  })

  it('chooses margins and type size for the paper size unless given', () => {
    const a5 = resolveMetadata([readCliLayer(['papersize=a5'], '/')])
    expect(a5.fontsize).toBe('10pt')
    expect(a5.margin.inner < a5.margin.outer).toBe(true)
    const custom = resolveMetadata([readYamlLayer('papersize: 150mmx220mm\nmargin: 15mm\n', 'a.md', '/')])
    expect(custom.papersize).toEqual({ width: '150mm', height: '220mm' })
    expect(custom.margin).toEqual({ top: '15mm', bottom: '15mm', inner: '15mm', outer: '15mm' })
  })

  it('warns of a value it cannot use at the position of the value, and leaves it out, as Pandoc keeps any value', () => {
    const layer = readYamlLayer('title: x\ntoc: maybe\nfontsize: huge\n', 'ms/a.md', '/p', 2)
    const warnings: unknown[] = []
    const metadata = resolveMetadata([layer], { warn: (reason, place, ruleId) => warnings.push({ reason, place, ruleId }) })
    expect(metadata.toc).toBe(false)
    expect(metadata.fontsize).toBe('11pt')
    expect(warnings).toEqual([
      { reason: 'Metadata key "toc" must be true or false, got string "maybe"; ignored', place: { file: 'ms/a.md', line: 3, column: 6 }, ruleId: 'invalid-metadata' },
      { reason: 'Metadata key "fontsize" must be a length such as 11pt, got string "huge"; ignored', place: { file: 'ms/a.md', line: 4, column: 11 }, ruleId: 'invalid-metadata' },
    ])
    // A lower layer still sets the key the upper one got wrong.
    const lower = readYamlLayer('toc: true\n', 'meta.yaml', '/p')
    expect(resolveMetadata([layer, lower]).toc).toBe(true)
  })

  it('reads number-sections under both its names, number-offset as Pandoc writes it, and a negative heading shift', () => {
    const cli = readCliLayer(['numbersections=false'], '/p')
    const front = readYamlLayer('number-sections: true\nnumber-offset: 1,4\nshift-heading-level-by: -1\npagetitle: Tab\n', 'a.md', '/p')
    const metadata = resolveMetadata([cli, front])
    // The command line's name for it wins over the document's other name.
    expect(metadata.numberSections).toBe(false)
    expect(metadata.numberOffset).toEqual([1, 4])
    expect(metadata.shiftHeadingLevelBy).toBe(-1)
    expect(metadata.pagetitle).toBe('Tab')
    expect(resolveMetadata([readYamlLayer('number-offset: [2, 0, 3]\nnumbersections: true\n', 'a.md', '/p')])).toMatchObject({ numberOffset: [2, 0, 3], numberSections: true })
  })

  it('reports YAML that does not parse, with line and column', () => {
    try {
      readYamlLayer('title: one\ntitle: two\n', 'a.md', '/p', 2)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).message).toMatch(/^YAML metadata does not parse: /)
      expect((error as ConfigError).place).toEqual({ file: 'a.md', line: 3, column: 1 })
    }
  })

  it('documents every key once in the README configuration table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    // The Configuration section only: the rule table has ids that are also keys (`cover-image`).
    const start = readme.indexOf('\n## Configuration\n')
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
    for (const spec of keys) {
      const rows = section.split('\n').filter((line) => line.startsWith(`| \`${spec.key}\` |`))
      expect(rows, spec.key).toEqual([`| \`${spec.key}\` | ${spec.doc} |`])
    }
  })
})
