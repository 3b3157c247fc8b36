// Pandoc's implicit_header_references: `[Heading text]`, `[Heading text][]` and `[link text][Heading text]` link to
// the heading, as if a reference were defined for each heading. Run once the headings have their ids.
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { SKIP, visit } from '../tree-visit.js'

const heading = /^h[1-6]$/
/** Where brackets are not link syntax, or a link would nest. */
const literal = new Set(['a', 'code', 'pre', 'math', 'script', 'style', 'kbd', 'samp'])
/** `[text][label]`, `[label][]` or `[label]` not followed by `(`, `[` or `{` (an inline link, a reference, attributes). */
const reference = /\[([^[\]]+)\](?:\[([^[\]]*)\]|(?![([{]))/g
/** A code span in the text a run of nodes is read as: its place in the run, between two private-use characters. */
const codeMark = /\uE000(\d+)\uE001/g

/** A reference label as Pandoc (and CommonMark) match them: case and runs of white space do not count. */
export function referenceLabel(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase()
}

/**
 * Turns the bracketed text that names a heading into a link to it. A label is read as written, so a code span in it
 * is its backticked text (`[Variables for \`wkhtmltopdf\`]`); it names the first heading with that text (as Pandoc's
 * manual says). Reference definitions in the Markdown were resolved by the parse already and take precedence.
 */
export function rehypeHeadingReferences() {
  return (tree: Root): void => {
    const ids = new Map<string, string>()
    visit(tree, 'element', (node) => {
      const id = node.properties['id']
      if (!heading.test(node.tagName) || typeof id !== 'string') return
      const label = referenceLabel(asWritten(node.children))
      if (label !== '' && !ids.has(label)) ids.set(label, id)
    })
    if (ids.size === 0) return
    visit(tree, 'element', (node) => {
      if (literal.has(node.tagName) || heading.test(node.tagName)) return SKIP
      if (node.children.some((child) => child.type === 'text' && child.value.includes('['))) node.children = withLinks(node.children, ids)
      return undefined
    })
  }
}

/** Text as its Markdown was written, near enough for a label: code spans in backticks. */
function asWritten(nodes: readonly (ElementContent | RootContent)[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') return node.value
      if (node.type !== 'element') return ''
      return node.tagName === 'code' ? `\`${asWritten(node.children)}\`` : asWritten(node.children)
    })
    .join('')
}

/** The children with every run of text and code spans searched for references to headings. */
function withLinks(children: ElementContent[], ids: ReadonlyMap<string, string>): ElementContent[] {
  const result: ElementContent[] = []
  let run: ElementContent[] = []
  const flush = (): void => {
    result.push(...linkRun(run, ids))
    run = []
  }
  for (const child of children) {
    if (child.type === 'text' || (child.type === 'element' && child.tagName === 'code')) run.push(child)
    else {
      flush()
      result.push(child)
    }
  }
  flush()
  return result
}

/** One run of text and code spans, its references to headings made links. */
function linkRun(run: ElementContent[], ids: ReadonlyMap<string, string>): ElementContent[] {
  if (!run.some((node) => node.type === 'text' && node.value.includes('['))) return run
  const codes = run.filter((node): node is Element => node.type === 'element')
  const text = run.map((node) => (node.type === 'text' ? node.value : `\uE000${codes.indexOf(node as Element)}\uE001`)).join('')
  const restore = (piece: string): ElementContent[] =>
    piece
      .split(/(\uE000\d+\uE001)/)
      .filter((part) => part !== '')
      .map((part) => {
        const code = /^\uE000(\d+)\uE001$/.exec(part)
        return code ? (codes[Number(code[1])] as Element) : { type: 'text', value: part }
      })
  const written = (piece: string): string => piece.replace(codeMark, (_, index: string) => `\`${asWritten(codes[Number(index)]?.children ?? [])}\``)
  const pieces: ElementContent[] = []
  let last = 0
  for (const match of text.matchAll(reference)) {
    const [whole, first = '', second] = match
    const id = ids.get(referenceLabel(written(second === undefined || second === '' ? first : second)))
    if (id === undefined) continue
    pieces.push(...restore(text.slice(last, match.index)), { type: 'element', tagName: 'a', properties: { href: `#${id}` }, children: restore(first) })
    last = match.index + whole.length
  }
  if (pieces.length === 0) return run
  return [...pieces, ...restore(text.slice(last))]
}
