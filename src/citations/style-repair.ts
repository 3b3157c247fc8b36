// Takes out of a CSL style what citeproc-js stops on but Pandoc passes over: rendering elements outside a layout.

export interface StrayElement {
  /** The element's name, as written. */
  name: string
  parent: 'citation' | 'bibliography'
  /** Where it starts in the style's text. */
  offset: number
}

/**
 * A `cs:citation` or `cs:bibliography` holds `cs:sort` and `cs:layout` only. An element beside them (`<citation>
 * <text macro="author"/><layout>…`, seen in jgm/citeproc's test of names substitution) is ignored by Pandoc, while
 * citeproc-js stopped on it with "Cannot read properties of undefined (reading 'indexOf')" for every entry. Such
 * elements are removed, and returned so that the build can say so.
 */
export function removeStrayElements(xml: string): { xml: string; removed: StrayElement[] } {
  const removed: StrayElement[] = []
  const spans: [number, number][] = []
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g
  /** Open elements, with where each began. */
  const open: { name: string; at: number }[] = []
  for (let match = token.exec(xml); match; match = token.exec(xml)) {
    const [whole, closing, name, selfClosing] = match
    if (name === undefined) continue
    const inside = open.at(-1)?.name
    const parent = inside === 'citation' || inside === 'bibliography' ? inside : undefined
    const stray = parent !== undefined && !closing && name !== 'sort' && name !== 'layout'
    if (stray) removed.push({ name, parent, offset: match.index })
    if (closing) {
      const element = open.pop()
      if (element?.name !== name) return { xml, removed: [] } // Not well formed: `checkStyleXml` says where.
      const around = open.at(-1)?.name
      if ((around === 'citation' || around === 'bibliography') && element.name !== 'sort' && element.name !== 'layout') {
        spans.push([element.at, match.index + whole.length])
      }
    } else if (selfClosing) {
      if (stray) spans.push([match.index, match.index + whole.length])
    } else {
      open.push({ name, at: match.index })
    }
  }
  if (spans.length === 0) return { xml, removed }
  let result = ''
  let from = 0
  for (const [start, end] of spans) {
    result += xml.slice(from, start)
    from = end
  }
  return { xml: result + xml.slice(from), removed }
}
