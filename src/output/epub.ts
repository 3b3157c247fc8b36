// The EPUB output: the book's HTML tree cut into content documents and packaged with its cover, fonts and images.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, ElementContent, Root } from 'hast'
import { EXIT, visit } from '../tree-visit.js'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import type { CoverImage } from '../epub/package-epub.js'
import { contentKey, type Cache } from '../file-cache.js'
import { allowedPath, probeImage } from '../markdown/remark-resources.js'
import { shownLists } from '../html/rehype-crossref-lists.js'
import { galleyRoot } from '../paths.js'
import type { PageStart } from '../pdf/layout/types.js'
import type { ResolvedBuild } from '../resolve.js'
import type { BrowserOwner } from './browser.js'

export interface EpubContext {
  metadata: Metadata
  projectDir: string
  /** `dcterms:modified`. */
  date: Date
  /** Where messages about the book as a whole go. */
  bookFile: VFile
  /**
   * The build's browser, to draw the cover in when the book brings no `cover-image` (the PDF's when one is made).
   * Without it, or when it fails, the cover is an SVG.
   */
  browser?: BrowserOwner | undefined
  /** No output after the cover needs the browser: it is closed once the cover is drawn (the cache keeps the drawing). */
  lastUse?: boolean | undefined
  /** Drawn covers by their words, so a rebuild starts no browser for an unchanged cover. */
  coverCache?: Cache | undefined
  /** The EPUB font subsets of earlier builds. */
  fontCache?: Cache | undefined
  /** The pages of the PDF made from the same tree: where each starts, and the PDF's name (`dc:source`). */
  pages?: { starts: readonly PageStart[]; source: string } | undefined
}

/** The EPUB's bytes. Takes the tree as it is (unhyphenated) and changes it: pass a copy if another output follows. */
export async function renderEpub(tree: Root, context: Readonly<EpubContext>): Promise<Uint8Array> {
  const { metadata, projectDir } = context
  const css = readFileSync(path.join(galleyRoot, 'styles', 'epub.css'), 'utf8')
  // Loaded only for an EPUB: the zip writer and the packaging are a tenth of Galley's load time.
  const [{ splitDocument }, { packageEpub }] = await Promise.all([import('../epub/split.js'), import('../epub/package-epub.js')])
  if (context.pages) {
    const { insertPageBreaks } = await import('../epub/page-breaks.js')
    insertPageBreaks(tree, context.pages.starts)
  }
  // The lists of figures, tables and listings go to the navigation document; one the text placed (`\listoffigures`)
  // stays there too, without the page numbers only print fills in.
  const lists = shownLists(tree)
  dropPageNumbers(tree)
  // The title page is the HTML's title block (its abstract too, with its notes); the abstract describes the book when
  // nothing else does.
  const titleBlock = titleBlockOf(tree)
  const documents = splitDocument(tree, { splitLevel: metadata.splitLevel, title: metadata.title, titlePage: titleBlock?.children })
  if (titleBlock) unlinkOutside(titleBlock)
  const given = checkedCover(metadata, projectDir, context.bookFile)
  const cover = given ? { bytes: readFileSync(given), extension: path.extname(given).toLowerCase() } : await drawnCover(context)
  const abstract = titleBlock?.children.find((child) => child.type === 'element' && classList(child).includes('abstract'))
  const description = metadata.description ?? (abstract?.type === 'element' ? abstractText(abstract) : undefined)
  return packageEpub({
    metadata: { ...metadata, description },
    documents,
    titleBlock: titleBlock?.children,
    css,
    modified: context.date,
    projectDir,
    cover,
    fonts: metadata.epubFonts,
    fontCache: context.fontCache,
    printSource: context.pages?.source,
    lists,
  })
}

/** The dotted leaders and page numbers of the lists of figures, tables and listings. */
function dropPageNumbers(tree: Root): void {
  visit(tree, 'element', (node, index, parent) => {
    if (!parent || index === undefined || !(classList(node).includes('toc-leader') || classList(node).includes('toc-page'))) return undefined
    parent.children.splice(index, 1)
    return index
  })
}

/** The HTML's title block, or undefined when the book has none. */
function titleBlockOf(tree: Root): Element | undefined {
  let found: Element | undefined
  visit(tree, 'element', (node) => {
    if (node.properties['id'] !== 'title-block-header') return undefined
    found = node
    return EXIT
  })
  return found
}

/**
 * The title page's links to the rest of the book (a citation's to its entry) made text: the title page is a file of
 * its own, which the link rewriting of the content documents does not reach. Links within it (to its notes, and
 * their way back) stay.
 */
function unlinkOutside(titleBlock: Element): void {
  const ids = new Set<string>()
  visit(titleBlock, 'element', (node) => {
    const id = node.properties['id']
    if (typeof id === 'string') ids.add(id)
  })
  visit(titleBlock, 'element', (node, index, parent) => {
    const href = node.properties['href']
    if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#') || !parent || index === undefined) return undefined
    if (ids.has(decodeURIComponent(href.slice(1)))) return undefined
    parent.children.splice(index, 1, ...node.children)
    return index
  })
}

function classList(node: Element): string[] {
  const value = node.properties['className']
  return Array.isArray(value) ? value.map(String) : []
}

/** The abstract's words without its heading and note numbers, one line: a formula as it reads, not with its TeX too. */
function abstractText(abstract: Element): string {
  const words = (nodes: readonly ElementContent[]): string =>
    nodes
      .map((node) => {
        if (node.type === 'text') return node.value
        if (node.type !== 'element' || node.tagName === 'annotation' || classList(node).includes('abstract-title') || node.properties['epub:type'] === 'noteref') return ''
        return node.tagName === 'p' ? ` ${words(node.children)} ` : words(node.children)
      })
      .join('')
  // A picture has no words: the space before it goes where punctuation follows.
  return words(abstract.children).replace(/\s+/g, ' ').replace(/ (?=[.,;:!?])/g, '').trim()
}

/**
 * The cover drawn from title, subtitle and authors as a JPEG, from the cache or the browser; undefined (with a warning)
 * when no browser can draw it, and the packaging draws an SVG one instead.
 */
async function drawnCover(context: Readonly<EpubContext>): Promise<CoverImage | undefined> {
  const key = await coverKey(context.metadata)
  const cached = context.coverCache?.get(key)
  if (cached instanceof Uint8Array) return { bytes: cached, extension: '.jpg' }
  let reason = 'no browser was given'
  if (context.browser) {
    try {
      const { coverText, rasterCover } = await import('../epub/raster-cover.js')
      const bytes = await rasterCover(await context.browser.get(), coverText(context.metadata))
      if (context.lastUse) void context.browser.close() // Awaited by the build's own close.
      context.coverCache?.set(key, bytes)
      return { bytes, extension: '.jpg' }
    } catch (error) {
      reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
    }
  }
  context.bookFile.message(`The cover could not be drawn as a JPEG (${reason}); the EPUB gets an SVG cover, which some readers and stores do not show`, {
    ruleId: 'raster-cover',
    source: 'galley:epub',
  })
  return undefined
}

/** The cover cache's key: the words on the cover. */
async function coverKey(metadata: Metadata): Promise<string> {
  const { coverText } = await import('../epub/raster-cover.js')
  return contentKey(['cover', JSON.stringify(coverText(metadata))])
}

/** Whether the cover will be drawn in the browser: the book names no `cover-image` and the cache has no drawing of its words. */
export async function coverToDraw(metadata: Metadata, coverCache: Cache | undefined): Promise<boolean> {
  return metadata.coverImage === undefined && !(coverCache?.get(await coverKey(metadata)) instanceof Uint8Array)
}

/**
 * Before the parse, a guess: a cover will be drawn when there is no cover cache yet (a first build, `--no-cache`)
 * and no `cover-image` key in sight in the metadata layers or the chapters' text. A wrong guess costs time only.
 */
export function coverProbablyDrawn(resolved: ResolvedBuild): boolean {
  const { cli, config, inputs, metadataFiles } = resolved.layers
  const layers = [...cli, config, ...inputs.values(), ...metadataFiles]
  const named = layers.some((layer) => layer.has('cover-image')) || resolved.files.some((file) => /^cover-image[ \t]*:/m.test(String(file.value)))
  return resolved.coldCache('cover') && !named
}

/** The `cover-image` if it is a picture inside the project; otherwise a warning and the drawn cover. */
function checkedCover(metadata: Metadata, projectDir: string, file: VFile): string | undefined {
  const cover = metadata.coverImage
  if (!cover) return undefined
  const relative = path.relative(projectDir, cover)
  // Named on the command line, as --bibliography is, it may be outside the project; it is still checked as an image.
  const boundary = metadata.coverImageTrusted ? path.dirname(cover) : projectDir
  const outcome = /\.(png|jpe?g|gif|svg)$/i.test(cover) ? probeImage(boundary, cover) : 'not-an-image'
  const reason =
    outcome === 'outside' ? 'is outside the project directory'
    : outcome === 'missing' || outcome === 'not-a-file' ? 'not found'
    : outcome === 'not-an-image' ? 'is not a PNG, JPEG, GIF or SVG image'
    : outcome.startsWith('unsafe-svg:') ? `is not safe to publish (${outcome.slice('unsafe-svg:'.length)})`
    : undefined
  if (reason === undefined) return allowedPath(outcome)
  file.message(`Cover image ${relative} ${reason}; the EPUB gets a cover drawn from title and author`, { ruleId: 'cover-image', source: 'galley:epub' })
  return undefined
}
