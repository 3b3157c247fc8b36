// How Galley's mdast becomes hast: remark-rehype's defaults plus Pandoc's figures, table captions and chapters.
import type { Element, ElementContent } from 'hast'
import type { Image, Paragraph, Table } from 'mdast'
import { defaultHandlers, type Options, type State } from 'mdast-util-to-hast'
import type { Chapter } from '../markdown/types.js'

/** A paragraph holding only an image with a description is a figure with a caption (Pandoc's implicit_figures). */
function paragraph(state: State, node: Paragraph): Element | ElementContent[] {
  const only = node.children.length === 1 ? node.children[0] : undefined
  if (only?.type !== 'image' || only.alt === null || only.alt === undefined || only.alt.trim() === '') {
    return defaultHandlers.paragraph(state, node)
  }
  const image = state.one(only, node) as Element
  return { type: 'element', tagName: 'figure', properties: {}, children: [image, caption('figcaption', (only as Image).alt ?? '')] }
}

function caption(tagName: string, text: string): Element {
  return { type: 'element', tagName, properties: {}, children: [{ type: 'text', value: text }] }
}

/** GFM column alignment as CSS: the `align` attribute is obsolete in HTML5 and invalid in EPUB 3. */
function alignToStyle(element: Element): void {
  for (const child of element.children) {
    if (child.type !== 'element') continue
    const align = child.properties['align']
    if ((child.tagName === 'td' || child.tagName === 'th') && typeof align === 'string') {
      delete child.properties['align']
      child.properties['style'] = `text-align: ${align}`
    }
    alignToStyle(child)
  }
}

/** The caption is converted before the cells, so that its notes are numbered first: the citations stage reads it first too. */
function table(state: State, node: Table): Element {
  const captionParagraph = node.data?.caption
  const caption = captionParagraph && state.all(captionParagraph)
  const element = defaultHandlers.table(state, node)
  alignToStyle(element)
  if (caption) element.children.unshift({ type: 'element', tagName: 'caption', properties: {}, children: caption })
  return element
}

function chapter(state: State, node: Chapter): Element {
  const result: Element = {
    type: 'element',
    tagName: 'section',
    properties: { className: ['chapter'], id: `chapter-${node.data.index + 1}`, dataSource: node.data.file.basename ?? '' },
    children: state.all(node),
  }
  state.patch(node, result)
  return result
}

/** Options for remark-rehype. Footnote markup as Pandoc's (`fn1`, `fnref1` ids) so Pandoc CSS applies. */
export function toHastOptions(notesTitle: string): Options {
  return {
    handlers: { paragraph, table, chapter } as Options['handlers'],
    clobberPrefix: '',
    footnoteLabel: notesTitle,
    footnoteLabelTagName: 'h1',
    footnoteLabelProperties: { className: ['footnotes-title', 'unnumbered'] },
    footnoteBackLabel: (reference) => `Back to reference ${reference + 1}`,
  }
}
