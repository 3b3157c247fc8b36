// A formatted cluster taken apart into its cites: at the layout's delimiter, and at the marked delimiters inside a
// group of one author's cites, with what stood between the cites kept.
import { describe, expect, it } from 'vitest'
import { citeGroupMark, shapeOf, withoutGroupMarks, type CitationLayout } from '../src/citations/cluster-html.js'

const layout: CitationLayout = { prefix: '(', suffix: ')', delimiter: '; ', sorted: false }
const group = (delimiter: string): string => `${citeGroupMark}${delimiter}${citeGroupMark}`

describe('shapeOf', () => {
  it('splits at the layout delimiter, not inside quotation marks or brackets', () => {
    const shape = shapeOf('(Doe, “Title; Subtitle” [1; 2]; Roe 2018)', layout, 2)
    expect(shape?.cites).toEqual(['Doe, “Title; Subtitle” [1; 2]', 'Roe 2018'])
    expect(shape?.between).toEqual(['; '])
  })

  it("splits a group's cites at its marked delimiter and keeps it", () => {
    const html = `(Doe 2019${group(', ')}2020a${group(', ')}2020b; Roe 2018)`
    const shape = shapeOf(html, layout, 4)
    expect(shape?.cites).toEqual(['Doe 2019', '2020a', '2020b', 'Roe 2018'])
    expect(shape?.between).toEqual([', ', ', ', '; '])
    expect(shape?.body).toBe('Doe 2019, 2020a, 2020b; Roe 2018')
  })

  it("keeps a group's delimiter whole when it holds the layout's", () => {
    // A style may set cite-group-delimiter to "; " too: the cite after it must not come out empty.
    const shape = shapeOf(`(Doe 2019${group('; ')}2020)`, layout, 2)
    expect(shape?.cites).toEqual(['Doe 2019', '2020'])
    expect(shape?.between).toEqual(['; '])
  })

  it('has no cites when their number is not the number cited (cites the style merged)', () => {
    const shape = shapeOf('([1]–[3])', { ...layout, prefix: '', suffix: '' }, 3)
    expect(shape?.cites).toBeUndefined()
    expect(withoutGroupMarks(`a${group(', ')}b`)).toBe('a, b')
  })
})
