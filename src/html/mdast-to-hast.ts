// How Galley's mdast becomes hast: remark-rehype's defaults plus Pandoc's figures, table captions, heading id texts, chapters, code blocks and callouts.
import type { Element, ElementContent, ElementData } from 'hast'
import type { Heading, Paragraph, Table } from 'mdast'
import { defaultHandlers, type Options, type State } from 'mdast-util-to-hast'
import type { CalloutTitles } from '../config/translations.js'
import type { Chapter, DefinitionDescription, DefinitionList, DefinitionTerm, DisplayMath, InlineMath } from '../markdown/types.js'
import { calloutHandler } from './callout.js'
import { codeBlock } from './code-block.js'

/**
 * A paragraph holding only an image with a description is a figure (Pandoc's implicit_figures): its caption is the
 * description as read by `remarkFigureCaptions` (or its plain text), and the image's `alt` the caption's text, as
 * Pandoc writes them.
 */
function paragraph(state: State, node: Paragraph): Element | ElementContent[] {
  const [first, second] = node.children
  const figureCaption = second?.type === 'figureCaption' ? second : undefined
  if (first?.type !== 'image' || !first.alt?.trim() || node.children.length !== (figureCaption ? 2 : 1)) {
    return defaultHandlers.paragraph(state, node)
  }
  const image = state.one(first, node) as Element
  const children: ElementContent[] = figureCaption ? state.all(figureCaption) : [{ type: 'text', value: first.alt }]
  image.properties['alt'] = plainText(children)
  return { type: 'element', tagName: 'figure', properties: {}, children: [image, { type: 'element', tagName: 'figcaption', properties: {}, children }] }
}

/** The text of a caption for an image's `alt`, as Pandoc writes it: note marks left out, white space as one space. */
function plainText(nodes: readonly ElementContent[]): string {
  const text = (list: readonly ElementContent[]): string =>
    list
      .map((node) => {
        if (node.type === 'text') return node.value
        if (node.type !== 'element' || (node.tagName === 'sup' && node.children.some(isNoteMark))) return ''
        return text(node.children)
      })
      .join('')
  return text(nodes).replace(/\s+/g, ' ').trim()
}

function isNoteMark(node: ElementContent): boolean {
  return node.type === 'element' && node.tagName === 'a' && node.properties['dataFootnoteRef'] !== undefined
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

/** The caption, the table's first child, is converted before the rows, so its notes are numbered first, as read. */
function table(state: State, node: Table): Element {
  const [first, ...rows] = node.children
  const caption = first?.type === 'tableCaption' ? state.all(first) : undefined
  // The rows alone, for the default handler: it takes the first child for the header row.
  const element = node.data?.headerRows === undefined ? defaultHandlers.table(state, caption ? { ...node, children: rows } : node) : spannedTable(state, node, caption ? rows : node.children)
  alignToStyle(element)
  if (caption) element.children.unshift({ type: 'element', tagName: 'caption', properties: {}, children: caption })
  return element
}

/**
 * A grid table with spans, as Pandoc 3 writes one: its header rows in `thead` (of `th`), the others in `tbody`, each
 * cell with its `colspan`/`rowspan` and its column's alignment (the default handler would pad every row to the columns).
 */
function spannedTable(state: State, node: Table, rows: Table['children']): Element {
  const headerRows = node.data?.headerRows ?? 0
  const align = node.align ?? []
  // For each column, how many more rows a cell from a row above still covers.
  let covered: number[] = []
  const converted = rows.flatMap((row, index): Element[] => {
    if (row.type !== 'tableRow') return []
    // Which column each cell starts in (for its alignment): the columns a cell from a row above covers are skipped.
    const next = covered.map((rows) => Math.max(0, rows - 1))
    let column = 0
    const cells = row.children.map((cell) => {
      while ((covered[column] ?? 0) > 0) column++
      const colSpan = Number(cell.data?.hProperties?.['colSpan'] ?? 1)
      const rowSpan = Number(cell.data?.hProperties?.['rowSpan'] ?? 1)
      const element: Element = { type: 'element', tagName: index < headerRows ? 'th' : 'td', properties: { ...(cell.data?.hProperties ?? {}) }, children: state.all(cell) }
      const cellAlign = align[column]
      if (cellAlign) element.properties['style'] = `text-align: ${cellAlign}`
      for (let spanned = column; spanned < column + colSpan; spanned++) next[spanned] = rowSpan - 1
      column += colSpan
      state.patch(cell, element)
      return element
    })
    covered = next
    const tr: Element = { type: 'element', tagName: 'tr', properties: {}, children: state.wrap(cells, true) }
    state.patch(row, tr)
    return [tr]
  })
  const sections: Element[] = []
  if (headerRows > 0) sections.push({ type: 'element', tagName: 'thead', properties: {}, children: state.wrap(converted.slice(0, headerRows), true) })
  sections.push({ type: 'element', tagName: 'tbody', properties: {}, children: state.wrap(converted.slice(headerRows), true) })
  const result: Element = { type: 'element', tagName: 'table', properties: {}, children: state.wrap(sections, true) }
  state.patch(node, result)
  return result
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

/** A heading, with the text its identifier is to be made from when the parse recorded one. */
function heading(state: State, node: Heading): Element {
  const element = defaultHandlers.heading(state, node)
  const idText = node.data?.idText
  // The cast: hast-util-from-parse5 declares `data.position` required on every element, which no element made here has.
  if (idText !== undefined) element.data = { ...element.data, idText } as ElementData
  return element
}

/**
 * A formula: the MathML made for it (`remarkMathToMathml`), or, where none was made, its TeX in code. A numbered
 * equation (`remarkCrossref`) is wrapped in a span with its label as id, as pandoc-crossref wraps it, its number
 * after the formula (set at the right by the style sheets; a second label's id on its own number).
 */
function math(_state: State, node: InlineMath | DisplayMath): ElementContent[] {
  const className = ['math', node.type === 'displayMath' ? 'display' : 'inline']
  const content: ElementContent[] = node.data?.mathml ?? [{ type: 'element', tagName: 'code', properties: { className }, children: [{ type: 'text', value: node.value }] }]
  const numbers = node.data?.numbers ?? []
  const [first] = numbers
  if (!first) return content
  const labels: ElementContent[] = numbers.map((number, index) => ({
    type: 'element',
    tagName: 'span',
    properties: { className: ['equation-number'], ...(index > 0 ? { id: number.label } : {}) },
    children: [{ type: 'text', value: `(${number.index})` }],
  }))
  const column: ElementContent = { type: 'element', tagName: 'span', properties: { className: ['equation-numbers'] }, children: labels }
  return [{ type: 'element', tagName: 'span', properties: { id: first.label, className: ['equation'] }, children: [...content, column] }]
}

/** A definition list as Pandoc writes it: `<dl>` of `<dt>` and `<dd>`. */
function definitionList(state: State, node: DefinitionList | DefinitionTerm): Element {
  const result: Element = { type: 'element', tagName: node.type === 'defList' ? 'dl' : 'dt', properties: {}, children: state.all(node) }
  state.patch(node, result)
  return result
}

/** A tight definition (no blank line before it) holds its text without a `<p>`, as Pandoc writes it. */
function definitionDescription(state: State, node: DefinitionDescription): Element {
  const children = state.all(node).flatMap((child) => (!node.spread && child.type === 'element' && child.tagName === 'p' ? child.children : [child]))
  const result: Element = { type: 'element', tagName: 'dd', properties: {}, children }
  state.patch(node, result)
  return result
}

/**
 * Options for remark-rehype. Footnote markup as Pandoc's (`fn1`, `fnref1` ids) so Pandoc CSS applies; callouts
 * without a title of their own get the kind's name in the document's language.
 */
export function toHastOptions(notesTitle: string, calloutTitles: Readonly<CalloutTitles>): Options {
  return {
    handlers: {
      paragraph,
      heading,
      table,
      chapter,
      inlineMath: math,
      displayMath: math,
      defList: definitionList,
      defListTerm: definitionList,
      defListDescription: definitionDescription,
      code: codeBlock,
      callout: calloutHandler(calloutTitles),
    } as Options['handlers'],
    clobberPrefix: '',
    footnoteLabel: notesTitle,
    footnoteLabelTagName: 'h1',
    footnoteLabelProperties: { className: ['footnotes-title', 'unnumbered'] },
    footnoteBackLabel: (reference) => `Back to reference ${reference + 1}`,
  }
}
