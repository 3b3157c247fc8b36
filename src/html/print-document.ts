// The print document and its HTML: soft hyphens, URL break points, then serialization, part by part. A book's parts
// (its chapters, the notes, the bibliography) are kept between builds by their content, so an edit to one chapter
// hyphenates and serializes that chapter only.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root, RootContent } from 'hast'
import type { Raw } from 'mdast-util-to-hast'
import { toHtml } from 'hast-util-to-html'
import { contentKey, type Cache } from '../file-cache.js'
import { EXIT, visit } from '../tree-visit.js'
import { inlineImages, projectImages } from './images.js'
import { rehypeHyphenate } from './rehype-hyphenate.js'
import { rehypeUrlBreaks } from './rehype-url-breaks.js'

export interface Options {
  lang: string
  /** Adds the `book` class to `<html>` (several chapters). */
  book: boolean
  /** Make the HTML the browser prints (images by path, loaded from `projectDir`). */
  print: boolean
  /** Make the standalone HTML (images inside, as data URIs). */
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

/** A finished part: its HTML as printed and as standalone. */
interface Part {
  print?: string
  standalone?: string
}

/**
 * Makes the tree the print document, in place, and serializes it. The same HTML comes out whether parts come from
 * the cache or not: each part (an element child of `<main>`) is hyphenated, broken and serialized on its own, which
 * is what the whole tree's passes do to it, since none of them looks outside the part.
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
  // The rest (head, title block, table of contents) is serialized with raw nodes let through, for the parts': any
  // other would be dropped, as everywhere.
  removeRaw(tree, new Set(parts.map(({ raw }) => raw)))
  finishTree(tree, options.lang, options.known, options.learned)
  addHtmlClass(tree, 'hyphenate')
  if (options.book) addHtmlClass(tree, 'book')
  const result: PrintedHtml = { reused }
  const assemble = (variant: keyof Part): string => {
    for (const { raw, finished } of parts) raw.value = finished[variant] ?? ''
    return toHtml(tree, { allowDangerousHtml: true })
  }
  if (options.print) result.print = assemble('print')
  if (options.standalone) {
    inlineImages(tree, options.projectDir)
    result.standalone = assemble('standalone')
  }
  return result
}

/** One part, from the cache when its content, its images and the language are those of an earlier build. */
function cachedPart(part: Element, options: Readonly<Options>): { part: Part; cached: boolean } {
  const images = projectImages({ type: 'root', children: [part] }).map((image) => String(image.properties['src']))
  const key = options.parts
    ? contentKey(['part', options.lang, fingerprint(part), ...images.map((src) => imageHash(options.projectDir, src))])
    : undefined
  const cached = key === undefined ? undefined : (options.parts?.get(key) as Part | undefined)
  if (cached && (!options.print || typeof cached.print === 'string') && (!options.standalone || typeof cached.standalone === 'string')) {
    return { part: cached, cached: true }
  }
  const root: Root = { type: 'root', children: [part] }
  finishTree(root, options.lang, options.known, options.learned)
  const result: Part = {}
  if (options.print) result.print = toHtml(root)
  if (options.standalone) {
    inlineImages(root, options.projectDir)
    result.standalone = toHtml(root)
  }
  if (key !== undefined) options.parts?.set(key, result)
  return { part: result, cached: false }
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
    } else if (current.type === 'text' || current.type === 'comment' || current.type === 'raw') {
      out.push(current.type[0] as string, String(current.value.length), ':', current.value)
    } else {
      out.push(current.type)
    }
  }
  walk(node)
  return out.join('')
}

function imageHash(projectDir: string, src: string): string {
  try {
    return createHash('sha256').update(readFileSync(path.join(projectDir, src))).digest('hex')
  } catch {
    return 'unreadable'
  }
}

function removeRaw(tree: Root, keep: ReadonlySet<Raw>): void {
  visit(tree, 'raw', (node, index, parent) => {
    if (keep.has(node) || !parent || index === undefined) return undefined
    parent.children.splice(index, 1)
    return index
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
