// Takes a formatted citation cluster apart into its cites and puts it back together, for missing keys and links.
import type { Element, ElementContent, Text } from 'hast'

/** What a style's `<citation><layout>` puts around and between the cites of a cluster. */
export interface CitationLayout {
  prefix: string
  suffix: string
  delimiter: string
  /** Whether the style sorts the cites of a cluster (then the printed order is not the written one). */
  sorted: boolean
}

/** Reads the citation layout of a CSL style (the first `<layout>` that is not for one locale only). */
export function citationLayout(styleXml: string): CitationLayout {
  const citation = /<citation\b[^>]*>([\s\S]*?)<\/citation>/.exec(styleXml)?.[1] ?? ''
  const layouts = [...citation.matchAll(/<layout\b([^>]*)>/g)].map((match) => match[1] ?? '')
  const layout = layouts.find((attributes) => !/\blocale=/.test(attributes)) ?? layouts[0] ?? ''
  const attribute = (name: string): string => decodeXml(new RegExp(`\\b${name}="([^"]*)"`).exec(layout)?.[1] ?? '')
  return { prefix: attribute('prefix'), suffix: attribute('suffix'), delimiter: attribute('delimiter'), sorted: /<sort\b/.test(citation) }
}

function decodeXml(text: string): string {
  return text.replace(/&#(x?)([0-9a-f]+);|&(amp|lt|gt|quot|apos);/gi, (_, hex: string, code: string, named: string) => {
    if (code) return String.fromCodePoint(Number.parseInt(code, hex ? 16 : 10))
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[named.toLowerCase()] ?? ''
  })
}

/** Escapes text as citeproc-js's HTML output does (numeric entities), so layout affixes can be found in its output. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&#38;').replace(/</g, '&#60;').replace(/>/g, '&#62;').replace(/\s\s/g, '\u00A0 ')
}

/**
 * Stands on both sides of the delimiter between the cites of one author's group in citeproc's HTML for a cluster
 * ("Doe 2020a, 2020b"), which is not the layout's delimiter, so that the cites can still be told apart.
 * `withoutGroupMarks` removes the marks.
 */
export const citeGroupMark = '\uFDD0' // A Unicode noncharacter, for internal use: never in a user's text.

export function withoutGroupMarks(html: string): string {
  return html.replaceAll(citeGroupMark, '')
}

/** A formatted cluster seen as the layout's prefix, its cites, and the layout's suffix (all HTML, without group marks). */
export interface ClusterShape {
  open: string
  close: string
  body: string
  /** One HTML string per cite, in printed order, when the body splits into exactly as many as were cited (`count`). */
  cites: string[] | undefined
  /** What stands between cite i and cite i + 1: the layout's delimiter, or inside a group the group's. */
  between: string[]
}

/**
 * Splits citeproc's HTML for a cluster at the layout delimiter and the group marks, where it is not inside an
 * element, brackets or quotation marks (`[2, p. 4]`, `“Title; Subtitle”`). Cites that the style merged (`[1]–[3]`)
 * make the count differ, and then there are no separate cites. Without a `count`, the cites as split.
 */
export function shapeOf(html: string, layout: CitationLayout, count?: number): ClusterShape | undefined {
  const open = escapeHtml(layout.prefix)
  const close = escapeHtml(layout.suffix)
  if (html.length < open.length + close.length || !html.startsWith(open) || !html.endsWith(close)) return undefined
  const marked = html.slice(open.length, html.length - close.length)
  const body = withoutGroupMarks(marked)
  const delimiter = escapeHtml(layout.delimiter)
  const cites: string[] = []
  const between: string[] = []
  // Marks stand on both sides of each delimiter inside a group: the text between them is a delimiter (which may
  // hold the layout's), the rest cites and layout delimiters.
  marked.split(citeGroupMark).forEach((segment, k) => {
    if (k % 2 === 1) {
      between.push(segment)
      return
    }
    splitTopLevel(segment, delimiter).forEach((cite, i) => {
      if (i > 0) between.push(delimiter)
      cites.push(cite)
    })
  })
  return count === undefined || cites.length === count ? { open, close, body, cites, between } : { open, close, body, cites: undefined, between: [] }
}

/** Openers and the closer each waits for; `“` closes a German `„` but opens an English quotation. */
const closerOf: Record<string, string> = { '(': ')', '[': ']', '{': '}', '“': '”', '„': '“', '«': '»', '‘': '’' }

function splitTopLevel(html: string, delimiter: string): string[] {
  if (delimiter === '') return [html]
  const parts: string[] = []
  const waiting: string[] = []
  let elements = 0
  let start = 0
  for (let i = 0; i < html.length; i++) {
    const char = html[i] ?? ''
    if (char === '<') {
      const end = html.indexOf('>', i)
      if (end === -1) break
      const tag = html.slice(i, end + 1)
      if (tag.startsWith('</')) elements -= 1
      else if (!tag.endsWith('/>')) elements += 1
      i = end
    } else if (elements === 0 && waiting.length === 0 && html.startsWith(delimiter, i)) {
      parts.push(html.slice(start, i))
      i += delimiter.length - 1
      start = i + 1
    } else if (char === waiting.at(-1)) {
      waiting.pop()
    } else if (closerOf[char] !== undefined && !(char === '‘' && /\p{L}/u.test(html[i - 1] ?? ''))) {
      waiting.push(closerOf[char] ?? '')
    }
  }
  parts.push(html.slice(start))
  return parts
}

/** Pandoc's `removeFinalPeriod`, on hast: drops a final `.` (also one before a closing quotation mark). */
export function removeFinalPeriod(nodes: ElementContent[], keep: (text: string) => boolean): void {
  const last = lastText(nodes)
  if (!last || keep(last.value)) return
  const match = /\.([”’»]?)$/.exec(last.value)
  if (match) last.value = last.value.slice(0, match.index) + (match[1] ?? '')
}

/**
 * Capitalises the first word, as Pandoc does for the text of a note made from a citation (citeproc's
 * `CapitalizeFirst`): only a word of lower-case letters alone ("iPad", "x2" and "l’’’" stay), only when nothing but
 * opening punctuation stands before it (not a space, a dash or a sentence's end), and not inside superscript,
 * subscript or small capitals, whose text Pandoc leaves as it is.
 */
export function capitalizeFirst(nodes: ElementContent[]): void {
  const first = firstText(nodes, true)
  if (!first || first.protected) return
  const match = /^([^\p{L}\p{N}\s.?!:\-/\u2013\u2014]*)([\p{L}\p{N}]+)/u.exec(first.node.value)
  const word = match?.[2]
  if (!match || !word || !/^\p{Ll}+$/u.test(word)) return
  const at = (match[1] ?? '').length
  first.node.value = first.node.value.slice(0, at) + word.charAt(0).toUpperCase() + first.node.value.slice(at + 1)
}

/** Elements whose text Pandoc's case changes leave alone. */
function caseProtected(node: Element): boolean {
  if (node.tagName === 'sup' || node.tagName === 'sub') return true
  const style = node.properties['style']
  return typeof style === 'string' && /small-caps/.test(style)
}

export function lastText(nodes: readonly ElementContent[]): Text | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]
    if (node?.type === 'text' && node.value.trim() !== '') return node
    if (node?.type === 'element') {
      const found = lastText(node.children)
      if (found) return found
    }
  }
  return undefined
}

function firstText(nodes: readonly ElementContent[], outside: boolean): { node: Text; protected: boolean } | undefined {
  for (const node of nodes) {
    if (node.type === 'text' && node.value.trim() !== '') return { node, protected: !outside }
    if (node.type === 'element') {
      const found = firstText(node.children, outside && !caseProtected(node))
      if (found) return found
    }
  }
  return undefined
}
