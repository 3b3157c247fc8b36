// Formats every citation of the whole book in one citeproc pass and puts the bibliography in place (a tree-to-tree pass).
import type { Element, ElementContent } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import type { FootnoteDefinition, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast'
import type { Point } from 'unist'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import type { Citation } from '../markdown/types.js'
import type { Bibliography } from './bibliography.js'
import { CslEngine, type CiteRequest, type ClusterRequest } from './csl-engine.js'
import { locatorTerms, splitSuffix } from './locators.js'

export interface Options {
  metadata: Metadata
  bibliography: Bibliography
  styleXml: string
  /** Locale XML for a language tag, or undefined (the CLI has already warned about the fallback). */
  retrieveLocale: (lang: string) => string | undefined
}

/** A citation found in the tree, with what is needed to put its formatted text back. */
interface Found {
  node: Citation
  parent: Parent
  file: VFile
  /** Whether the citation is written inside a footnote. */
  inNote: boolean
  known: CiteRequest[]
  unknown: string[]
}

const source = 'galley:citations'

export function remarkCitations(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const { metadata, bibliography } = options
    const terms = locatorTerms(options.retrieveLocale(metadata.lang))
    const events = collect(tree, file)
    const found = events.flatMap((event) => (event.kind === 'citation' ? [event.citation] : []))
    for (const citation of found) {
      for (const item of citation.node.items) {
        if (bibliography.items.has(item.key)) {
          const { locator, label, suffix } = splitSuffix(item.suffix, terms)
          const request: CiteRequest = { id: item.key, suppressAuthor: item.suppressAuthor }
          if (item.prefix) request.prefix = `${item.prefix} `
          if (suffix) request.suffix = suffix
          if (locator !== undefined) request.locator = locator
          if (label !== undefined) request.label = label
          citation.known.push(request)
        } else {
          citation.unknown.push(item.key)
          citation.file.message(`Citation key "${item.key}" not found`, {
            place: pointOf(item.start),
            ruleId: 'missing-citation-key',
            source,
          })
        }
      }
    }
    const cited = new Set(found.flatMap((citation) => citation.known.map((item) => item.id)))
    const uncited = nociteKeys(metadata.nocite, bibliography, cited, file)
    if (cited.size === 0 && uncited.length === 0) {
      for (const citation of found) render(citation, undefined, options)
      return
    }

    const engine = new CslEngine({ styleXml: options.styleXml, lang: metadata.lang, items: bibliography.items, retrieveLocale: options.retrieveLocale })
    const noteStyle = engine.isNoteStyle
    // Note numbers are shared with Markdown footnotes: each citation in running text of a note style becomes a note.
    const clusters: ClusterRequest[] = []
    const noteOf = numberNotes(events, noteStyle)
    found.forEach((citation, index) => {
      if (citation.known.length === 0) return
      const narrative = citation.node.mode === 'narrative'
      const items = narrative && noteStyle ? citation.known.map((item) => ({ ...item, suppressAuthor: true })) : citation.known
      const cluster: ClusterRequest = { id: `c${index}`, items, noteIndex: noteOf.get(citation) ?? 0 }
      if (narrative && !noteStyle) cluster.mode = 'composite'
      clusters.push(cluster)
    })
    const formatted = engine.formatDocument(clusters, uncited)
    const notes: FootnoteDefinition[] = []
    found.forEach((citation, index) => {
      const html = formatted.clusters.get(`c${index}`)
      const narrativeAuthor =
        citation.node.mode === 'narrative' && noteStyle && citation.known[0] ? engine.authorOnly(citation.known[0]) : undefined
      const asNote = noteStyle && !citation.inNote && html !== undefined
      render(citation, html, options)
      if (asNote) notes.push(moveIntoNote(citation, index, narrativeAuthor, metadata.notesAfterPunctuation))
    })
    tree.children.push(...notes)
    if (!metadata.suppressBibliography) placeBibliography(tree, formatted, options)
  }
}

/** What the reading order holds, for numbering notes: a Markdown footnote, or a citation. */
type Event = { kind: 'footnote' } | { kind: 'citation'; citation: Found }

/** Every citation in reading order; a footnote's citations come where the footnote is first referenced. */
function collect(tree: Root, bookFile: VFile): Event[] {
  const definitions = new Map<string, FootnoteDefinition>()
  visit(tree, 'footnoteDefinition', (node) => {
    definitions.set(node.identifier, node)
  })
  const seen = new Set<string>()
  const events: Event[] = []
  const walk = (parent: Parent, file: VFile, inNote: boolean): void => {
    for (const child of parent.children) {
      if (child.type === 'citation') {
        events.push({ kind: 'citation', citation: { node: child, parent, file, inNote, known: [], unknown: [] } })
      } else if (child.type === 'footnoteReference') {
        const definition = definitions.get(child.identifier)
        if (definition && !seen.has(child.identifier)) {
          seen.add(child.identifier)
          events.push({ kind: 'footnote' })
          walk(definition, file, true)
        }
      } else if (child.type === 'chapter') {
        walk(child, child.data.file, inNote)
      } else if (child.type !== 'footnoteDefinition' && 'children' in child) {
        walk(child, file, inNote)
      }
    }
  }
  walk(tree, bookFile, false)
  return events
}

/**
 * The note number of each citation: Markdown footnotes and note-style citations in running text share one
 * sequence in reading order, as remark-rehype will number them; a citation inside a footnote takes its number.
 */
function numberNotes(events: readonly Event[], noteStyle: boolean): Map<Found, number> {
  const numbers = new Map<Found, number>()
  let counter = 0
  for (const event of events) {
    if (event.kind === 'footnote') counter += 1
    else if (event.citation.inNote) numbers.set(event.citation, counter)
    else if (noteStyle && event.citation.known.length > 0) numbers.set(event.citation, ++counter)
  }
  return numbers
}

function nociteKeys(nocite: readonly string[], bibliography: Bibliography, cited: ReadonlySet<string>, file: VFile): string[] {
  const keys: string[] = []
  for (const entry of nocite) {
    const key = entry.replace(/^@/, '')
    if (key === '*') keys.push(...[...bibliography.items.keys()].filter((id) => !cited.has(id)))
    else if (bibliography.items.has(key)) keys.push(key)
    else file.message(`nocite key "${key}" not found in the bibliography`, { ruleId: 'missing-citation-key', source })
  }
  return [...new Set(keys)]
}

/** Gives the citation node its formatted HTML (or, for unknown keys, a visible `key?`) as hast children. */
function render(citation: Found, html: string | undefined, options: Readonly<Options>): void {
  const children: ElementContent[] = html === undefined ? [] : fragment(html)
  for (const key of citation.unknown) {
    if (children.length > 0) children.push({ type: 'text', value: '; ' })
    children.push({ type: 'element', tagName: 'strong', properties: { className: ['citation-missing'] }, children: [{ type: 'text', value: `${key}?` }] })
  }
  const keys = citation.node.items.map((item) => item.key)
  const first = citation.known[0]
  const linked =
    options.metadata.linkCitations && citation.known.length === 1 && first && html !== undefined
      ? [{ type: 'element', tagName: 'a', properties: { href: `#ref-${first.id}`, role: 'doc-biblioref' }, children } satisfies Element]
      : children
  citation.node.data = {
    hName: 'span',
    hProperties: { className: ['citation'], dataCites: keys.join(' ') },
    hChildren: linked,
  }
}

/**
 * Replaces a running-text citation of a note style by a footnote reference, moving the reference after
 * punctuation that follows (Pandoc's notes-after-punctuation) and dropping the space before it.
 */
function moveIntoNote(citation: Found, index: number, narrativeAuthor: string | undefined, afterPunctuation: boolean): FootnoteDefinition {
  const { node, parent } = citation
  const identifier = `galley-citation-${index + 1}`
  const reference: PhrasingContent = { type: 'footnoteReference', identifier, label: identifier }
  if (node.position) reference.position = node.position
  const at = parent.children.indexOf(node as RootContent)
  const replacement: PhrasingContent[] = []
  if (narrativeAuthor !== undefined) {
    replacement.push({ type: 'citation', mode: 'narrative', items: node.items, value: node.value, data: { hName: 'span', hProperties: { className: ['citation'], dataCites: node.items.map((item) => item.key).join(' ') }, hChildren: fragment(narrativeAuthor) } })
  } else {
    const before = parent.children[at - 1]
    if (before?.type === 'text') before.value = before.value.replace(/[ \t]+$/, '')
  }
  const after = parent.children[at + 1]
  if (afterPunctuation && narrativeAuthor === undefined && after?.type === 'text') {
    const punctuation = /^[.,;:!?]+[’”"']?/.exec(after.value)?.[0]
    if (punctuation) {
      after.value = after.value.slice(punctuation.length)
      replacement.push({ type: 'text', value: punctuation } satisfies Text)
    }
  }
  replacement.push(reference)
  parent.children.splice(at, 1, ...(replacement as RootContent[]))
  const definition: FootnoteDefinition = {
    type: 'footnoteDefinition',
    identifier,
    label: identifier,
    children: [{ type: 'paragraph', children: [node] }],
  }
  return definition
}

function placeBibliography(tree: Root, formatted: ReturnType<CslEngine['formatDocument']>, options: Readonly<Options>): void {
  const entries: ElementContent[] = formatted.bibliography.map((entry) => {
    const [element] = fragment(entry.html)
    const children = element?.type === 'element' ? element.children : fragment(entry.html)
    if (options.metadata.linkBibliography) linkUrls(children)
    return { type: 'element', tagName: 'div', properties: { id: `ref-${entry.id}`, className: ['csl-entry'], role: 'listitem' }, children }
  })
  const className = ['references', 'csl-bib-body']
  if (formatted.hangingIndent) className.push('hanging-indent')
  const properties = { id: 'refs', className, role: 'list' }
  let placed = false
  visit(tree, 'fencedDiv', (div) => {
    if (placed || div.data?.hProperties?.['id'] !== 'refs') return
    const own = div.data.hProperties
    div.data.hProperties = { ...own, ...properties, className: [...className, ...classList(own['className'])] }
    div.data.hChildren = entries
    placed = true
  })
  if (placed) return
  const title = options.metadata.referenceSectionTitle
  const last: RootContent[] = []
  if (title) {
    last.push({ type: 'heading', depth: 1, children: [{ type: 'text', value: title }], data: { hProperties: { id: 'bibliography', className: ['unnumbered'] } } })
  }
  last.push({ type: 'fencedDiv', children: [], data: { hName: 'div', hProperties: properties, hChildren: entries } })
  // After the chapters, not inside the last one: the EPUB gives a book's bibliography a file of its own.
  tree.children.push(...last)
}

function classList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(' ') : []
}

function fragment(html: string): ElementContent[] {
  return fromHtml(html, { fragment: true }).children as ElementContent[]
}

/** Turns bare URLs and DOIs in bibliography text into links (Pandoc's link-bibliography). */
function linkUrls(nodes: ElementContent[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]
    if (node?.type === 'element' && node.tagName !== 'a') linkUrls(node.children)
    if (node?.type !== 'text') continue
    const pieces = node.value.split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:)\]])/)
    if (pieces.length === 1) continue
    const replacement: ElementContent[] = pieces
      .filter((piece) => piece !== '')
      .map((piece) =>
        /^https?:\/\//.test(piece)
          ? { type: 'element', tagName: 'a', properties: { href: piece }, children: [{ type: 'text', value: piece }] }
          : { type: 'text', value: piece },
      )
    nodes.splice(i, 1, ...replacement)
    i += replacement.length - 1
  }
}

function pointOf(point: Point): Point {
  return { line: point.line, column: point.column }
}
