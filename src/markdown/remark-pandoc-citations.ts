// Finds Pandoc citation syntax in text nodes and replaces it with positioned `citation` nodes.
import type { Root, Text } from 'mdast'
import { SKIP, visit } from 'unist-util-visit'
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
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes('@')) return
      // Text without a position (made by an earlier pass) is bounded by its neighbours.
      const previous = parent.children[index - 1]
      const next = parent.children[index + 1]
      const start = node.position?.start.offset ?? previous?.position?.end.offset
      const end = node.position?.end.offset ?? next?.position?.start.offset ?? parent.position?.end.offset
      const offsets =
        start === undefined || end === undefined
          ? undefined
          : alignToSource(node.value, source.slice(start, end), start)
      const parts = splitCitations(node.value, offsets, (offset) => {
        const point = offset === undefined ? undefined : place.toPoint(offset)
        return point ? { line: point.line, column: point.column } : { line: 0, column: 0 }
      })
      if (parts.length === 1 && parts[0]?.type === 'text') return
      curlQuotesAroundCitations(parts)
      parent.children.splice(index, 1, ...parts)
      return [SKIP, index + parts.length]
    })
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
interface Alignment {
  offset: number[]
  escaped: boolean[]
}

const asciiPunctuation = /[!-/:-@[-`{-~]/

function alignToSource(value: string, raw: string, base: number): Alignment {
  const offset: number[] = []
  const escaped: boolean[] = []
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
        const semi = raw.indexOf(';', r)
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

type Part = Text | Citation

const keyChar = /[\p{L}\p{N}_]/u
const keyPunctuation = /[:.#$%&\-+?<>~/]/

/** Reads a citation key starting right after `@`; returns its text and the index after it. */
function readKey(text: string, at: number): { key: string; end: number } | undefined {
  if (text[at] === '{') {
    const close = text.indexOf('}', at + 1)
    if (close <= at + 1) return undefined
    return { key: text.slice(at + 1, close), end: close + 1 }
  }
  let i = at
  if (!keyChar.test(text[i] ?? '')) return undefined
  while (i < text.length) {
    const char = text[i] ?? ''
    if (keyChar.test(char)) i += 1
    else if (keyPunctuation.test(char) && keyChar.test(text[i + 1] ?? '')) i += 2
    else break
  }
  return { key: text.slice(at, i), end: i }
}

/** Whether an `@` at `i` may start a citation: not escaped, not inside a word (e-mail addresses). */
function atSign(text: string, i: number, escaped: boolean[] | undefined): boolean {
  return text[i] === '@' && !escaped?.[i] && !keyChar.test(text[i - 1] ?? '')
}

function splitCitations(
  text: string,
  alignment: Alignment | undefined,
  pointAt: (offset: number | undefined) => { line: number; column: number },
): Part[] {
  const parts: Part[] = []
  const escaped = alignment?.escaped
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
    if (char === '[' && !escaped?.[i]) found = readBracketed(text, i, escaped, point)
    else if (char === '@' && atSign(text, i, escaped)) found = readNarrative(text, i, escaped, point)
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

function findClose(text: string, open: number, escaped: boolean[] | undefined): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (escaped?.[i]) continue
    if (text[i] === '[') depth += 1
    else if (text[i] === ']') {
      depth -= 1
      if (depth === 0) return i
    }
  }
  return -1
}

function readBracketed(
  text: string,
  open: number,
  escaped: boolean[] | undefined,
  point: (i: number) => CitationItemSyntax['start'],
): { node: Omit<Citation, 'position'>; end: number } | undefined {
  const close = findClose(text, open, escaped)
  if (close === -1) return undefined
  const items: CitationItemSyntax[] = []
  let partStart = open + 1
  for (let i = open + 1; i <= close; i++) {
    if (i < close && (text[i] !== ';' || escaped?.[i])) continue
    const item = readItem(text, partStart, i, escaped, point)
    if (!item) return undefined // Every part of a bracketed citation needs a key, or it is just text.
    items.push(item)
    partStart = i + 1
  }
  return { node: { type: 'citation', mode: 'normal', items, value: text.slice(open, close + 1) }, end: close + 1 }
}

function readItem(
  text: string,
  from: number,
  to: number,
  escaped: boolean[] | undefined,
  point: (i: number) => CitationItemSyntax['start'],
): CitationItemSyntax | undefined {
  for (let i = from; i < to; i++) {
    if (!atSign(text, i, escaped)) continue
    const key = readKey(text, i + 1)
    if (!key || key.end > to) continue
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
  return undefined
}

function readNarrative(
  text: string,
  at: number,
  escaped: boolean[] | undefined,
  point: (i: number) => CitationItemSyntax['start'],
): { node: Omit<Citation, 'position'>; end: number } | undefined {
  const key = readKey(text, at + 1)
  if (!key) return undefined
  let end = key.end
  let suffix = ''
  // `@a [p. 33]`: a following bracket without a key of its own holds the locator and suffix.
  const bracket = /^ ?\[/.exec(text.slice(end))
  if (bracket) {
    const open = end + bracket[0].length - 1
    const close = findClose(text, open, escaped)
    const inner = close === -1 ? '' : text.slice(open + 1, close)
    const hasKey = [...inner].some((_, k) => atSign(text, open + 1 + k, escaped))
    if (close !== -1 && !hasKey && !text.slice(close + 1).startsWith('(')) {
      suffix = inner.trimEnd()
      end = close + 1
    }
  }
  return {
    node: {
      type: 'citation',
      mode: 'narrative',
      items: [{ key: key.key, prefix: '', suffix, suppressAuthor: false, start: point(at) }],
      value: text.slice(at, end),
    },
    end,
  }
}
