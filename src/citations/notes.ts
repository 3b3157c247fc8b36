// Pandoc's `deNote` and `addNote` for note styles: a citation written inside a footnote is formatted in place
// (in parentheses unless it opens the note); one in running text becomes a footnote of its own.
import type { ElementContent } from 'hast'
import { toString } from 'hast-util-to-string'
import type { Emphasis, FootnoteDefinition, FootnoteReference, PhrasingContent, RootContent } from 'mdast'
import { capitalizeFirst, removeFinalPeriod } from './cluster-html.js'
import { citeprocFragment } from './html-fragment.js'
import { setSpan, withUrlsLinked, type Context } from './insert.js'
import { mvPunctAfterAuthor, mvPunctBeforeNote } from './punctuation.js'
import type { Found } from './requests.js'

/**
 * A note-style citation written inside a footnote (Pandoc's `deNote`): one that opens the note stays as it is;
 * others go in parentheses without their final period; a narrative one is the author, a comma and the rest.
 */
export function deNote(citation: Found, nodes: ElementContent[], author: string, context: Context): void {
  const { node, note, parent } = citation
  const children = withUrlsLinked(nodes, context)
  if (node.mode === 'narrative') {
    // Pandoc's `needsPeriod`: keep the final period at the end of the paragraph or before a capital letter.
    let needsPeriod = true
    for (const next of parent.children.slice(parent.children.indexOf(node as RootContent) + 1)) {
      if (next.type === 'text' && next.value.trim() === '') continue
      needsPeriod = next.type === 'text' && /^\s*\p{Lu}/u.test(next.value)
      break
    }
    if (!needsPeriod) removeFinalPeriod(children, context.keepsPeriod)
    // No comma when the rest prints nothing (a short note's title suppressed with its author): "See also Wandt."
    const rest = toString({ type: 'root', children }).trim() !== ''
    const lead = author === '' ? [] : [...citeprocFragment(author), ...(rest ? [{ type: 'text', value: ', ' } satisfies ElementContent] : [])]
    setSpan(citation, [...lead, ...children])
    return
  }
  const paragraph = note?.children.length === 1 ? note.children[0] : undefined
  const opensNote = paragraph?.type === 'paragraph' && paragraph.children[0] === node
  if (opensNote) {
    setSpan(citation, children)
    return
  }
  removeFinalPeriod(children, context.keepsPeriod)
  // citeproc capitalises a note's opening "Ibid."; in the middle of a sentence it is "ibid.", as in Pandoc.
  const first = children[0]
  if (first?.type === 'text' && context.ibid && first.value.startsWith(capitalized(context.ibid))) {
    first.value = context.ibid + first.value.slice(context.ibid.length)
  }
  setSpan(citation, [{ type: 'text', value: '(' }, ...children, { type: 'text', value: ')' }])
}

/**
 * A note-style citation in running text becomes a footnote (its first letter capitalised, as Pandoc does). The
 * reference takes the place of the space before it, and punctuation right after it moves before it
 * (`notes-after-punctuation`, Pandoc's `mvPunct`); a narrative citation keeps the author in the text: "Doe,¹ …".
 */
export function addNote(citation: Found, index: number, nodes: ElementContent[], author: string | undefined, context: Context): FootnoteDefinition {
  const { node, parent } = citation
  const identifier = `galley-citation-${index + 1}`
  const reference: FootnoteReference = { type: 'footnoteReference', identifier, label: identifier }
  if (node.position) reference.position = node.position
  const at = parent.children.indexOf(node as RootContent)
  const before = parent.children[at - 1]
  const after = parent.children[at + 1]
  const inside: PhrasingContent[] = []
  const outside: PhrasingContent[] = []
  if (author !== undefined) {
    const authorNodes = citeprocFragment(author)
    inside.push(...carried(asMarkdownWouldMark(authorNodes)))
    const punctuation = mvPunctAfterAuthor(after, toString({ type: 'root', children: authorNodes }), context)
    if (punctuation) inside.push({ type: 'text', value: punctuation })
  } else {
    const moved = mvPunctBeforeNote(before, after, context)
    if (moved) outside.push({ type: 'text', value: moved })
  }
  inside.push(reference)
  // An emphasis node renamed to a span: an mdast parent whose children (the note reference) remark-rehype renders.
  const keys = node.items.map((item) => item.key).join(' ')
  const wrapper: Emphasis = { type: 'emphasis', children: inside, data: { hName: 'span', hProperties: { className: ['citation'], dataCites: keys } } }
  parent.children.splice(at, 1, ...([...outside, wrapper] as RootContent[]))
  const children = withUrlsLinked(nodes, context)
  capitalizeFirst(children)
  return { type: 'footnoteDefinition', identifier, label: identifier, children: [{ type: 'paragraph', children: [], data: { hChildren: children } }] }
}

/**
 * citeproc's markup of the part of a citation that stays in running text, as Markdown would mark that text: `<i>` as
 * `<em>`, `<b>` as `<strong>`, a styled span (small caps) with its style alone; other elements give their text.
 */
function asMarkdownWouldMark(nodes: readonly ElementContent[]): ElementContent[] {
  return nodes.flatMap((node): ElementContent[] => {
    if (node.type === 'text') return [{ type: 'text', value: node.value }]
    if (node.type !== 'element') return []
    const children = asMarkdownWouldMark(node.children)
    if (node.tagName === 'i' || node.tagName === 'em') return [{ type: 'element', tagName: 'em', properties: {}, children }]
    if (node.tagName === 'b' || node.tagName === 'strong') return [{ type: 'element', tagName: 'strong', properties: {}, children }]
    const style = node.properties['style']
    return typeof style === 'string' ? [{ type: 'element', tagName: 'span', properties: { style }, children }] : children
  })
}

/** hast in an mdast parent that must stay mdast (it holds a note reference): each element goes through remark-rehype as it is. */
function carried(nodes: readonly ElementContent[]): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    if (node.type === 'text') return [{ type: 'text', value: node.value }]
    if (node.type !== 'element') return []
    return [{ type: 'emphasis', children: [], data: { hName: node.tagName, hProperties: node.properties, hChildren: node.children } }]
  })
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
