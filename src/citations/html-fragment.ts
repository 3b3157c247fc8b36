// citeproc-js writes a small, regular subset of HTML. Reading it with a full HTML parser (parse5) costs more than
// everything else a warm build does with citations; this reads that subset directly and gives up (returns undefined)
// on anything outside it, so the caller can fall back to the full parser. The tree is the one parse5 would give.
import type { Element, ElementContent, Properties, Root } from 'hast'
import { fromParse5 } from 'hast-util-from-parse5'
import { createRequire } from 'node:module'

const inline = new Set(['i', 'b', 'em', 'strong', 'span', 'sup', 'sub', 'a', 'br'])
const known = new Set([...inline, 'div'])
const tag = /^<(\/?)([a-z]+)((?:\s+[a-z-]+="[^"<>&]*")*)\s*(\/?)>/
const attribute = /\s+([a-z-]+)="([^"]*)"/g
const named = new Map(Object.entries({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' }))

/** The hast children of an HTML fragment in citeproc's subset, or undefined when it is outside the subset. */
export function readCiteprocHtml(html: string): ElementContent[] | undefined {
  // parse5 rewrites these; leave them to it.
  if (/[\r\0]/.test(html)) return undefined
  const root: { children: ElementContent[] } = { children: [] }
  const open: Element[] = []
  const parent = (): { children: ElementContent[] } => open.at(-1) ?? root
  let text = ''
  const flush = (): void => {
    if (text === '') return
    parent().children.push({ type: 'text', value: text })
    text = ''
  }
  let at = 0
  while (at < html.length) {
    const char = html[at] as string
    if (char === '<') {
      const match = tag.exec(html.slice(at, at + 400))
      if (!match) return undefined
      const [whole, closing, name = '', attributes = '', selfClosing] = match
      if (!known.has(name)) return undefined
      flush()
      if (closing) {
        if (attributes !== '' || selfClosing || open.at(-1)?.tagName !== name) return undefined
        open.pop()
      } else {
        // Block inside inline, or a link in a link: parse5 restructures these.
        if (name === 'div' && open.some((element) => inline.has(element.tagName))) return undefined
        if (name === 'a' && open.some((element) => element.tagName === 'a')) return undefined
        const props = properties(attributes)
        if (!props) return undefined
        const element: Element = { type: 'element', tagName: name, properties: props, children: [] }
        parent().children.push(element)
        if (name === 'br') {
          if (attributes !== '') return undefined
        } else if (selfClosing) {
          return undefined
        } else {
          open.push(element)
        }
      }
      at += whole.length
    } else if (char === '&') {
      const match = /^&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-z]+));/.exec(html.slice(at, at + 12))
      if (!match) return undefined
      const [whole, decimal, hex, name] = match
      if (name !== undefined) {
        const value = named.get(name)
        if (value === undefined) return undefined
        text += value
      } else {
        const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16)
        // Controls, surrogates and out-of-range numbers get parse5's special treatment.
        if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return undefined
        text += String.fromCodePoint(code)
      }
      at += whole.length
    } else {
      const next = html.slice(at).search(/[<&]/)
      const end = next === -1 ? html.length : at + next
      text += html.slice(at, end)
      at = end
    }
  }
  if (open.length > 0) return undefined
  flush()
  return root.children
}

/** Attributes as hast properties, for the few that citeproc writes; undefined for any other, or a repeated one. */
function properties(attributes: string): Properties | undefined {
  const result: Properties = {}
  for (const [, name = '', value = ''] of attributes.matchAll(attribute)) {
    const key = name === 'class' ? 'className' : name
    if (!['className', 'style', 'href', 'id', 'title'].includes(key) || key in result) return undefined
    result[key] = key === 'className' ? value.split(/[ \t\n\f]+/).filter(Boolean) : value
  }
  return result
}

/**
 * citeproc's HTML as hast: its usual subset read directly, anything else by parse5. parse5 is loaded only then, with
 * `require`: it and its entity tables are a third of Galley's code by size, and most builds never need it.
 */
export function citeprocFragment(html: string): ElementContent[] {
  // Without scripting, as hast-util-from-html reads HTML.
  return readCiteprocHtml(html) ?? ((fromParse5(loadParse5().parseFragment(html, { scriptingEnabled: false })) as Root).children as ElementContent[])
}

let parse5: typeof import('parse5') | undefined
function loadParse5(): typeof import('parse5') {
  parse5 ??= createRequire(import.meta.url)('parse5') as typeof import('parse5')
  return parse5
}
