// Cuts the document tree into EPUB content documents and points every internal link at the file that now holds it.
import type { Element, ElementContent, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from '../tree-visit.js'
import { headingLevel, isBlank, isChapter, splitAtHeadings } from '../html/rehype-chapters.js'

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

export interface SplitOptions {
  /** A new content document at each heading of this level or above (Pandoc's `split-level`). Default 1. */
  splitLevel?: number
  /** The book's title: the name of a first document that has no heading, as in Pandoc. */
  title?: string
  /**
   * The title page's content (the HTML's title block), a file of its own: the notes its abstract references go to
   * its end, as a chapter's go to the chapter's file. Changed in place.
   */
  titlePage?: ElementContent[] | undefined
}

/**
 * One file per chapter (`section.chapter`, which `rehypeChapters` cut at the book's chapter headings), cut again at
 * each heading down to `splitLevel` as Pandoc's EPUB writer does (so an article's sections get files of their own).
 * Whatever follows the chapters (the bibliography under `reference-section-title`) is cut the same way; a
 * bibliography with no heading of its own gets a file of its own when the book has several, else stays with the
 * last, as on the page. Notes go to the file that references them, the title page's (`titlePage`) too.
 */
export function splitDocument(tree: Root, options: Readonly<SplitOptions> = {}): ContentDocument[] {
  const level = options.splitLevel ?? 1
  let main: Element | undefined
  visit(tree, 'element', (node) => {
    if (node.tagName === 'main') main = node
  })
  if (!main) return []
  const documents: ContentDocument[] = []
  let notes: ContentDocument | undefined
  const bodies = (): number => documents.filter((document) => document.role === 'bodymatter').length
  const addBody = (children: ElementContent[]): void => {
    const index = bodies() + 1
    const title = firstHeading(children) ?? (index === 1 && options.title !== undefined ? options.title : `Chapter ${index}`)
    documents.push({ name: `chapter-${index}.xhtml`, title, role: 'bodymatter', children })
  }
  let loose: ElementContent[] = []
  const flushLoose = (): void => {
    for (const piece of splitAtHeadings(loose, level)) {
      if (piece.every(isBlank)) continue
      const isBibliography = piece.some((node) => node.type === 'element' && node.properties['id'] === 'refs')
      const last = documents.at(-1)
      if (headingLevel(piece.find((node) => !isBlank(node))) === undefined && last && !(isBibliography && bodies() > 1)) {
        last.children.push(...piece)
      } else if (isBibliography) {
        documents.push({ name: 'bibliography.xhtml', title: firstHeading(piece) ?? 'Bibliography', role: 'bibliography', children: piece })
      } else {
        addBody(piece)
      }
    }
    loose = []
  }
  for (const node of main.children) {
    if (node.type === 'element' && isChapter(node)) {
      flushLoose()
      // The chapter's section wraps each of its pieces; its id (a link target) stays on the first.
      const { id, ...rest } = node.properties
      splitAtHeadings(node.children, level)
        .filter((piece) => !piece.every(isBlank))
        .forEach((piece, index) => {
          const section: Element = { ...node, properties: index === 0 ? { id, ...rest } : rest, children: piece }
          // Text before the first heading of a later file (an article in several files) goes on with the file before.
          const last = documents.at(-1)
          if (headingLevel(piece.find((child) => !isBlank(child))) === undefined && last?.role === 'bodymatter') last.children.push(section)
          else addBody([section])
        })
    } else if (node.type === 'element' && node.tagName === 'section' && node.properties['dataFootnotes'] !== undefined) {
      flushLoose()
      notes = { name: 'notes.xhtml', title: firstHeading([node]) ?? 'Notes', role: 'endnotes', children: [node] }
    } else {
      loose.push(node)
    }
  }
  flushLoose()
  if (notes) moveNotesToTheirFiles(notes, [...(options.titlePage ? [options.titlePage] : []), ...documents.map((document) => document.children)])
  relink(documents)
  return documents
}

/**
 * EPUB readers pop up a note when the reference is marked `noteref` and the note is an `aside` marked
 * `footnote`; they do it most reliably within one file. So each note goes to the end of the file that
 * references it, and the numbered list that print uses is dropped.
 */
function moveNotesToTheirFiles(notes: Readonly<ContentDocument>, files: readonly ElementContent[][]): void {
  const items = new Map<string, Element>()
  visit({ type: 'root', children: notes.children }, 'element', (node) => {
    if (node.tagName === 'li' && typeof node.properties['id'] === 'string') items.set(node.properties['id'], node)
  })
  for (const file of files) {
    const asides: Element[] = []
    visit({ type: 'root', children: file }, 'element', (node) => {
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
    file.push(...asides)
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
