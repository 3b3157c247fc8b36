// The collation of sort keys against orders measured with Debian's pandoc --citeproc 2.17 (chicago-author-date,
// entries with no author, so they sort by title). The crosscheck compares with Pandoc itself where it is installed.
import { describe, expect, it } from 'vitest'
import { pandocCollation } from '../src/citations/collate.js'

const compare = pandocCollation('en-US', () => '|')
const sorted = (keys: readonly string[]): string[] => [...keys].sort(compare)

describe('sort keys collate as in Pandoc', () => {
  it('break words at spaces, commas and apostrophes, and only there', () => {
    expect(sorted(['Chinas October', 'China Says', 'China’s November'])).toEqual(['China’s November', 'China Says', 'Chinas October'])
    expect(sorted(['Trump: A', 'Trump Zorth', 'Trump Plays', 'Trump North'])).toEqual(['Trump North', 'Trump Plays', 'Trump Zorth', 'Trump: A'])
    // Equal keys keep the order of the bibliography file, in both programs.
    expect(compare('Trump, Plays', 'Trump Plays')).toBe(0)
    expect(compare('Trump’Zorth', 'Trump Zorth')).toBe(0)
    // A hyphen joins: "trump-north" is one word, after "trumpa".
    expect(sorted(['Trump-North', 'Trumpa', 'Trump Zorth'])).toEqual(['Trump Zorth', 'Trumpa', 'Trump-North'])
  })

  it('count punctuation inside a word only when the letters are equal', () => {
    expect(sorted(['Xa(c', 'Xab'])).toEqual(['Xab', 'Xa(c'])
    expect(sorted(['Trump North', 'Trump (North)'])).toEqual(['Trump (North)', 'Trump North'])
    expect(sorted(['Trump. North', 'Trump: A'])).toEqual(['Trump: A', 'Trump. North'])
  })

  it('ignore case, and weigh accents before the next word', () => {
    expect(compare('the book', 'The Book')).toBe(0)
    expect(sorted(['Résumé b', 'Resume c', 'Resume a'])).toEqual(['Resume a', 'Resume c', 'Résumé b'])
  })

  it("take citeproc-js's key separator for a word break", () => {
    expect(sorted(['Smith|Bob|', 'Smithe|Al|', 'Smith|Ann|'])).toEqual(['Smith|Ann|', 'Smith|Bob|', 'Smithe|Al|'])
    expect(pandocCollation('en-US', () => '@')('Doe@Jane', 'Doe Jane')).toBe(0)
  })

  it('compare a word of digits by value, as citeproc-js does (Pandoc 2.17 puts "Chapter 10" first)', () => {
    expect(sorted(['Chapter 10', 'Chapter 9'])).toEqual(['Chapter 9', 'Chapter 10'])
    expect(sorted(['00000000000000000010|', '00000000000000000009|', '9|'])).toEqual(['00000000000000000009|', '9|', '00000000000000000010|'])
  })

  it('is a consistent order, whatever order the keys come in', () => {
    const keys = ['Unit|9|', 'Unit|10|', 'Unit|1a|', 'Unit|1|', 'Unit|a|']
    const permutations = (list: string[]): string[][] =>
      list.length <= 1 ? [list] : list.flatMap((key, index) => permutations([...list.slice(0, index), ...list.slice(index + 1)]).map((rest) => [key, ...rest]))
    const orders = new Set(permutations(keys).map((list) => sorted(list).join(' ')))
    expect([...orders]).toEqual(['Unit|1| Unit|1a| Unit|9| Unit|10| Unit|a|'])
  })

  it('fall back to the root order for a locale tag Intl cannot read', () => {
    expect(pandocCollation('en_US', () => '|')('b', 'a')).toBeGreaterThan(0)
  })
})
