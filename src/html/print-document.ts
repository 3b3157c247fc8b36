// The print document and its HTML: soft hyphens, URL break points, then serialization, part by part. A book's parts
// (its chapters, the notes, the bibliography) are kept between builds by their content, so an edit to one chapter
// hyphenates and serializes that chapter only.
import { randomUUID } from 'node:crypto'
import type { Element, Root, RootContent } from 'hast'
import { toHtml } from 'hast-util-to-html'
import type { Raw } from 'mdast-util-to-hast'
import { contentKey, type Cache } from '../file-cache.js'
import { EXIT, SKIP, visit } from '../tree-visit.js'
import { dataUri, isProjectImage, projectImages } from './images.js'
import { rehypeHyphenate } from './rehype-hyphenate.js'
import { rehypeUrlBreaks } from './rehype-url-breaks.js'

export interface Options {
  lang: string
  /** Adds the `book` class to `<html>` (a book with chapters or parts, not an article). */
  book: boolean
  /** Make the HTML the browser prints (images by path, loaded from `projectDir`). */
  print: boolean
  /** Make the standalone HTML (images inside, as data URIs, so it opens anywhere). */
  standalone: boolean
  projectDir: string
  /** Words hyphenated earlier (word → word with soft hyphens). */
  known?: ReadonlyMap<string, string> | undefined
  /** Receives every word hyphenated in this build: not those of the parts taken from `parts`. */
  learned: Map<string, string>
  /** Finished parts of earlier builds. */
  parts?: Cache | undefined
}

export interface PrintedHtml {
  print?: string
  standalone?: string
  /** How many parts were taken from `parts`, finished by an earlier build. */
  reused: number
}

/**
 * A finished part: its HTML around its project images, and those images, which go in by path to print and as data
 * URIs in the standalone HTML (so the image files are read only for that, and never stored here).
 */
interface Part {
  segments: string[]
  images: Element[]
}

/**
 * Makes the tree the print document and serializes it. The same HTML comes out whether parts come from the cache or
 * not: each part (an element child of `<main>`) is hyphenated, broken and serialized on its own, which is what the
 * whole tree's passes do to it, since they skip a subtree only by its own tags or its ancestors' (`code`, `header`,
 * `head`…), and `<main>`'s ancestors are none of those. The tree is used up: its parts are replaced by their HTML.
 */
export function printDocument(tree: Root, options: Readonly<Options>): PrintedHtml {
  const main = findElement(tree, 'main')
  const parts: { raw: Raw; finished: Part }[] = []
  let reused = 0
  if (main) {
    main.children = main.children.map((child) => {
      if (child.type !== 'element') return child
      const raw: Raw = { type: 'raw', value: '' }
      const finished = cachedPart(child, options)
      if (finished.cached) reused++
      parts.push({ raw, finished: finished.part })
      return raw
    })
  }
  // The rest: head, title block, table of contents.
  rawToText(tree, new Set(parts.map(({ raw }) => raw)))
  finishTree(tree, options.lang, options.known, options.learned)
  addHtmlClass(tree, 'hyphenate')
  if (options.book) addHtmlClass(tree, 'book')
  const result: PrintedHtml = { reused }
  // The parts go in as raw nodes, the only ones left in the tree, holding their finished HTML.
  const assemble = (src: (image: Element) => string): string => {
    for (const { raw, finished } of parts) raw.value = joinPart(finished, src)
    return toHtml(tree, { allowDangerousHtml: true })
  }
  if (options.print) result.print = assemble((image) => String(image.properties['src']))
  if (options.standalone) {
    const inline = new Map<string, string>()
    const src = (image: Element): string => {
      const path = String(image.properties['src'])
      const uri = inline.get(path) ?? dataUri(options.projectDir, path)
      inline.set(path, uri)
      return uri
    }
    for (const image of projectImages(tree)) image.properties['src'] = src(image)
    result.standalone = assemble(src)
  }
  return result
}

/** One part, from the cache when its content and the language are those of an earlier build. */
function cachedPart(part: Element, options: Readonly<Options>): { part: Part; cached: boolean } {
  const key = options.parts ? contentKey(['part', options.lang, fingerprint(part)]) : undefined
  const cached = key === undefined ? undefined : (options.parts?.get(key) as Part | undefined)
  if (Array.isArray(cached?.segments) && Array.isArray(cached.images) && cached.segments.length === cached.images.length + 1) {
    return { part: cached, cached: true }
  }
  const root: Root = { type: 'root', children: [part] }
  rawToText(root, new Set())
  finishTree(root, options.lang, options.known, options.learned)
  const finished = serializePart(root)
  if (key !== undefined) options.parts?.set(key, finished)
  return { part: finished, cached: false }
}

/** The part's HTML cut at its project images, each serialized first as a mark no text can hold by chance. */
function serializePart(root: Root): Part {
  const mark = `galley-image-${randomUUID()}`
  const images: Element[] = []
  visit(root, 'element', (node, index, parent) => {
    if (!isProjectImage(node) || !parent || index === undefined) return undefined
    images.push(node)
    parent.children[index] = { type: 'raw', value: mark } satisfies Raw
    return SKIP
  })
  const segments = toHtml(root, { allowDangerousHtml: true }).split(mark)
  if (segments.length !== images.length + 1) throw new Error(`Cut the HTML of a part at ${images.length} images into ${segments.length} pieces`)
  return { segments, images }
}

function joinPart(part: Part, src: (image: Element) => string): string {
  let html = part.segments[0] ?? ''
  part.images.forEach((image, index) => {
    html += toHtml({ ...image, properties: { ...image.properties, src: src(image) } }) + (part.segments[index + 1] ?? '')
  })
  return html
}

function finishTree(tree: Root, lang: string, known: ReadonlyMap<string, string> | undefined, learned: Map<string, string>): void {
  rehypeHyphenate({ lang, ...(known ? { known } : {}), learned })(tree)
  rehypeUrlBreaks()(tree)
}

/** What the serialization of a node depends on, as one string: types, tag names, properties, text. */
function fingerprint(node: Element): string {
  const out: string[] = []
  const walk = (current: Element | RootContent): void => {
    if (current.type === 'element') {
      out.push('<', current.tagName, JSON.stringify(current.properties))
      for (const child of current.children) walk(child)
      out.push('>')
    } else if (current.type === 'text' || current.type === 'comment') {
      out.push(current.type[0] as string, String(current.value.length), ':', current.value)
    } else {
      out.push(current.type)
    }
  }
  walk(node)
  return out.join('')
}

/**
 * Galley makes no raw nodes of its own; any other is written as text, as hast-util-to-html does without
 * `allowDangerousHtml`, which serialization here uses for the finished parts (`keep`) and image marks.
 */
function rawToText(tree: Root, keep: ReadonlySet<Raw>): void {
  visit(tree, 'raw', (node, index, parent) => {
    if (!keep.has(node) && parent && index !== undefined) parent.children[index] = { type: 'text', value: node.value }
  })
}

function findElement(tree: Root, tagName: string): Element | undefined {
  const found: Element[] = []
  visit(tree, 'element', (node) => {
    if (node.tagName !== tagName) return undefined
    found.push(node)
    return EXIT
  })
  return found[0]
}

function addHtmlClass(tree: Root, name: string): void {
  const html = tree.children.find((node) => node.type === 'element' && node.tagName === 'html')
  if (html?.type !== 'element') return
  const classes = Array.isArray(html.properties['className']) ? html.properties['className'] : []
  html.properties['className'] = [...classes, name]
}
