// A callout as HTML: `div.callout.callout-KIND[role=note]`, its title (the author's, or the kind's name in the
// document's language) in `p.callout-title`, then its content; the same markup in print and EPUB.
import type { Element, ElementContent, Properties } from 'hast'
import type { State } from 'mdast-util-to-hast'
import { toString } from 'mdast-util-to-string'
import type { CalloutTitles } from '../config/translations.js'
import type { Callout } from '../markdown/types.js'

/** Callouts with less text than this (about ten lines) are kept on one page in print (`.short`). */
const shortCalloutCharacters = 600

/** The handler for `callout` nodes, with the default titles of the document's language. */
export function calloutHandler(titles: Readonly<CalloutTitles>) {
  return (state: State, node: Callout): Element => {
    const [first, ...rest] = node.children
    const own = first?.type === 'calloutTitle' ? first : undefined
    const title: ElementContent[] = own ? state.all(own) : [{ type: 'text', value: titles[node.kind] }]
    const body = state.all({ type: 'blockquote', children: own ? rest : node.children } as import('mdast').Blockquote)
    const properties: Properties = { ...(node.data?.hProperties ?? { className: ['callout', `callout-${node.kind}`] }), role: 'note' }
    if (toString(node).length < shortCalloutCharacters) properties['className'] = [...(Array.isArray(properties['className']) ? properties['className'] : []), 'short']
    const element: Element = {
      type: 'element',
      tagName: 'div',
      properties,
      children: [
        { type: 'element', tagName: 'p', properties: { className: ['callout-title'] }, children: [{ type: 'element', tagName: 'strong', properties: {}, children: title }] },
        // The content follows the title directly, as in a plain fenced div: the print layout pass splits a long
        // callout between its paragraphs as it splits any div (a wrapper inside it cost it whole pages).
        { type: 'text', value: '\n' },
        ...state.wrap(body, false),
      ],
    }
    state.patch(node, element)
    return element
  }
}
