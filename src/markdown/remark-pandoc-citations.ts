// Finds Pandoc citation syntax in text nodes and replaces it with positioned `citation` nodes.
import type { Parent, Root, RootContent, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { SKIP, visit } from '../tree-visit.js'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import type { Citation, CitationItemSyntax } from './types.js'

/**
 * Recognises `[@a]`, `[see @a, p. 3; -@b]`, narrative `@a` and `@a [p. 3]`, braced keys `@{odd key}`.
 * `\@` is an escape and `name@host` is not a citation, as in Pandoc. Citations inside footnotes, emphasis and
 * links are found too, since each text node is searched.
 */
export function remarkPandocCitations() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    const place = location(file)
    const pointAt = (offset: number | undefined): { line: number; column: number } => {
      const point = offset === undefined ? undefined : place.toPoint(offset)
      return point ? { line: point.line, column: point.column } : { line: 0, column: 0 }
    }
    visit(tree, (node) => {
      if ('children' in node) readMarkedUpCitations(node as Parent, source, pointAt)
    })
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes('@')) return
      // An autolink's text is its address, as written: `<https://host/@user/x>` cites nobody (Pandoc).
      if (parent.type === 'link' && isAutolink(parent, source)) return
      // Text without a position (made by an earlier pass) is bounded by its neighbours.
      const previous = parent.children[index - 1]
      const next = parent.children[index + 1]
      const start = node.position?.start.offset ?? previous?.position?.end.offset
      const end = node.position?.end.offset ?? next?.position?.start.offset ?? parent.position?.end.offset
      const offsets =
        start === undefined || end === undefined
          ? undefined
          : alignToSource(node.value, source.slice(start, end), start)
      const parts = splitCitations(node.value, offsets, pointAt)
      if (parts.length === 1 && parts[0]?.type === 'text') return
      curlQuotesAroundCitations(parts)
      parent.children.splice(index, 1, ...parts)
      return [SKIP, index + parts.length]
    })
  }
}

/** Whether a link was written `<…>` (an autolink), not `[text](url)`. */
function isAutolink(link: Parent, source: string): boolean {
  const start = link.position?.start.offset
  return start !== undefined && source[start] === '<'
}

/** Inline markup that may stand in a citation's prefix or suffix. */
const affixMarkup = new Set(['emphasis', 'strong', 'delete', 'inlineCode'])

/**
 * `[*cf.* @doe, p. 3]`, `[@doe, *passim*]`: markup inside the brackets splits the citation over several nodes. Where
 * a text node opens a bracket that a later sibling text node closes, with only inline markup between and a citation
 * inside, the bracket is read again from the source as one citation whose affixes keep their Markdown.
 */
function readMarkedUpCitations(parent: Parent, source: string, pointAt: (offset: number | undefined) => { line: number; column: number }): void {
  const children = parent.children as RootContent[]
  // Text, markup, text at the least; and the opening text has a `[` in its value where its source has one.
  if (children.length < 3) return
  for (let i = 0; i < children.length; i++) {
    const opening = children[i]
    if (opening?.type !== 'text' || !opening.value.includes('[')) continue
    if (opening.position?.start.offset === undefined || opening.position.end.offset === undefined) continue
    const openStart = opening.position.start.offset
    const open = lastOpenBracket(source.slice(openStart, opening.position.end.offset))
    if (open === -1) continue
    for (let j = i + 1; j < children.length; j++) {
      const node = children[j] as RootContent
      if (affixMarkup.has(node.type)) {
        if (/[[\]]/.test(toString(node))) break
        continue
      }
      if (node.type !== 'text' || node.position?.start.offset === undefined || node.position.end.offset === undefined) break
      const closeStart = node.position.start.offset
      const raw = source.slice(closeStart, node.position.end.offset)
      const close = raw.search(/(?<!\\)\]/)
      // Text between two pieces of markup (`*cf.* @a; @b, *passim*`) is part of the citation.
      if (close === -1 && !/(?<!\\)\[/.test(raw)) continue
      if (close === -1 || j === i + 1) break
      const bracket = openStart + open
      const end = closeStart + close + 1
      // `@a [*see* @b]`: a narrative citation right before the bracket takes it in, as Pandoc reads it; else the
      // bracket is a citation of its own.
      let read: { start: number; citation: Citation } | undefined
      for (const start of [narrativeBefore(source, openStart, bracket), bracket]) {
        const slice = start === undefined ? '' : source.slice(start, end)
        if (start === undefined || slice.includes('\\@')) continue
        const parts = splitCitations(slice, alignToSource(slice, slice, start), pointAt)
        const citation = parts[0]
        if (parts.length === 1 && citation?.type === 'citation') {
          read = { start, citation }
          break
        }
      }
      if (!read) break
      const { start, citation } = read
      citation.markdownAffixes = true
      // The text around the bracket stays, cut where the bracket starts and ends in the source.
      const before = cutText(opening, source, (offset) => offset < start, pointAt)
      const after = cutText(node, source, (offset) => offset >= end, pointAt)
      const replacement = [before, citation, after].filter((part): part is Part => part !== undefined && (part.type !== 'text' || part.value !== ''))
      children.splice(i, j - i + 1, ...replacement)
      i += replacement.indexOf(citation)
      break
    }
  }
}

/** Where a narrative citation starts that ends right before `bracket` (spaces and one line break between), if one does. */
function narrativeBefore(source: string, from: number, bracket: number): number | undefined {
  const at = source.lastIndexOf('@', bracket - 1)
  if (at < from || source[at - 1] === '\\' || keyChar.test(source[at - 1] ?? '')) return undefined
  const key = readKey(source, at + 1)
  return key && /^[ \t]*(?:\r?\n[ \t]*)?$/.test(source.slice(key.end, bracket)) ? at : undefined
}

/** The last `[` of a text's source that nothing closes after it, or -1. */
function lastOpenBracket(raw: string): number {
  for (let i = raw.length - 1; i >= 0; i--) {
    if (raw[i] === ']' && raw[i - 1] !== '\\') return -1
    if (raw[i] === '[' && raw[i - 1] !== '\\') return i
  }
  return -1
}

/** The characters of a text node whose source offset passes `keep`, as a text node placed where they are. */
function cutText(node: Text, source: string, keep: (offset: number) => boolean, pointAt: (offset: number) => { line: number; column: number }): Text | undefined {
  const start = node.position?.start.offset ?? 0
  const alignment = alignToSource(node.value, source.slice(start, node.position?.end.offset ?? start), start)
  const kept = node.value.split('').flatMap((char, index) => {
    const offset = alignment.offset[index]
    return offset !== undefined && keep(offset) ? [{ char, offset }] : []
  })
  const first = kept[0]
  const last = kept.at(-1)
  if (!first || !last) return undefined
  return {
    type: 'text',
    value: kept.map((entry) => entry.char).join(''),
    position: { start: { ...pointAt(first.offset), offset: first.offset }, end: { ...pointAt(last.offset + 1), offset: last.offset + 1 } },
  }
}

/**
 * Smart punctuation runs after this stage and sees no text where a citation is, so it would take the `'` of
 * `@doe's` for an opening quote. Quotes right next to a citation are settled here, as Pandoc reads them:
 * after it an apostrophe or a closing quote, before it (after a space) an opening one.
 */
function curlQuotesAroundCitations(parts: Part[]): void {
  parts.forEach((part, i) => {
    if (part.type !== 'text') return
    if (parts[i - 1]?.type === 'citation') {
      part.value = part.value.replace(/^'/, '’').replace(/^"(?=$|[\s\p{P}])/u, '”')
    }
    if (parts[i + 1]?.type === 'citation') {
      part.value = part.value.replace(/(^|[\s([{])"$/u, '$1“').replace(/(^|[\s([{])'$/u, '$1‘')
    }
  })
}

/** Source offset of each character of `value` (or -1 for an escaped one), given the raw source of the node. */
export interface Alignment {
  offset: number[]
  escaped: boolean[]
}

const asciiPunctuation = /[!-/:-@[-`{-~]/

export function alignToSource(value: string, raw: string, base: number): Alignment {
  const offset: number[] = []
  const escaped: boolean[] = []
  const nextSemicolon = forwardIndexOf(raw, ';')
  let r = 0
  for (let v = 0; v < value.length; v++) {
    const char = value[v]
    while (r < raw.length) {
      if (raw[r] === '\\' && raw[r + 1] === char && asciiPunctuation.test(char ?? '')) {
        escaped[v] = true
        offset[v] = base + r
        r += 2
        break
      }
      if (raw[r] === char) {
        escaped[v] = false
        offset[v] = base + r
        r += 1
        break
      }
      if (raw[r] === '&') {
        // A character reference such as `&amp;` became one character of the value.
        const semi = nextSemicolon(r)
        escaped[v] = true
        offset[v] = base + r
        r = semi === -1 ? r + 1 : semi + 1
        break
      }
      r += 1 // Whitespace that the parser dropped, e.g. indentation of a continuation line.
    }
  }
  return { offset, escaped }
}

/**
 * `text.indexOf(char, from)` for a caller whose `from` never decreases: the answer is kept while it stays ahead, so a
 * run of `&` or `@{` with no `;` or `}` after it is not scanned to the end once per character.
 */
function forwardIndexOf(text: string, char: string): (from: number) => number {
  let searchedFrom = Infinity
  let found = -1
  return (from) => {
    if (from < searchedFrom || (found !== -1 && found < from)) {
      searchedFrom = from
      found = text.indexOf(char, from)
    }
    return found
  }
}

type Part = Text | Citation

const keyChar = /[\p{L}\p{N}_]/u
const keyPunctuation = /[:.#$%&\-+?<>~/]/

/**
 * Reads a citation key starting right after `@`; returns its text and the index after it. `nextBrace(from)` finds the
 * first `}` at or after `from` (default `indexOf`); a caller reading many keys of one text passes a lookup that does
 * not scan the same text again for each `@{`.
 */
function readKey(text: string, at: number, nextBrace: (from: number) => number = (from) => text.indexOf('}', from)): { key: string; end: number } | undefined {
  if (text[at] === '{') {
    const close = nextBrace(at + 1)
    if (close <= at + 1) return undefined
    return { key: text.slice(at + 1, close), end: close + 1 }
  }
  let i = at
  if (!keyChar.test(text[i] ?? '')) return undefined
  while (i < text.length) {
    const char = text[i] ?? ''
    if (keyChar.test(char)) i += 1
    else if (keyPunctuation.test(char) && keyChar.test(text[i + 1] ?? '')) i += 2
    // Pandoc's one more rule, for URLs as keys (Manubot's `@https://…`): a `:` or `/` before a `/`.
    else if ((char === ':' || char === '/') && text[i + 1] === '/') i += 1
    else break
  }
  return { key: text.slice(at, i), end: i }
}

/** Whether an `@` at `i` may start a citation: not escaped, not inside a word (e-mail addresses). */
function atSign(text: string, i: number, escaped: boolean[] | undefined): boolean {
  return text[i] === '@' && !escaped?.[i] && !keyChar.test(text[i - 1] ?? '')
}

/**
 * What the citation reader looks up in one text, found in one pass over it, so that reading is linear in the text's
 * length: a run of thousands of `[`, `[@` or `@{` would otherwise have each bracket or key scan the rest of the
 * text again (issue #19 measured 42 s for 200 kB of `[@`). Escaped characters count as text, as everywhere here.
 */
interface TextIndex {
  /** At each `[`, the index of the `]` that closes it, or -1. */
  close: Int32Array
  /** At each `[` that is closed, its first `;` outside nested brackets, or -1. */
  semicolon: Int32Array
  /** At each index, how many `;` come before it: the `;`-separated segment it is in. */
  segment: Int32Array
  /** Where each `;` is. */
  semicolons: number[]
  /** For each segment, how many segments before it hold no citation key. */
  keylessBefore: Int32Array
  /** At each index, the first `;` at or after it, or the text's length. */
  nextSemicolon: Int32Array
  /** At each index, the first `@` at or after it that may start a citation (`atSign`), or the text's length. */
  nextAtSign: Int32Array
  /** At each index, the first `@` at or after it that starts a key, or the text's length; `plainKey`: a key without braces. */
  nextKey: Int32Array
  nextPlainKey: Int32Array
  /** At each `@` that starts a key, the key. */
  keys: Map<number, { key: string; end: number }>
}

function indexText(text: string, escaped: boolean[] | undefined): TextIndex {
  const length = text.length
  const close = new Int32Array(length).fill(-1)
  const semicolon = new Int32Array(length).fill(-1)
  const segment = new Int32Array(length + 1)
  const nextSemicolon = new Int32Array(length + 1).fill(length)
  const nextAtSign = new Int32Array(length + 1).fill(length)
  const nextKey = new Int32Array(length + 1).fill(length)
  const nextPlainKey = new Int32Array(length + 1).fill(length)
  const nextBrace = new Int32Array(length + 1).fill(-1)
  for (let i = length - 1; i >= 0; i--) nextBrace[i] = text[i] === '}' ? i : (nextBrace[i + 1] ?? -1)
  const keys = new Map<number, { key: string; end: number }>()
  const open: number[] = []
  const semicolons: number[] = []
  for (let i = 0; i < length; i++) {
    segment[i] = semicolons.length
    if (escaped?.[i]) continue
    const char = text[i]
    if (char === '[') open.push(i)
    else if (char === ']') {
      const start = open.pop()
      if (start !== undefined) close[start] = i
    } else if (char === ';') {
      const innermost = open.at(-1)
      if (innermost !== undefined && semicolon[innermost] === -1) semicolon[innermost] = i
      semicolons.push(i)
    } else if (atSign(text, i, escaped)) {
      const key = readKey(text, i + 1, (from) => nextBrace[from] ?? -1)
      if (key) keys.set(i, key)
    }
  }
  segment[length] = semicolons.length
  // A `[` that no `]` closes records no first `;`.
  for (let i = 0; i < length; i++) if (close[i] === -1) semicolon[i] = -1
  for (let i = length - 1; i >= 0; i--) {
    const char = text[i]
    const key = keys.get(i)
    nextSemicolon[i] = char === ';' && !escaped?.[i] ? i : (nextSemicolon[i + 1] ?? length)
    nextAtSign[i] = char === '@' && atSign(text, i, escaped) ? i : (nextAtSign[i + 1] ?? length)
    nextKey[i] = key ? i : (nextKey[i + 1] ?? length)
    nextPlainKey[i] = key && text[i + 1] !== '{' ? i : (nextPlainKey[i + 1] ?? length)
  }
  const index = { close, semicolon, segment, semicolons, keylessBefore: new Int32Array(semicolons.length + 2), nextSemicolon, nextAtSign, nextKey, nextPlainKey, keys }
  let segmentStart = 0
  for (let s = 0; s <= semicolons.length; s++) {
    const segmentEnd = semicolons[s] ?? length
    index.keylessBefore[s + 1] = (index.keylessBefore[s] ?? 0) + (firstKey(index, segmentStart, segmentEnd) === -1 ? 1 : 0)
    segmentStart = segmentEnd + 1
  }
  return index
}

/** The first `@` in `from`–`to` whose key ends by `to`, or -1. */
function firstKey(index: TextIndex, from: number, to: number): number {
  const at = index.nextKey[from] ?? to
  if (at >= to) return -1
  if ((index.keys.get(at)?.end ?? Infinity) <= to) return at
  // A braced key that runs past `to`: every later `@{` in the part runs to the same `}`; only a plain key can fit.
  const plain = index.nextPlainKey[at + 1] ?? to
  return plain < to && (index.keys.get(plain)?.end ?? Infinity) <= to ? plain : -1
}

function splitCitations(
  text: string,
  alignment: Alignment | undefined,
  pointAt: (offset: number | undefined) => { line: number; column: number },
): Part[] {
  const parts: Part[] = []
  const escaped = alignment?.escaped
  const index = indexText(text, escaped)
  const sourceOffset = (i: number): number | undefined => alignment?.offset[i]
  const point = (i: number) => {
    const offset = sourceOffset(i)
    const p = pointAt(offset)
    return offset === undefined ? { line: p.line, column: p.column } : { line: p.line, column: p.column, offset }
  }
  const endPoint = (i: number) => {
    // The end of the span is one past its last character in the source.
    const last = sourceOffset(i - 1)
    const p = pointAt(last === undefined ? undefined : last + 1)
    return last === undefined ? { line: p.line, column: p.column } : { line: p.line, column: p.column, offset: last + 1 }
  }
  let textStart = 0
  const flushText = (until: number): void => {
    if (until > textStart) {
      parts.push({ type: 'text', value: text.slice(textStart, until), position: { start: point(textStart), end: endPoint(until) } })
    }
  }
  let i = 0
  while (i < text.length) {
    const char = text[i]
    let found: { node: Omit<Citation, 'position'>; end: number } | undefined
    if (char === '[' && !escaped?.[i]) found = readBracketed(text, i, index, point)
    else if (char === '@' && index.keys.has(i)) found = readNarrative(text, i, escaped, index, point)
    if (found) {
      flushText(i)
      parts.push({ ...found.node, position: { start: point(i), end: endPoint(found.end) } })
      i = found.end
      textStart = i
    } else {
      i += 1
    }
  }
  flushText(text.length)
  return parts
}

function readBracketed(
  text: string,
  open: number,
  index: TextIndex,
  point: (i: number) => CitationItemSyntax['start'],
): { node: Omit<Citation, 'position'>; end: number } | undefined {
  const close = index.close[open] ?? -1
  if (close === -1) return undefined
  const items = readItems(text, open + 1, close, index, point)
  if (!items) return undefined
  return { node: { type: 'citation', mode: 'normal', items, value: text.slice(open, close + 1) }, end: close + 1 }
}

/**
 * The `;`-separated citations from `from` to `to` (a `;` or `]`); undefined unless every part has a key (it is just
 * text then). Whether each has is settled before any item is made: the parts between the first and the last are whole
 * segments of the text, counted in advance.
 */
function readItems(
  text: string,
  from: number,
  to: number,
  index: TextIndex,
  point: (i: number) => CitationItemSyntax['start'],
): CitationItemSyntax[] | undefined {
  const first = index.segment[from] ?? 0
  const last = index.segment[to] ?? 0
  const firstEnd = Math.min(index.nextSemicolon[from] ?? to, to)
  if (firstKey(index, from, firstEnd) === -1) return undefined
  if (last > first) {
    const keyless = (index.keylessBefore[last] ?? 0) - (index.keylessBefore[first + 1] ?? 0)
    const lastStart = (index.semicolons[last - 1] ?? to) + 1
    if (keyless > 0 || firstKey(index, lastStart, to) === -1) return undefined
  }
  const items: CitationItemSyntax[] = []
  let partStart = from
  for (;;) {
    const partEnd = Math.min(index.nextSemicolon[partStart] ?? to, to)
    const item = readItem(text, partStart, partEnd, index, point)
    if (!item) return undefined
    items.push(item)
    if (partEnd === to) return items
    partStart = partEnd + 1
  }
}

function readItem(
  text: string,
  from: number,
  to: number,
  index: TextIndex,
  point: (i: number) => CitationItemSyntax['start'],
): CitationItemSyntax | undefined {
  const i = firstKey(index, from, to)
  const key = index.keys.get(i)
  if (i === -1 || !key) return undefined
  const suppressAuthor = text[i - 1] === '-' && i - 1 >= from && !keyChar.test(text[i - 2] ?? '')
  const prefixEnd = suppressAuthor ? i - 1 : i
  return {
    key: key.key,
    prefix: text.slice(from, prefixEnd).trim(),
    suffix: text.slice(key.end, to).trimEnd(),
    suppressAuthor,
    start: point(i),
  }
}

function readNarrative(
  text: string,
  at: number,
  escaped: boolean[] | undefined,
  index: TextIndex,
  point: (i: number) => CitationItemSyntax['start'],
): { node: Omit<Citation, 'position'>; end: number } | undefined {
  const key = index.keys.get(at)
  if (!key) return undefined
  const items: CitationItemSyntax[] = [{ key: key.key, prefix: '', suffix: '', suppressAuthor: false, start: point(at) }]
  let end = key.end
  // A bracket after the key, on the same line or the next, not a link's (Pandoc's `textualCite`):
  const bracket = /^[ \t]*(?:\r?\n[ \t]*)?\[/.exec(text.slice(end))
  const open = bracket ? end + bracket[0].length - 1 : -1
  const close = bracket && !escaped?.[open] ? (index.close[open] ?? -1) : -1
  if (close !== -1 && !/^[[(]/.test(text.slice(close + 1))) {
    const cluster = readBracketed(text, open, index, point)
    // `@a [-@b]`, `@a [see @b]`: more citations, which continue this one ("Doe (2020, 2019)").
    if (cluster) items.push(...cluster.node.items)
    // `@a [p. 33]`, `@a [p. 33; @b]`: a locator and suffix without a key, then perhaps more citations.
    const semicolon = cluster ? -1 : (index.semicolon[open] ?? -1)
    const suffixEnd = semicolon === -1 ? close : semicolon
    const hasKey = (index.nextAtSign[open + 1] ?? suffixEnd) < suffixEnd
    const more = cluster || hasKey ? undefined : semicolon === -1 ? [] : readItems(text, semicolon + 1, close, index, point)
    if (more && items[0]) {
      items[0].suffix = text.slice(open + 1, suffixEnd).trimEnd()
      items.push(...more)
    }
    if (cluster || more) end = close + 1
  }
  return { node: { type: 'citation', mode: 'narrative', items, value: text.slice(at, end) }, end }
}

/** What follows a figure's description: `](destination "title")` and perhaps attributes, to the block's end. */
const figureTail = /\]\((?:<[^>]*>|[^)\s]*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\)(?:\{[^}]*\})?$/y

/**
 * Whether a block is one image and perhaps its attributes: a figure. Its description holds escapes, brackets that
 * hold no `]`, and anything else but `]` and `\`. A `[` may open such a bracket or stand for itself; both readings are
 * followed at once, so a description full of `[` is read once (as a backtracking pattern, `![[a[a[a…`, it took time
 * growing with the square of its length, or worse). A `]` where the description may end is tried as its end; after
 * eight such tries the block is taken for no figure, which costs only a missed early guess.
 */
function isFigure(block: string): boolean {
  if (!block.startsWith('![')) return false
  let plain = true
  let inBracket = false
  let tries = 0
  for (let i = 2; i < block.length; i++) {
    const char = block[i]
    if (char === '\\') {
      // An escape takes any next character but a line break.
      if (!/^[^\n\r\u2028\u2029]$/.test(block[i + 1] ?? '')) return false
      i += 1
    } else if (char === ']') {
      if (plain) {
        if (tries++ === 8) return false
        figureTail.lastIndex = i
        if (figureTail.test(block)) return true
      }
      plain = inBracket
      inBracket = false
      if (!plain) return false
    } else if (char === '[') {
      inBracket ||= plain
    }
  }
  return false
}

/** `text` with each HTML comment replaced by a space; a `<!--` that nothing closes hides nothing. */
function dropComments(text: string): string {
  let kept = ''
  let from = 0
  for (;;) {
    const open = text.indexOf('<!--', from)
    const close = open === -1 ? -1 : text.indexOf('-->', open + 4)
    // Without a `-->` after this `<!--` there is none after a later one either.
    if (close === -1) return kept + text.slice(from)
    kept += `${text.slice(from, open)} `
    from = close + 3
  }
}

/**
 * `text` with each code span replaced by a space, read as ``/(`+)[\s\S]*?\1(?!`)/g`` reads them, in one pass: a run
 * of backticks ends at the first later run at least as long as the most of it that some later run matches, provided
 * that is more than half the run; else (two backticks or more) the run closes itself, its tail matching its head.
 * The pattern itself backtracks through every shorter length, scanning the rest of the text each time.
 */
function dropCodeSpans(text: string): string {
  const runs = [...text.matchAll(/`+/g)].map((match) => ({ start: match.index, end: match.index + match[0].length }))
  const longestFrom = new Int32Array(runs.length + 1)
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]
    longestFrom[i] = Math.max(longestFrom[i + 1] ?? 0, run ? run.end - run.start : 0)
  }
  let kept = ''
  let from = 0
  let i = 0
  while (i < runs.length) {
    const run = runs[i] as { start: number; end: number }
    const length = run.end - run.start
    const fit = Math.min(length, longestFrom[i + 1] ?? 0)
    let end: number
    if (fit * 2 > length) {
      let j = i + 1
      while ((runs[j]?.end ?? Infinity) - (runs[j]?.start ?? 0) < fit) j += 1
      end = runs[j]?.end ?? text.length
      i = j + 1
    } else if (length >= 2) {
      end = run.end
      i += 1
    } else {
      i += 1
      continue
    }
    kept += `${text.slice(from, run.start)} `
    from = end
  }
  return kept + text.slice(from)
}

/**
 * `text` with each image description `![…]` replaced by a space, as ``/!\[(?:[^\]\\]|\\.)*\]/g`` does, without
 * scanning to the end once for every `![` that nothing closes.
 */
function dropImageDescriptions(text: string): string {
  let kept = ''
  let from = 0
  let at = text.indexOf('![')
  while (at !== -1) {
    let i = at + 2
    while (i < text.length && text[i] !== ']' && !(text[i] === '\\' && !/^[^\n\r\u2028\u2029]$/.test(text[i + 1] ?? ''))) i += text[i] === '\\' ? 2 : 1
    // Every `![` before `i` reads up to `i` the same way: none of them can close either.
    if (i >= text.length) break
    if (text[i] === ']') {
      kept += `${text.slice(from, at)} `
      from = i + 1
    }
    at = text.indexOf('![', i + 1)
  }
  return kept + text.slice(from)
}

/**
 * The citation keys of a Markdown text (without its front matter) in the order the citations stage meets them,
 * found without parsing: a footnote's keys come where the footnote is first referenced; code, comments and the
 * descriptions of images that are not figures are skipped. A guess, good enough to start citeproc early
 * (`citations/guess.ts`), which is used only if the parse finds the same keys.
 */
export function scanCitationKeys(markdown: string): string[] {
  const { body, notes } = splitFootnotes(markdown)
  const keys: string[] = []
  const opened = new Set<string>()
  const scan = (text: string): void => {
    // Code spans do not cross a blank line: a stray backtick (``LaTeX quotes'') hides no more than its paragraph.
    const plain = text
      .split(/\n[ \t]*\n/)
      .map((block) => {
        const text = dropCodeSpans(dropComments(block))
        // A figure's description is its caption, where citations count (`remarkFigureCaptions`); others are plain text.
        return isFigure(text.trim()) ? text : dropImageDescriptions(text)
      })
      .join('\n\n')
    const nextBrace = forwardIndexOf(plain, '}')
    // A note's label holds no `[` (as in micromark), so a run of `[^` is not read to its end from each one.
    for (const match of plain.matchAll(/\[\^([^\]\s[]+)\]|@/g)) {
      const at = match.index
      const label = match[1]
      if (label !== undefined) {
        const note = notes.get(label)
        if (note !== undefined && !opened.has(label)) {
          opened.add(label)
          scan(note)
        }
      } else if (plain[at - 1] !== '\\' && !keyChar.test(plain[at - 1] ?? '')) {
        const key = readKey(plain, at + 1, nextBrace)
        if (key) keys.push(key.key)
      }
    }
  }
  scan(body)
  return keys
}

/** The text outside footnote definitions (fenced code left out), and each definition's text. */
function splitFootnotes(markdown: string): { body: string; notes: Map<string, string> } {
  const lines = markdown.split(/\r?\n/)
  const body: string[] = []
  const notes = new Map<string, string[]>()
  let note: string[] | undefined
  let fence: string | undefined
  let afterBlank = false
  for (const line of lines) {
    if (fence !== undefined) {
      if (line.trimStart().startsWith(fence)) fence = undefined
      continue
    }
    const opening = /^\s*(`{3,}|~{3,})/.exec(line)
    if (opening) {
      fence = opening[1]
      continue
    }
    const blank = line.trim() === ''
    const definition = /^ {0,3}\[\^([^\]\s]+)\]:(.*)$/.exec(line)
    if (definition) {
      // The first definition of a label counts, as in CommonMark.
      note = [definition[2] ?? '']
      if (!notes.has(definition[1] ?? '')) notes.set(definition[1] ?? '', note)
    } else if (note && (blank || !afterBlank || /^( {4}|\t)/.test(line))) {
      // A note goes on over blank lines and indented ones, and a line that continues its paragraph.
      note.push(line)
    } else {
      note = undefined
      body.push(line)
    }
    afterBlank = blank
  }
  return { body: body.join('\n'), notes: new Map([...notes].map(([label, text]) => [label, text.join('\n')])) }
}
