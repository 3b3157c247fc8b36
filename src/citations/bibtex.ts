// BibTeX/BibLaTeX to CSL items as Pandoc's reader makes them: citation-js maps fields and LaTeX; names, case and types follow Pandoc.
import type { RawBibtexEntry } from './citation-js.js'

/** What Pandoc's reader needs from outside the file. */
export interface BibtexOptions {
  /**
   * The document's language (BCP 47). As in Pandoc, English titles (the default) are taken to be in title case and
   * turned into sentence case, the form CSL styles expect to start from; other languages' titles are kept as written.
   */
  lang?: string
}

/** Brace groups in titles are marked with these private-use characters until the case pass has read them. */
const open = '\uE000'
const close = '\uE001'
/** Marks a value that came from a title field, so the case pass knows which CSL fields to convert. */
const titleMark = '\uE002'

/** The fields Pandoc reads with `getTitle` (sentence-cased for English); journal titles are kept as written. */
const titleFields = new Set([
  'title', 'subtitle', 'titleaddon', 'booktitle', 'booksubtitle', 'booktitleaddon', 'maintitle', 'mainsubtitle',
  'maintitleaddon', 'issuetitle', 'issuesubtitle', 'series', 'eventtitle', 'origtitle', 'shorttitle',
])

const nameFields: Record<string, string> = {
  author: 'author', editor: 'editor', translator: 'translator', bookauthor: 'container-author', director: 'director',
}

/** Pandoc's entry types (`getTypeAndGenre`), where they differ from citation-js's. */
const pandocTypes: Record<string, string> = {
  manual: 'book', software: 'book', collection: 'book', proceedings: 'book', reference: 'book', mvbook: 'book',
  mvcollection: 'book', mvproceedings: 'book', mvreference: 'book', commentary: 'book', booklet: 'pamphlet',
  bookinbook: 'chapter', suppbook: 'chapter', suppcollection: 'chapter', inbook: 'chapter', incollection: 'chapter',
  inreference: 'entry-encyclopedia', inproceedings: 'paper-conference', conference: 'paper-conference',
  techreport: 'report', report: 'report', mastersthesis: 'thesis', phdthesis: 'thesis', thesis: 'thesis',
  online: 'webpage', electronic: 'webpage', www: 'webpage', dataset: 'dataset', data: 'dataset', patent: 'patent',
  artwork: 'graphic', image: 'graphic', audio: 'song', music: 'song', movie: 'motion_picture', video: 'motion_picture',
  letter: 'personal_communication', letters: 'personal_communication', performance: 'speech', review: 'review',
  standard: 'legislation', legislation: 'legislation', jurisdiction: 'legal_case', legal: 'treaty',
  newsarticle: 'article-newspaper', book: 'book',
}

const articleTypes = new Set(['article', 'periodical', 'suppperiodical', 'review'])
const chapterTypes = new Set(['inbook', 'incollection', 'inproceedings', 'inreference', 'bookinbook'])
const numberedCollections = new Set([
  'book', 'collection', 'proceedings', 'reference', 'mvbook', 'mvcollection', 'mvproceedings', 'mvreference', 'bookinbook',
  'inbook', 'incollection', 'inproceedings', 'inreference', 'suppbook', 'suppcollection',
])

/** Pandoc's genre for theses without a `type` field (its English bibstrings). */
const thesisGenres: Record<string, string> = { phdthesis: 'PhD thesis', mastersthesis: 'Master’s thesis' }

export interface BibtexAdapter {
  readBibtexEntries(text: string): RawBibtexEntry[]
  bibtexEntriesToCsl(entries: readonly RawBibtexEntry[]): unknown[]
  latexToText(value: string): string
}

/** Reads BibTeX text into CSL-JSON items (plain objects), as Pandoc 2.17's BibLaTeX reader would. */
export function bibtexToCsl(text: string, adapter: BibtexAdapter, options: Readonly<BibtexOptions> = {}): unknown[] {
  // A bare number (`number = 10`, `year = 2014`) comes back a number; every step after reads text.
  const entries = adapter.readBibtexEntries(text).map((entry) => ({ ...entry, properties: Object.fromEntries(Object.entries(entry.properties).map(([field, value]) => [field, String(value)])) }))
  const documentEnglish = isEnglish(options.lang ?? 'en-US')
  const marked = entries.map((entry) => markTitles(entry, documentEnglish))
  const items = adapter.bibtexEntriesToCsl(marked)
  const byLabel = new Map(entries.map((entry) => [entry.label, entry]))
  return items.map((item) => {
    if (!item || typeof item !== 'object') return item
    const record = item as Record<string, unknown>
    const entry = byLabel.get(String(record['id']))
    const sentenceCase = documentEnglish && entryIsEnglish(entry)
    const converted = convertTitles(record, sentenceCase) as Record<string, unknown>
    if (entry) pandocFields(converted, entry, adapter, sentenceCase)
    return converted
  })
}

function isEnglish(lang: string): boolean {
  return /^en(-|$)/i.test(lang)
}

/** Pandoc reads `langid` (or `hyphenation`): English variants keep the conversion, any other language stops it. */
function entryIsEnglish(entry: RawBibtexEntry | undefined): boolean {
  const langid = (entry?.properties['langid'] ?? entry?.properties['hyphenation'])?.trim().toLowerCase()
  if (langid === undefined) return true
  return ['english', 'american', 'british', 'canadian', 'australian', 'newzealand', 'usenglish', 'ukenglish'].includes(langid) || /^en-/.test(langid)
}

/** Marks title fields and the brace groups in them that protect case (not a command's argument). */
function markTitles(entry: RawBibtexEntry, english: boolean): RawBibtexEntry {
  const properties: Record<string, string> = {}
  for (const [field, value] of Object.entries(entry.properties)) {
    properties[field] = titleFields.has(field) && english ? titleMark + markBraces(value) : value
  }
  return { ...entry, properties }
}

/** `{pyts}: A {P}ython` → sentinels around `{pyts}` and `{P}`; `\emph{x}` and `\"{o}` are arguments, not marked. */
export function markBraces(value: string): string {
  let out = ''
  let depth = 0
  let argumentDepth = -1 // depth of an open command argument, inside which nothing is marked
  let lastWasArgument = false // `\href{a}{b}`: a group right after an argument is an argument too
  for (let index = 0; index < value.length; index++) {
    const char = value[index] ?? ''
    if (char === '\\') {
      const command = /^\\([A-Za-z]+|.)/.exec(value.slice(index))?.[0] ?? '\\'
      out += command
      index += command.length - 1
      continue
    }
    if (char === '{') {
      const before = out.replace(/\s+$/, '')
      const isArgument = argumentDepth === -1 && (/\\(?:[A-Za-z]+|[^A-Za-z\s])$/.test(before) || (out.endsWith('}') && lastWasArgument))
      if (depth === 0 && !isArgument && argumentDepth === -1) out += open
      if (isArgument) argumentDepth = depth
      out += char
      depth++
      continue
    }
    if (char === '}') {
      depth--
      out += char
      if (depth === argumentDepth) {
        argumentDepth = -1
        lastWasArgument = true
        continue
      }
      if (depth === 0 && argumentDepth === -1) out += close
      lastWasArgument = false
      continue
    }
    if (!/\s/.test(char)) lastWasArgument = false
    out += char
  }
  return out
}

/** Every string of the item that came from a title field: case converted, brace groups kept as Pandoc keeps them. */
function convertTitles(value: unknown, sentenceCase: boolean): unknown {
  if (typeof value === 'string') return value.includes(titleMark) ? convertTitle(value, sentenceCase) : value
  if (Array.isArray(value)) return value.map((part) => convertTitles(part, sentenceCase))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, convertTitles(field, sentenceCase)]))
  return value
}

type CaseState = 'start' | 'startSentence' | 'afterWordChar' | 'afterWordEnd' | 'afterSentenceEnd'

/**
 * Pandoc's `unTitlecase`: citeproc's sentence case (a capitalised word that does not start a sentence is lowered,
 * a sentence's first word is capitalised) with brace groups untouched; afterwards a group stays protected
 * (`<span class="nocase">`, so the style's title case cannot change it) only if it holds a word starting in lower case.
 */
export function convertTitle(marked: string, sentenceCase: boolean): string {
  const text = marked.replaceAll(titleMark, '')
  let out = ''
  let state: CaseState = 'start'
  const step = (chunk: string): void => {
    const last = chunk.at(-1)
    if (last === undefined) return
    if (/[.?!:]/.test(last)) state = 'afterSentenceEnd'
    else if (/[\p{L}\p{N}]/u.test(last)) state = 'afterWordChar'
    else if (/\s/.test(last) && state === 'afterSentenceEnd') state = 'startSentence'
    else if (/[\s\-/\u2013\u2014]/.test(last)) state = 'afterWordEnd'
  }
  let index = 0
  while (index < text.length) {
    const char = text[index] ?? ''
    if (char === open) {
      let depth = 1
      let end = index + 1
      while (end < text.length && depth > 0) {
        if (text[end] === open) depth++
        else if (text[end] === close) depth--
        end++
      }
      const inner = text.slice(index + 1, depth === 0 ? end - 1 : end).replaceAll(open, '').replaceAll(close, '')
      const plain = inner.replace(/<[^>]*>/g, '')
      out += sentenceCase && hasLowercaseWord(plain) ? `<span class="nocase">${inner}</span>` : inner
      step(plain)
      index = end
      continue
    }
    if (char === close) {
      index++
      continue
    }
    if (char === '<') {
      // Tags citation-js made of LaTeX formatting (`<i>`, `<span class="nocase">`) pass through without changing the state.
      const end = text.indexOf('>', index)
      if (end !== -1) {
        out += text.slice(index, end + 1)
        index = end + 1
        continue
      }
    }
    const chunk = /^(?:[\p{L}\p{N}]+|\s+|[^\p{L}\p{N}\s<\uE000\uE001])/u.exec(text.slice(index))?.[0] ?? char
    out += sentenceCase && /^[\p{L}\p{N}]+$/u.test(chunk) ? sentenceCaseWord(chunk, state) : chunk
    step(chunk)
    index += chunk.length
  }
  return out
}

function sentenceCaseWord(word: string, state: CaseState): string {
  const starts = state === 'start' || state === 'startSentence'
  const capitalized = /^\p{Lu}\p{Ll}*$/u.test(word)
  if (capitalized && !starts) return word.toLowerCase()
  if ((capitalized || /^\p{Ll}+$/u.test(word)) && starts) return (word[0] ?? '').toUpperCase() + word.slice(1).toLowerCase()
  return word
}

function hasLowercaseWord(text: string): boolean {
  return text.split(/[\s\p{P}]+/u).some((word) => /^\p{Ll}/u.test(word))
}

/** Names, type, genre and short title as Pandoc's reader gives them, replacing citation-js's. */
function pandocFields(item: Record<string, unknown>, entry: RawBibtexEntry, adapter: BibtexAdapter, sentenceCase: boolean): void {
  const useprefix = /(^|,)\s*useprefix\s*(=\s*true\s*)?(,|$)/.test(entry.properties['options'] ?? '')
  for (const [field, cslField] of Object.entries(nameFields)) {
    const raw = entry.properties[field]
    if (raw === undefined) continue
    const names = parseNames(raw, adapter.latexToText, useprefix)
    if (names.length > 0) item[cslField] = names
  }
  const type = entry.type.toLowerCase()
  const subtype = entry.properties['entrysubtype']?.trim()
  if (type === 'article' || type === 'periodical' || type === 'suppperiodical') {
    item['type'] = subtype === 'magazine' ? 'article-magazine' : subtype === 'newspaper' ? 'article-newspaper' : 'article-journal'
  } else if (type === 'unpublished') {
    const isEvent = ['eventdate', 'eventtitle', 'venue'].some((field) => field in entry.properties)
    item['type'] = isEvent ? 'speech' : 'manuscript'
  } else if (type in pandocTypes) {
    item['type'] = pandocTypes[type]
  }
  // Pandoc's `number`: the collection's number for books and parts of them, the issue for articles, else a number.
  const number = entry.properties['number']
  if (number !== undefined) {
    const value = adapter.latexToText(number)
    delete item['number']
    delete item['collection-number']
    if (numberedCollections.has(type)) item['collection-number'] = value
    else if (articleTypes.has(type)) item['issue'] = entry.properties['issue'] === undefined ? value : `${value},${adapter.latexToText(entry.properties['issue'])}`
    else item['number'] = value
  }
  // A `booktitle` is a container only for a part of a book (citation-js takes it for any entry).
  const containerFields = ['journaltitle', 'journal', ...(chapterTypes.has(type) ? ['maintitle', 'booktitle'] : [])]
  if (!containerFields.some((field) => field in entry.properties) && type !== 'periodical') delete item['container-title']
  pandocPublisher(item, entry, adapter)
  for (const [field, value] of Object.entries(item)) if (typeof value === 'string') item[field] = value.trim()
  const genre = entry.properties['type']
  if (genre !== undefined) item['genre'] = adapter.latexToText(genre)
  else if (type in thesisGenres) item['genre'] = thesisGenres[type]
  else delete item['genre']
  // Pandoc's short title: the title up to its colon (the whole title when the subtitle is a field of its own).
  const rawTitle = entry.properties['title']
  if (item['title-short'] === undefined && rawTitle !== undefined && !('maintitle' in entry.properties)) {
    const title = convertTitle(titleMark + adapter.latexToText(markBraces(rawTitle)), sentenceCase)
    const colon = topLevelColon(title)
    if ('subtitle' in entry.properties || 'titleaddon' in entry.properties) item['title-short'] = colon === -1 ? title : title.slice(0, colon)
    else if (colon > 0) item['title-short'] = title.slice(0, colon)
  }
}

/**
 * Pandoc's publisher: `school`, `institution`, `organization`, `howpublished` and `publisher`, all that are given, in
 * that order, joined by "; " (only a space after one ending in punctuation); each but `howpublished` is a BibLaTeX
 * list, its items joined by "; " too. citation-js keeps one of them and makes a URL of a `\url` in `howpublished`:
 * Pandoc prints that URL as the publisher and takes the URL only from `url`.
 */
function pandocPublisher(item: Record<string, unknown>, entry: RawBibtexEntry, adapter: BibtexAdapter): void {
  const parts: string[] = []
  for (const field of ['school', 'institution', 'organization', 'howpublished', 'publisher']) {
    const raw = entry.properties[field]
    if (raw === undefined) continue
    const text = (field === 'howpublished' ? [raw] : splitAtAnd(raw)).map((part) => adapter.latexToText(part).trim()).filter(Boolean).join('; ')
    if (text !== '') parts.push(text)
  }
  if (parts.length === 0) return
  item['publisher'] = parts.reduce((joined, part) => joined + (/[!?.,:;]$/.test(joined) ? ' ' : '; ') + part)
  const howpublished = entry.properties['howpublished']
  if (howpublished !== undefined && !('url' in entry.properties) && item['URL'] === adapter.latexToText(howpublished).trim()) delete item['URL']
}

/** A BibLaTeX list's items: the value split at each ` and ` outside braces. */
function splitAtAnd(raw: string): string[] {
  const items: string[] = []
  let depth = 0
  let start = 0
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]
    if (char === '\\') index++
    else if (char === '{') depth++
    else if (char === '}') depth--
    else if (depth === 0 && /\s/.test(char ?? '')) {
      const match = /^\s+and\s+/.exec(raw.slice(index))
      if (match) {
        items.push(raw.slice(start, index))
        index += match[0].length - 1
        start = index + 1
      }
    }
  }
  items.push(raw.slice(start))
  return items
}

/** The first colon outside markup (Pandoc splits only its top-level text at colons). */
function topLevelColon(html: string): number {
  let depth = 0
  for (let index = 0; index < html.length; index++) {
    if (html.startsWith('</', index)) depth--
    else if (html[index] === '<') depth++
    else if (html[index] === ':' && depth === 0) return index
  }
  return -1
}

/** A CSL name as Pandoc builds it from BibTeX. */
export interface CslName {
  family?: string
  given?: string
  'dropping-particle'?: string
  'non-dropping-particle'?: string
  suffix?: string
  literal?: string
  /** citeproc-js would otherwise split particles out of a family Pandoc keeps whole (`{van Heesch}`). */
  'parse-names'?: boolean
}

/** A word of a name: its pieces, each either a brace group or plain text, as written. */
type Piece = { braced: boolean; raw: string }

/**
 * Pandoc's `toName` with BibLaTeX's rules (`First von Last`, `von Last, First`, `von Last, Jr, First`; a word in
 * braces counts as capitalised; initials written together, `R.D.`, are spaced, `R. D.`); the particle is dropping
 * unless the entry's `options` say `useprefix`.
 */
export function parseNames(raw: string, latexToText: (value: string) => string, useprefix = false): CslName[] {
  return splitTopLevel(raw.trim(), /\s+and\s+/y)
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => parseName(name, latexToText, useprefix))
}

function parseName(raw: string, latexToText: (value: string) => string, useprefix: boolean): CslName {
  const text = (pieces: Piece[]): string => latexToText(pieces.map((piece) => piece.raw).join(''))
  if (raw === 'others') return { literal: 'others' }
  if (raw.startsWith('{') && braceGroupEnd(raw, 0) === raw.length - 1) {
    return { literal: latexToText(raw.slice(1, -1)) } // a corporate author
  }
  if (/^[a-z-]+\s*=/i.test(raw)) return extendedName(raw, latexToText)
  const spaced = spaceInitials(raw)
  const parts = splitTopLevel(spaced, /\s*,\s*/y).map((part) => splitTopLevel(part.trim(), /[\s~]+/y).filter((word) => word !== '').map(pieces))
  let first: Piece[][] = []
  let vonLast: Piece[][] = []
  let junior: Piece[][] = []
  if (parts.length === 1) {
    const words = parts[0] ?? []
    const capsEnd = words.findIndex((word) => !isCapitalized(word, latexToText))
    const caps = capsEnd === -1 ? words : words.slice(0, capsEnd)
    const rest = capsEnd === -1 ? [] : words.slice(capsEnd)
    if (rest.length === 0 && caps.length > 0) {
      first = caps.slice(0, -1)
      vonLast = caps.slice(-1)
    } else {
      first = caps
      vonLast = rest
    }
  } else if (parts.length === 2) {
    vonLast = parts[0] ?? []
    first = parts[1] ?? []
  } else {
    vonLast = parts[0] ?? []
    junior = parts[1] ?? []
    first = parts[2] ?? []
  }
  const lastStart = vonLast.findIndex((word) => isCapitalized(word, latexToText))
  let von: Piece[][]
  let last: Piece[][]
  if (lastStart === -1) {
    von = vonLast.slice(0, -1)
    last = vonLast.slice(-1)
  } else {
    von = vonLast.slice(0, lastStart)
    last = vonLast.slice(lastStart)
  }
  const join = (words: Piece[][]): string => words.map(text).join(' ')
  const name: CslName = {}
  const family = join(last)
  const given = join(first)
  const prefix = join(von)
  const suffix = join(junior)
  if (family) name.family = family
  if (given) name.given = given
  if (prefix) name[useprefix ? 'non-dropping-particle' : 'dropping-particle'] = prefix
  if (suffix) name.suffix = suffix
  if (family.includes(' ') || /^\p{Ll}/u.test(family)) name['parse-names'] = false
  return name
}

/** BibLaTeX's extended name format: `family=Doe, given=Jane, prefix=van, useprefix=true`. */
function extendedName(raw: string, latexToText: (value: string) => string): CslName {
  const name: CslName = {}
  let useprefix = false
  let prefix: string | undefined
  for (const part of splitTopLevel(raw, /\s*,\s*/y)) {
    const match = /^\s*([a-z-]+)\s*=\s*(.*)$/is.exec(part)
    if (!match) continue
    const key = (match[1] ?? '').toLowerCase()
    const value = latexToText((match[2] ?? '').replace(/^\{(.*)\}$/s, '$1'))
    if (key === 'given') name.given = name.given ? `${name.given} ${value}` : value
    else if (key === 'family') name.family = value
    else if (key === 'prefix') prefix = value
    else if (key === 'suffix') name.suffix = value
    else if (key === 'useprefix') useprefix = value === 'true'
  }
  if (prefix) name[useprefix ? 'non-dropping-particle' : 'dropping-particle'] = prefix
  return name
}

/** `R.D.` → `R. D.` outside braces, as Pandoc's `addSpaceAfterPeriod` (so "J.G. Smith" and "J. G. Smith" agree). */
function spaceInitials(raw: string): string {
  let out = ''
  let depth = 0
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index] ?? ''
    if (char === '{') depth++
    if (char === '}') depth--
    out += char
    if (depth === 0 && char === '.' && /(^|[\s.,~])\p{Lu}\.$/u.test(out) && /^\p{Lu}(\.|$|[\s,~])/u.test(raw.slice(index + 1))) out += ' '
  }
  return out
}

/** A word's pieces: brace groups (which Pandoc reads as spans) and the plain text between them. */
function pieces(word: string): Piece[] {
  const result: Piece[] = []
  let index = 0
  while (index < word.length) {
    if (word[index] === '{' && word[index - 1] !== '\\' && !/\\[A-Za-z]+$/.test(word.slice(0, index))) {
      const end = braceGroupEnd(word, index)
      result.push({ braced: true, raw: word.slice(index, end + 1) })
      index = end + 1
      continue
    }
    let end = index
    while (end < word.length && !(word[end] === '{' && word[end - 1] !== '\\' && !/\\[A-Za-z]+$/.test(word.slice(0, end)))) {
      end = word[end] === '{' ? braceGroupEnd(word, end) + 1 : end + 1
    }
    result.push({ braced: false, raw: word.slice(index, end) })
    index = end
  }
  return result
}

/** Pandoc's `isCapitalized` on a word: brace groups are skipped; digits are looked past; no letter at all counts. */
function isCapitalized(word: Piece[], latexToText: (value: string) => string): boolean {
  for (const piece of word) {
    if (piece.braced) continue
    const plain = latexToText(piece.raw).replace(/^\d+/, '')
    const first = plain[0]
    if (first === undefined) continue
    return /\p{Lu}/u.test(first)
  }
  return true
}

function braceGroupEnd(text: string, start: number): number {
  let depth = 0
  for (let index = start; index < text.length; index++) {
    if (text[index] === '\\') {
      index++
      continue
    }
    if (text[index] === '{') depth++
    if (text[index] === '}' && --depth === 0) return index
  }
  return text.length - 1
}

/** Splits at matches of `separator` (a sticky regex) outside braces. */
function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '\\') {
      index++
      continue
    }
    if (char === '{') depth++
    else if (char === '}') depth--
    else if (depth === 0) {
      separator.lastIndex = index
      const match = separator.exec(text)
      if (match && match[0].length > 0) {
        parts.push(text.slice(start, index))
        start = index + match[0].length
        index = start - 1
      }
    }
  }
  parts.push(text.slice(start))
  return parts
}
