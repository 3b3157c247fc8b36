// The order of sort keys: Pandoc's citeproc's collation, for citeproc-js, so a bibliography sorts as Pandoc sorts it.

/**
 * Returns a comparison of citeproc-js sort keys that orders them as Pandoc's citeproc (2.17 and later) does.
 *
 * Pandoc case-folds a key, cuts it into words at spaces, commas and apostrophes (`’` too), and compares the word
 * lists word by word with the Unicode Collation Algorithm, punctuation "shifted": ignored unless all else is equal.
 * citeproc-js's own comparison ignores punctuation and word breaks in the whole key, so "China’s October" came
 * after "China says" ("chinasoctober" > "chinasays") where Pandoc puts it first ("s" < "says"), and "Trump: North"
 * before "Trump pledges" where Pandoc puts it after (the word "trump:" > "trump").
 *
 * One deliberate difference: digits compare by value, as citeproc-js does (ICU's numeric collation, so "Unit 1a"
 * < "Unit 9" < "Unit 10" and the order stays consistent). citeproc-js writes numbers and dates in its keys
 * zero-padded, and Pandoc pads number variables too, so the two agree there; only digits in text differ, where
 * Pandoc 2.17 puts "Chapter 10" before "Chapter 9".
 *
 * `separator` returns the character citeproc-js puts between the parts of a key (`|`, or `@` in a locale that
 * collates `|`), which stands for a word break.
 */
export function pandocCollation(lang: string, separator: () => string): (a: string, b: string) => number {
  // A tag Intl cannot read ("en_US") sorts in the root order, as the locale itself falls back to en-US.
  const locale = isWellFormed(lang) ? lang : 'en-US'
  const letters = new Intl.Collator(locale, { sensitivity: 'variant', ignorePunctuation: true, numeric: true })
  const withPunctuation = new Intl.Collator(locale, { sensitivity: 'variant', numeric: true })
  let cut: RegExp | undefined
  const wordsOf = (key: string): string[] => {
    cut ??= new RegExp(`[\\s,'’ʾʿ${escape(separator())}]+`, 'u')
    return key.toLocaleLowerCase(locale).split(cut).filter((word) => word !== '')
  }
  const compareWords = (a: string, b: string): number => letters.compare(a, b) || withPunctuation.compare(a, b)
  return (a, b) => {
    const left = wordsOf(a)
    const right = wordsOf(b)
    for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
      const order = compareWords(left[index] ?? '', right[index] ?? '')
      if (order !== 0) return order
    }
    return left.length - right.length
  }
}

function isWellFormed(lang: string): boolean {
  try {
    return Intl.getCanonicalLocales(lang).length > 0
  } catch {
    return false
  }
}

function escape(character: string): string {
  return character.replace(/[\\\]^-]/g, '\\$&')
}
