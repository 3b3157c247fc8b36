// Attaches Pandoc `Table: caption` (or `: caption`) paragraphs, above or below a table, to that table.
import type { Paragraph, Parent, Root, Table } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from '../tree-visit.js'
import type { DefinitionList, TableCaption } from './types.js'

const captionStart = /^(?:Table)?:[ \t]+/

/**
 * Tables in document order, each taking the caption above it, else the one below it, as Pandoc's table parser reads
 * a caption before the table first: a caption between two tables is the first table's, and of a caption above and
 * one below, the one above wins (the other stays a paragraph). A `: caption` line above a table after a blank line
 * reached us as a definition list (a paragraph, a blank line, then `: …` is a loose definition); Pandoc does not read
 * a definition list there (its `definitionList` looks ahead past the blank line for a table), so that list's term is
 * a paragraph again and its one definition the caption.
 */
export function remarkTableCaptions() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    visit(tree, (node) => {
      if (!('children' in node)) return
      const parent = node as Parent
      for (let i = 0; i < parent.children.length; i++) {
        const table = parent.children[i]
        if (table?.type !== 'table' || table.children[0]?.type === 'tableCaption') continue
        const above = parent.children[i - 1]
        const captionList = above?.type === 'defList' ? captionOf(above, source) : undefined
        if (above?.type === 'defList' && captionList) {
          attach(table, captionList.caption)
          parent.children.splice(i - 1, 1, captionList.paragraph)
          continue
        }
        for (const at of [i - 1, i + 1]) {
          const candidate = parent.children[at]
          if (candidate?.type === 'paragraph' && isCaption(candidate)) {
            stripMarker(candidate)
            attach(table, candidate)
            parent.children.splice(at, 1)
            if (at < i) i -= 1
            break
          }
        }
      }
    })
  }
}

/**
 * The paragraph and the caption a definition list stands for when it is one term, a blank line and one `: line`
 * (a `~` definition stays one: a caption starts with `:`).
 */
function captionOf(list: DefinitionList, source: string): { paragraph: Paragraph; caption: Paragraph } | undefined {
  const [term, description, ...rest] = list.children
  if (rest.length > 0 || term?.type !== 'defListTerm' || description?.type !== 'defListDescription' || !description.spread) return undefined
  const start = description.position?.start.offset
  if (start === undefined || !source.slice(source.lastIndexOf('\n', start - 1) + 1, start).trimStart().startsWith(':')) return undefined
  const [caption, ...more] = description.children
  if (more.length > 0 || caption?.type !== 'paragraph') return undefined
  const paragraph: Paragraph = { type: 'paragraph', children: term.children }
  if (term.position) paragraph.position = term.position
  return { paragraph, caption }
}

const tableLabel = /[ \t]*\\label\{((?:tab|tbl)[:-][^{}\s]+)\}/

/**
 * `: Caption \label{tab:x}`, as JOSS papers and other Markdown written for LaTeX label a table (`tbl:` is
 * pandoc-crossref's prefix, `tab:` LaTeX users'): the table's label, as `{#tbl:x}` would give it, so `\autoref{tab:x}`,
 * `\ref{tab:x}` and `@tab:x` number it instead of printing "¿tab:x?"; the `\label` leaves the caption (Pandoc drops
 * it as raw TeX). Runs before the raw TeX pass, on the paragraphs next to a table that read as its caption (the one
 * above first, as `remarkTableCaptions` takes them); a table that has an identifier keeps it.
 */
export function remarkTableLabels() {
  return (tree: Root): void => {
    visit(tree, (node) => {
      if (!('children' in node)) return
      const parent = node as Parent
      for (const [index, table] of parent.children.entries()) {
        if (table.type !== 'table' || table.data?.hProperties?.['id'] !== undefined) continue
        const above = parent.children[index - 1]
        const below = parent.children[index + 1]
        const candidates = [
          ...(above?.type === 'defList' ? above.children.flatMap((item) => (item.type === 'defListDescription' ? item.children : [])) : []),
          ...(above?.type === 'paragraph' && isCaption(above) ? [above] : []),
          ...(below?.type === 'paragraph' && isCaption(below) ? [below] : []),
        ]
        for (const candidate of candidates) {
          const label = candidate.type === 'paragraph' ? takeLabel(candidate) : undefined
          if (!label) continue
          table.data = { ...table.data, hProperties: { ...table.data?.hProperties, id: label } }
          break
        }
      }
    })
  }
}

/** The table label in a caption paragraph's text (or its last empty span), taken out of it. */
function takeLabel(paragraph: Paragraph): string | undefined {
  const spanLabel = takeSpanLabel(paragraph)
  if (spanLabel) return spanLabel
  for (const child of paragraph.children) {
    if (child.type !== 'text') continue
    const label = tableLabel.exec(child.value)?.[1]
    if (!label) continue
    child.value = child.value.replace(tableLabel, '')
    return label
  }
  return undefined
}

const spanLabel = /^(?:tab|tbl)[:-]\S/

/**
 * A caption that ends in an empty span holding the label, as two widely copied conventions write it: the lua-filters
 * `table-short-captions` filter, run before pandoc-crossref (`: Caption []{#tbl:x short-caption="…"}`), and the
 * Open Journals' JOSS template (`[]{label="tab:x"}`). The span leaves the caption; its other attributes go with it
 * (a short caption is for a LaTeX list of tables).
 */
function takeSpanLabel(paragraph: Paragraph): string | undefined {
  const last = paragraph.children.at(-1)
  if (last?.type !== 'emphasis' || last.data?.hName !== 'span' || last.children.some((child) => child.type !== 'text' || child.value.trim() !== '')) return undefined
  const properties = last.data.hProperties ?? {}
  const label = [properties['id'], properties['data-label']].find((value): value is string => typeof value === 'string' && spanLabel.test(value))
  if (!label) return undefined
  paragraph.children.pop()
  const before = paragraph.children.at(-1)
  if (before?.type === 'text') {
    before.value = before.value.trimEnd()
    if (before.value === '') paragraph.children.pop()
  }
  return label
}

function isCaption(paragraph: Paragraph): boolean {
  if (paragraph.data?.tableCaption) return true
  const first = paragraph.children[0]
  return first?.type === 'text' && captionStart.test(first.value)
}

function stripMarker(paragraph: Paragraph): void {
  if (paragraph.data?.tableCaption) return // Its marker went with the definition list it was read as.
  const first = paragraph.children[0]
  if (first?.type === 'text') first.value = first.value.replace(captionStart, '')
  if (first?.type === 'text' && first.value === '') paragraph.children.shift()
}

function attach(table: Table, paragraph: Paragraph): void {
  // Inside the table, where every later walk meets it before the rows, as Pandoc reads a table.
  const caption: TableCaption = { type: 'tableCaption', children: paragraph.children }
  if (paragraph.position) caption.position = paragraph.position
  table.children.unshift(caption)
}
