// Pandoc's inline notes `^[…]` and bracketed spans `[…]{.smallcaps}`: brackets CommonMark left as text, matched and made notes and spans.
import type { Emphasis, FootnoteDefinition, FootnoteReference, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast'
import type { Position } from 'unist'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { visit } from '../tree-visit.js'
import { parseAttributes, safeProperties } from './attributes.js'
import { alignToSource } from './remark-pandoc-citations.js'

/** Span classes Pandoc's HTML writer writes as elements of their own. */
const classElements: Record<string, string> = { underline: 'u', mark: 'mark' }

/** An open bracket: where its content starts in the output being built, and whether it opened a note (`^[`). */
interface Frame {
  note: boolean
  at: number
  start: number | undefined
}

/**
 * Reads each parent's text children once, left to right, keeping a stack of open brackets (an escaped `\[` or `\]`
 * is text). A `]` closing `^[` makes a note whose content is everything between (Markdown, citations and all: the
 * content was already parsed as the paragraph's); a `]` directly followed by an attribute block `{#id .class
 * key=value}` makes a span. Other brackets stay text. Links and images are nodes already, so their brackets are not
 * seen. Runs before the citation reader, as Pandoc reads notes and spans first: `[@doe]{.x}` is a span around a
 * narrative citation, and `^[see @doe]` a note holding one. The notes' definitions go to the end of the tree, where
 * remark-rehype finds them; they are numbered where referenced, in order with the other notes.
 */
export function remarkBrackets() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!source.includes('[')) return
    const place = location(file)
    const made = new WeakSet<object>()
    const definitions: FootnoteDefinition[] = []
    const context: Context = { source, place, made, definitions, file }
    visit(tree, (node) => {
      if (made.has(node) || !('children' in node)) return
      const parent = node as Parent
      // Brackets that nothing closes stay text as they are: not rebuilt piece by piece (a paragraph of `[^` lines).
      const texts = parent.children.filter((child): child is Text => child.type === 'text')
      if (!texts.some((child) => child.value.includes('[')) || !texts.some((child) => child.value.includes(']'))) return
      const children = rewrite(parent.children as PhrasingContent[], context)
      if (children) parent.children = children as Parent['children']
    })
    tree.children.push(...(definitions as RootContent[]))
  }
}

interface Context {
  source: string
  place: ReturnType<typeof location>
  made: WeakSet<object>
  definitions: FootnoteDefinition[]
  file: VFile
}

function rewrite(children: readonly PhrasingContent[], context: Context): PhrasingContent[] | undefined {
  const output: PhrasingContent[] = []
  const stack: Frame[] = []
  // Notes do not nest (a `^[` inside a note is a bracket), as in Pandoc's reader, which reads no note inside a note.
  let openNotes = 0
  let changed = false
  for (let index = 0; index < children.length; index++) {
    const child = children[index]
    if (!child) continue
    if (child.type !== 'text' || !/[[\]]/.test(child.value)) {
      output.push(child)
      continue
    }
    const text = child
    const start = text.position?.start.offset
    const end = text.position?.end.offset
    const alignment = start === undefined || end === undefined ? undefined : alignToSource(text.value, context.source.slice(start, end), start)
    const offsetAt = (at: number): number | undefined => (at >= text.value.length ? end : alignment?.offset[at])
    const escaped = (at: number): boolean => alignment?.escaped[at] === true
    const piece = (from: number, to: number): void => {
      if (to <= from) return
      output.push({ type: 'text', value: text.value.slice(from, to), ...positioned(offsetAt(from), offsetAt(to), context) })
    }
    let from = 0
    for (let at = 0; at < text.value.length; at++) {
      const char = text.value[at]
      if ((char !== '[' && char !== ']') || escaped(at)) continue
      if (char === '[') {
        const note = at > 0 && text.value[at - 1] === '^' && !escaped(at - 1) && openNotes === 0
        if (note) openNotes++
        piece(from, note ? at - 1 : at)
        const start = offsetAt(note ? at - 1 : at)
        stack.push({ note, at: output.length, start })
        // The bracket as text, in place: it stays so unless the bracket makes a note or span (no splice per bracket).
        output.push({ type: 'text', value: note ? '^[' : '[', ...positioned(start, start === undefined ? undefined : start + (note ? 2 : 1), context) })
        from = at + 1
        continue
      }
      const frame = stack.pop()
      if (!frame) continue
      piece(from, at)
      from = at + 1
      const closeEnd = offsetAt(at + 1)
      if (frame.note) {
        openNotes--
        output.splice(frame.at, output.length - frame.at, note(output.slice(frame.at + 1), frame.start, closeEnd, context))
        changed = true
        continue
      }
      const attributes = /^\{([^{}]*)\}/.exec(text.value.slice(at + 1))
      const properties = attributes?.[1] === undefined ? undefined : parseAttributes(attributes[1])
      if (!attributes || !properties) {
        // A plain bracket pair: its brackets stay where they were, as text.
        output.push({ type: 'text', value: ']', ...positioned(offsetAt(at), closeEnd, context) })
        continue
      }
      from = at + 1 + attributes[0].length
      output.splice(frame.at, output.length - frame.at, span(output.slice(frame.at + 1), properties, frame.start, offsetAt(from), context))
      changed = true
      at = from - 1
    }
    piece(from, text.value.length)
  }
  // Brackets never closed are text already, where they opened.
  return changed ? mergeTexts(output) : undefined
}

function note(content: PhrasingContent[], start: number | undefined, end: number | undefined, context: Context): FootnoteReference {
  const identifier = `galley-inline-note-${context.definitions.length + 1}`
  const position = positioned(start, end, context)
  const paragraph = { type: 'paragraph' as const, children: mergeTexts(content), ...position }
  context.definitions.push({ type: 'footnoteDefinition', identifier, label: identifier, children: [paragraph], ...position })
  return { type: 'footnoteReference', identifier, label: identifier, ...position }
}

/** A span as Pandoc's HTML writer makes it: `<span>`, or `<u>`/`<mark>` for its classes `underline` and `mark`. */
function span(content: PhrasingContent[], properties: ReturnType<typeof parseAttributes> & object, start: number | undefined, end: number | undefined, context: Context): Emphasis {
  const classes = [properties['className'] ?? []].flat().map(String)
  const special = classes.find((name) => name in classElements)
  const rest = special ? classes.filter((name) => name !== special) : classes
  const safe = safeProperties({ ...properties, ...(rest.length > 0 ? { className: rest } : {}) })
  if (rest.length === 0) delete safe['className']
  // An emphasis node renamed: an mdast parent remark-rehype renders with the given element name.
  const node: Emphasis = { type: 'emphasis', children: mergeTexts(content), data: { hName: (special && classElements[special]) || 'span', hProperties: safe }, ...positioned(start, end, context) }
  context.made.add(node)
  return node
}

function positioned(start: number | undefined, end: number | undefined, context: Context): { position?: Position } {
  if (start === undefined || end === undefined) return {}
  const from = context.place.toPoint(start)
  const to = context.place.toPoint(end)
  return from && to ? { position: { start: { ...from, offset: start }, end: { ...to, offset: end } } } : {}
}

/** Adjacent text nodes joined (positions kept when both have them), as a parser would have given them. */
function mergeTexts(nodes: PhrasingContent[]): PhrasingContent[] {
  const merged: PhrasingContent[] = []
  for (const node of nodes) {
    const last = merged.at(-1)
    if (node.type === 'text' && last?.type === 'text') {
      const joined: Text = { type: 'text', value: last.value + node.value }
      if (last.position && node.position && last.position.end.offset === node.position.start.offset) joined.position = { start: last.position.start, end: node.position.end }
      merged[merged.length - 1] = joined
    } else if (node.type !== 'text' || node.value !== '') {
      merged.push(node)
    }
  }
  return merged
}
