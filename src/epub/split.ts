// Cuts the document tree into EPUB content documents and points every internal link at the file that now holds it.
import type { Element, ElementContent, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from '../tree-visit.js'
import { classNames } from '../html/class-names.js'

export interface ContentDocument {
  /** File name inside `EPUB/`, e.g. `chapter-1.xhtml`. */
  name: string
  title: string
  /** `bodymatter`, `bibliography`, `endnotes`…: the landmark and `epub:type` of the section. */
  role: 'bodymatter' | 'bibliography' | 'endnotes' | 'frontmatter'
  children: ElementContent[]
}

function firstHeading(nodes: readonly ElementContent[]): string | undefined {
  for (const node of nodes) {
    if (node.type !== 'element') continue
    if (/^h[1-6]$/.test(node.tagName)) return toString(node)
    const inner = firstHeading(node.children)
    if (inner) return inner
  }
  return undefined
}

/**
 * One file per chapter (`section.chapter`), the bibliography and the notes in files of their own when the book
 * has several chapters (with one chapter, the bibliography stays with it, as on the page).
 */
export function splitDocument(tree: Root): ContentDocument[] {
  let main: Element | undefined
  visit(tree, 'element', (node) => {
    if (node.tagName === 'main') main = node
  })
  if (!main) return []
  const documents: ContentDocument[] = []
  const chapterCount = main.children.filter((node) => node.type === 'element' && classNames(node.properties['className']).includes('chapter')).length
  let loose: ElementContent[] = []
  const flushLoose = (): void => {
    if (loose.every((node) => node.type === 'text' && node.value.trim() === '')) {
      loose = []
      return
    }
    const isBibliography = loose.some((node) => node.type === 'element' && node.properties['id'] === 'refs')
    // The notes' document is dissolved into the others below: what is put with "the last document" must not go there.
    const last = documents.findLast((document) => document.role !== 'endnotes')
    if (isBibliography && chapterCount === 1 && last) {
      last.children.push(...loose)
    } else {
      const name = isBibliography ? 'bibliography.xhtml' : `part-${documents.length + 1}.xhtml`
      documents.push({ name, title: firstHeading(loose) ?? 'Bibliography', role: isBibliography ? 'bibliography' : 'bodymatter', children: loose })
    }
    loose = []
  }
  for (const node of main.children) {
    if (node.type === 'element' && classNames(node.properties['className']).includes('chapter')) {
      flushLoose()
      const index = documents.filter((document) => document.role === 'bodymatter').length + 1
      documents.push({ name: `chapter-${index}.xhtml`, title: firstHeading([node]) ?? `Chapter ${index}`, role: 'bodymatter', children: [node] })
    } else if (node.type === 'element' && node.tagName === 'section' && node.properties['dataFootnotes'] !== undefined) {
      flushLoose()
      documents.push({ name: 'notes.xhtml', title: firstHeading([node]) ?? 'Notes', role: 'endnotes', children: [node] })
    } else {
      loose.push(node)
    }
  }
  flushLoose()
  const notes = documents.find((document) => document.role === 'endnotes')
  if (notes) {
    moveNotesToTheirDocuments(notes, documents)
    documents.splice(documents.indexOf(notes), 1)
  }
  relink(documents)
  return documents
}

/**
 * EPUB readers pop up a note when the reference is marked `noteref` and the note is an `aside` marked
 * `footnote`; they do it most reliably within one file. So each note goes to the end of the file that
 * references it, and the numbered list that print uses is dropped.
 */
function moveNotesToTheirDocuments(notes: ContentDocument, documents: readonly ContentDocument[]): void {
  const items = new Map<string, Element>()
  visit({ type: 'root', children: notes.children }, 'element', (node) => {
    if (node.tagName === 'li' && typeof node.properties['id'] === 'string') items.set(node.properties['id'], node)
  })
  for (const document of documents) {
    if (document === notes) continue
    const asides: Element[] = []
    visit({ type: 'root', children: document.children }, 'element', (node) => {
      const href = node.properties['href']
      if (node.tagName !== 'a' || node.properties['dataFootnoteRef'] === undefined || typeof href !== 'string') return
      delete node.properties['ariaDescribedBy']
      delete node.properties['dataFootnoteRef']
      node.properties['epub:type'] = 'noteref'
      node.properties['role'] = 'doc-noteref'
      const id = href.slice(1)
      const item = items.get(id)
      if (!item) return
      items.delete(id)
      asides.push(noteAside(id, item, String(node.properties['id'] ?? ''), toString(node)))
    })
    document.children.push(...asides)
  }
}

function noteAside(id: string, item: Element, referenceId: string, number: string): Element {
  const children = structuredClone(item.children).filter((node) => node.type !== 'text' || node.value.trim() !== '')
  visit({ type: 'root', children }, 'element', (node, index, parent) => {
    if (node.tagName === 'a' && node.properties['dataFootnoteBackref'] !== undefined && parent && index !== undefined) {
      parent.children.splice(index, 1)
      return index
    }
    return undefined
  })
  const back: Element = { type: 'element', tagName: 'a', properties: { href: `#${referenceId}`, role: 'doc-backlink' }, children: [{ type: 'text', value: `${number}.` }] }
  const first = children[0]
  if (first?.type === 'element' && first.tagName === 'p') first.children.unshift(back, { type: 'text', value: ' ' })
  else children.unshift(back)
  return { type: 'element', tagName: 'aside', properties: { id, 'epub:type': 'footnote', role: 'doc-footnote' }, children }
}

/** Rewrites `#id` links to `file.xhtml#id` when the target ended up in another file. */
function relink(documents: ContentDocument[]): void {
  const home = new Map<string, string>()
  for (const document of documents) {
    const root: Root = { type: 'root', children: document.children }
    visit(root, 'element', (node) => {
      const id = node.properties['id']
      if (typeof id === 'string') home.set(id, document.name)
    })
  }
  for (const document of documents) {
    const root: Root = { type: 'root', children: document.children }
    visit(root, 'element', (node) => {
      const href = node.properties['href']
      if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#')) return
      const target = home.get(decodeURIComponent(href.slice(1)))
      if (target && target !== document.name) node.properties['href'] = `${target}${href}`
    })
  }
}
