// Splits Pandoc citation suffixes into CSL locator, label and the rest: `, pp. 33-35 and passim`.

/** CSL locator types, from the CSL 1.0.2 specification. */
const locatorTypes = [
  'act', 'appendix', 'article-locator', 'book', 'canon', 'chapter', 'column', 'elocation', 'equation', 'figure', 'folio',
  'issue', 'line', 'note', 'opus', 'page', 'paragraph', 'part', 'rule', 'scene', 'section', 'sub-verbo', 'supplement',
  'table', 'timestamp', 'title-locator', 'verse', 'version', 'volume',
]

/** English forms, always understood (as Pandoc does), whatever the document language. */
const englishTerms: Record<string, string[]> = {
  book: ['book', 'books', 'bk.', 'bks.'],
  chapter: ['chapter', 'chapters', 'chap.', 'chaps.', 'ch.'],
  column: ['column', 'columns', 'col.', 'cols.'],
  figure: ['figure', 'figures', 'fig.', 'figs.'],
  folio: ['folio', 'folios', 'fol.', 'fols.'],
  issue: ['number', 'numbers', 'no.', 'nos.', 'issue'],
  line: ['line', 'lines', 'l.', 'll.'],
  note: ['note', 'notes', 'n.', 'nn.'],
  opus: ['opus', 'opera', 'op.', 'opp.'],
  page: ['page', 'pages', 'p.', 'pp.'],
  paragraph: ['paragraph', 'paragraphs', 'para.', 'paras.', '¶', '¶¶'],
  part: ['part', 'parts', 'pt.', 'pts.'],
  section: ['section', 'sections', 'sec.', 'secs.', '§', '§§'],
  'sub-verbo': ['sub verbo', 'sub verbis', 's.v.', 's.vv.'],
  verse: ['verse', 'verses', 'v.', 'vv.'],
  volume: ['volume', 'volumes', 'vol.', 'vols.'],
  appendix: ['appendix', 'appendices', 'app.', 'apps.'],
  table: ['table', 'tables', 'tbl.', 'tbls.'],
  equation: ['equation', 'equations', 'eq.', 'eqs.'],
}

/** Locator terms of a CSL locale (`<term name="page" form="short"><single>p.</single>…`), longest first. */
export function locatorTerms(localeXml: string | undefined): [string, string][] {
  const terms = new Map<string, string>()
  for (const [label, forms] of Object.entries(englishTerms)) for (const form of forms) terms.set(form.toLowerCase(), label)
  if (localeXml) {
    const term = /<term\s+name="([\w-]+)"([^>]*)>([\s\S]*?)<\/term>/g
    for (let match = term.exec(localeXml); match; match = term.exec(localeXml)) {
      const [, name = '', attributes = '', body = ''] = match
      if (!locatorTypes.includes(name) || /form="(verb|verb-short)"/.test(attributes)) continue
      const forms = /<single>/.test(body) ? [...body.matchAll(/<(?:single|multiple)>([^<]+)</g)].map((m) => m[1] ?? '') : [body]
      for (const form of forms) if (form.trim()) terms.set(form.trim().toLowerCase(), name)
    }
  }
  return [...terms].sort((a, b) => b[0].length - a[0].length)
}

export interface SplitSuffix {
  locator?: string
  label?: string
  suffix: string
}

// One locator value: digits, roman numerals or a word with digits (e.g. `33`, `xii`, `4.2`, `12a`), or a range of two.
const value = String.raw`(?:[\p{N}]+(?:[.:][\p{N}]+)*[\p{L}]?|[ivxlcdmIVXLCDM]+)`
const locatorValue = new RegExp(String.raw`^${value}(?:\s*[-–—]+\s*${value})?(?=$|[\s,;.)\]])`, 'u')
const separator = /^(?:\s*,\s*|\s*&\s*|\s+and\s+)/

/**
 * Pandoc's rule: an optional comma, a locator term (or a bare number, meaning page), then the values: numbers or
 * ranges separated by commas; what follows is the suffix. `{…}` braces make everything inside the locator.
 */
export function splitSuffix(rawSuffix: string, terms: readonly [string, string][]): SplitSuffix {
  let rest = rawSuffix.replace(/^\s*,?\s*/, '')
  if (rest === '') return { suffix: '' }
  const braced = /^\{([^}]*)\}/.exec(rest)
  if (braced) {
    const inner = splitSuffix(braced[1] ?? '', terms)
    const locator = inner.locator !== undefined ? inner.locator + inner.suffix : (braced[1] ?? '').trim()
    return { locator, label: inner.label ?? 'page', suffix: affix(rest.slice(braced[0].length)) }
  }
  let label: string | undefined
  const lower = rest.toLowerCase()
  for (const [term, name] of terms) {
    if (lower.startsWith(term) && (/[.§¶]$/.test(term) || !/[\p{L}]/u.test(lower[term.length] ?? ''))) {
      label = name
      rest = rest.slice(term.length).replace(/^\s+/, '')
      break
    }
  }
  let locator = ''
  for (;;) {
    const sep = locator === '' ? undefined : separator.exec(rest)
    const candidate = sep ? rest.slice(sep[0].length) : rest
    const match = locatorValue.exec(candidate)
    if (!match) break
    locator += (sep ? sep[0].trim() === ',' ? ', ' : sep[0] : '') + match[0]
    rest = candidate.slice(match[0].length)
  }
  if (locator === '') return { suffix: affix(rawSuffix) }
  return { locator, label: label ?? 'page', suffix: affix(rest) }
}

/** A suffix keeps its leading comma or space as written (`, and passim`), like Pandoc. */
function affix(text: string): string {
  if (text.trim() === '') return ''
  return /^[\s,;.:]/.test(text) ? text : ` ${text}`
}
