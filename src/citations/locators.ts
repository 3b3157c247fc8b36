// Splits Pandoc citation suffixes into CSL locator, label and the rest (`, pp. 33–35 and passim`), as Pandoc does.

/**
 * The CSL locator types Pandoc recognises (its `locatorTerms`, with `sub-verbo` spelt as CSL spells it), in its order
 * of precedence: when two share a term (French `§` is both paragraph and section), the earlier one wins.
 * Only the terms of the document's locale count, as in Pandoc: `S.` in German, `p.` in English and French.
 */
const locatorTypes = [
  'book', 'chapter', 'column', 'figure', 'folio', 'issue', 'line', 'note', 'opus', 'page', 'paragraph', 'part',
  'section', 'sub-verbo', 'verse', 'volume',
]

/** Locator term (case-folded) → CSL label. */
export type LocatorTerms = ReadonlyMap<string, string>

/**
 * Locator terms from a CSL locale file and the style's own `<locale>` overrides for that language
 * (`<term name="page" form="short"><single>p.</single><multiple>pp.</multiple></term>`), every form but verbs.
 */
export function locatorTerms(localeXml: string | undefined, styleXml = '', lang = 'en-US'): LocatorTerms {
  const terms = new Map<string, string>()
  const language = lang.split('-')[0] ?? ''
  for (const [, attributes = '', body = ''] of styleXml.matchAll(/<locale\b([^>]*)>([\s\S]*?)<\/locale>/g)) {
    const of = /xml:lang="([^"]*)"/.exec(attributes)?.[1]
    if (of === undefined || of === lang || of === language) addTerms(terms, body)
  }
  if (localeXml) addTerms(terms, localeXml)
  return terms
}

function addTerms(terms: Map<string, string>, xml: string): void {
  const term = /<term\s+name="([\w-]+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/term>)/g
  for (const [, name = '', attributes = '', body = ''] of xml.matchAll(term)) {
    if (!locatorTypes.includes(name) || /form="(verb|verb-short)"/.test(attributes)) continue
    const forms = /<single>/.test(body) ? [...body.matchAll(/<(?:single|multiple)>([^<]*)</g)].map((m) => m[1] ?? '') : [body]
    for (const form of forms) {
      const key = decodeEntities(form).trim().toLowerCase()
      const known = terms.get(key)
      if (key && (known === undefined || locatorTypes.indexOf(name) < locatorTypes.indexOf(known))) terms.set(key, name)
    }
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&#(x?)([0-9a-f]+);|&(amp|lt|gt|quot|apos);/gi, (_, hex: string, code: string, named: string) => {
    if (code) return String.fromCodePoint(Number.parseInt(code, hex ? 16 : 10))
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[named.toLowerCase()] ?? ''
  })
}

export interface SplitSuffix {
  locator?: string
  label?: string
  suffix: string
}

/**
 * Pandoc's `parseLocator`: an optional comma, then either `{label value}` (anything in braces is the locator) or a
 * label from the locale followed by values (`pp. 33–35, 40`), or values alone, meaning pages (they then need a
 * digit: `ix` alone is not a locator, `p. ix` is). What follows the locator is the suffix. A suffix without a
 * locator gets a comma unless it starts with a space or punctuation (`@a [and passim]` → `, and passim`).
 */
export function splitSuffix(rawSuffix: string, terms: LocatorTerms): SplitSuffix {
  const tokens = tokenize(rawSuffix)
  const parser = new LocatorParser(tokens, terms)
  let at = 0
  if (parser.isChar(at, (c) => c === ',')) at += 1
  if (parser.isSpace(at)) at += 1
  const found = parser.delimited(at) ?? parser.integrated(at)
  if (!found) return { suffix: maybeAddComma(tokens) }
  return { locator: found.locator.trim(), label: found.label, suffix: join(tokens.slice(found.end)) }
}

interface Token {
  text: string
  space: boolean
  /** The token's one character, when it is a single character and not a space: what `isChar` tests. */
  char: string | undefined
  /** Whether the token, upper-cased, is a roman numeral (a page number with a label: `p. xii`). */
  roman: boolean
}

const punctuation = /\p{P}/u
const roman = /^M*(?:CM)?D?(?:CD)?C*(?:XC)?L?(?:XL)?X*(?:IX)?V?(?:IV)?I*$/

/** Pandoc's tokens: runs of spaces, single punctuation characters, and the words between them (`3:4` is one word). */
function tokenize(text: string): Token[] {
  return [...text.matchAll(/\s+|[^\P{P}:]|(?:[^\s\p{P}]|:)+/gu)].map(([piece]): Token => {
    if (/^\s/.test(piece)) return { text: ' ', space: true, char: undefined, roman: false }
    const single = piece.length === 1 || (piece.length === 2 && (piece.codePointAt(0) ?? 0) > 0xffff)
    return { text: piece, space: false, char: single ? piece : undefined, roman: roman.test(piece.toUpperCase()) }
  })
}

function join(tokens: readonly Token[]): string {
  return tokens.map((token) => token.text).join('')
}

function maybeAddComma(tokens: readonly Token[]): string {
  const first = tokens[0]
  if (!first) return ''
  if (first.space || punctuation.test([...first.text][0] ?? '')) return join(tokens)
  return `, ${join(tokens)}`
}

interface Parsed {
  /** Whether some part looked like a number (digits or a roman numeral). */
  digits: boolean
  text: string
  end: number
}

/** Bracket pairs a locator value may hold (open → close), and all their characters. */
interface Brackets {
  pairs: ReadonlyMap<string, string>
  all: string
}

const brackets = (...pairs: [string, string][]): Brackets => ({ pairs: new Map(pairs), all: pairs.flat().join('') })
const bracesInBraces = brackets(['{', '}'], ['[', ']'])
const bracketsInValues = brackets(['{', '}'], ['[', ']'], ['(', ')'])

/** A port of Pandoc's `Text.Pandoc.Citeproc.Locator` parser, over the tokens above. */
class LocatorParser {
  readonly #tokens: readonly Token[]
  readonly #terms: LocatorTerms
  readonly #words = new Map<number, Parsed | undefined>()

  constructor(tokens: readonly Token[], terms: LocatorTerms) {
    this.#tokens = tokens
    this.#terms = terms
  }

  isSpace(at: number): boolean {
    return this.#tokens[at]?.space === true
  }

  isChar(at: number, test: (char: string) => boolean): boolean {
    const char = this.#tokens[at]?.char
    return char !== undefined && test(char)
  }

  /** `{p. iv, (a)}`: a label (default page) and everything up to the matching `}`. */
  delimited(start: number): { label: string; locator: string; end: number } | undefined {
    if (!this.isChar(start, (c) => c === '{')) return undefined
    let at = start + 1
    while (this.isSpace(at)) at += 1
    const found = this.label(at, (p) => p < this.#tokens.length)
    const label = found?.label ?? 'page'
    if (found) at = found.end
    let locator = ''
    for (;;) {
      const group = this.balanced(at, bracesInBraces, (p) => {
        const token = this.#tokens[p]
        return token ? { digits: true, text: token.text, end: p + 1 } : undefined
      })
      if (!group) break
      locator += group.text
      at = group.end
    }
    if (!this.isChar(at, (c) => c === '}')) return undefined
    return { label, locator, end: at + 1 }
  }

  /** `pp. 33–35, 40` or `33`: a label from the locale, or pages when the first value has a digit. */
  integrated(start: number): { label: string; locator: string; end: number } | undefined {
    const explicit = this.label(start, (p) => this.word(p, true, true) !== undefined)
    let at = explicit?.end ?? start
    if (!explicit && !this.word(start, true, false)) return undefined
    // As in Pandoc, only a value after an explicit label counts as "first" (no separator before it).
    const first = this.word(at, explicit !== undefined, explicit !== undefined)
    if (!first) return undefined
    let locator = first.text
    at = first.end
    for (let next = this.word(at, false, explicit !== undefined); next; next = this.word(at, false, explicit !== undefined)) {
      locator += next.text
      at = next.end
    }
    return { label: explicit?.label ?? 'page', locator, end: at }
  }

  /**
   * The longest run of tokens from `start` that is a locator term, ending where `valueFollows` holds
   * (Pandoc's `pLocatorLabel'`, which also needs a value after the label).
   */
  label(start: number, valueFollows: (at: number) => boolean): { label: string; end: number } | undefined {
    let best: { label: string; end: number } | undefined
    let text = ''
    let at = start
    while (at < this.#tokens.length) {
      text += this.#tokens[at]?.text ?? ''
      at += 1
      while (at < this.#tokens.length && !valueFollows(at)) {
        text += this.#tokens[at]?.text ?? ''
        at += 1
      }
      if (at >= this.#tokens.length) break
      const label = this.#terms.get(text.trim().toLowerCase())
      if (label) best = { label, end: at }
    }
    return best
  }

  /**
   * One locator value, after a `,`/`;` when not the first, with balanced `()[]{}` (`34(1)(a)`, `[17]`); it must
   * have a digit when the label was implicit, a digit or roman numeral otherwise.
   */
  word(start: number, isFirst: boolean, explicitLabel: boolean): Parsed | undefined {
    // The label search asks for a value at every position it reaches, and again later: each is parsed once.
    const key = start * 4 + (isFirst ? 2 : 0) + (explicitLabel ? 1 : 0)
    if (this.#words.has(key)) return this.#words.get(key)
    const parsed = this.#word(start, isFirst, explicitLabel)
    this.#words.set(key, parsed)
    return parsed
  }

  #word(start: number, isFirst: boolean, explicitLabel: boolean): Parsed | undefined {
    let at = start
    let text = ''
    if (!isFirst && this.isChar(at, (c) => c === ',' || c === ';')) {
      text += this.#tokens[at]?.text ?? ''
      at += 1
    }
    if (this.isSpace(at)) {
      text += ' '
      at += 1
    }
    const value = this.balanced(at, bracketsInValues, (p) => this.pageSequence(p))
    if (!value) return undefined
    const ok = explicitLabel ? value.digits : /[0-9]/.test(value.text)
    return ok ? { digits: value.digits, text: text + value.text, end: value.end } : undefined
  }

  balanced(start: number, brackets: Brackets, inner: (at: number) => Parsed | undefined): Parsed | undefined {
    const plain = (at: number): Parsed | undefined => {
      const char = this.#tokens[at]?.char
      return char !== undefined && brackets.all.includes(char) ? undefined : inner(at)
    }
    const surround = (at: number): Parsed | undefined => {
      const open = this.#tokens[at]?.char
      const close = open === undefined ? undefined : brackets.pairs.get(open)
      if (open !== undefined && close !== undefined) {
        const middle = plain(at + 1) ?? { digits: false, text: '', end: at + 1 }
        if (this.#tokens[middle.end]?.char === close) return { digits: middle.digits, text: open + middle.text + close, end: middle.end + 1 }
      }
      return plain(at)
    }
    let result: Parsed | undefined
    for (let part = surround(start); part; part = surround(part.end)) {
      result = { digits: (result?.digits ?? false) || part.digits, text: (result?.text ?? '') + part.text, end: part.end }
    }
    return result
  }

  /** `1`, `1.2.3`, `xii`, `33–35`, `3:4-5`, `12a`; a trailing `.` stays outside. */
  pageSequence(start: number): Parsed | undefined {
    const withPeriod = (at: number): Parsed | undefined => {
      if (!this.isChar(at, (c) => c === '.')) return undefined
      const unit = this.pageUnit(at + 1)
      return unit && { digits: unit.digits, text: `.${unit.text}`, end: unit.end }
    }
    const first = this.pageUnit(start)
    if (!first) return withPeriod(start)
    let result = first
    for (let next = withPeriod(result.end); next; next = withPeriod(result.end)) {
      result = { digits: result.digits || next.digits, text: result.text + next.text, end: next.end }
    }
    return result
  }

  pageUnit(start: number): Parsed | undefined {
    const token = this.#tokens[start]
    if (token?.roman) {
      return { digits: true, text: token.text, end: start + 1 }
    }
    let at = start
    let text = ''
    for (let t = this.#tokens[at]; t && !t.space && !this.isLocatorPunctuation(at); t = this.#tokens[at]) {
      text += t.text
      at += 1
    }
    return at === start ? undefined : { digits: /[0-9]/.test(text), text, end: at }
  }

  /** Punctuation ends a value, except range dashes and `:` (`3:4-5`). */
  isLocatorPunctuation(at: number): boolean {
    return this.isChar(at, (c) => c !== '-' && c !== '–' && c !== ':' && punctuation.test(c))
  }
}
