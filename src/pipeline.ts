// The one place the chain is assembled: Markdown files → one book tree → citations → hast → HTML document.
import type { Root as HastRoot } from 'hast'
import type { Root, RootContent } from 'mdast'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { EXIT, visit } from './tree-visit.js'
import { VFile } from 'vfile'
import type { Metadata } from './config/schema.js'
import { calloutTitlesFor, termsFor } from './config/translations.js'
import type { Bibliography } from './citations/bibliography.js'
import type { Cache } from './file-cache.js'
import { remarkCitations } from './citations/remark-citations.js'
import type { FormatCitations } from './citations/session.js'
import { remarkCrossref } from './markdown/remark-crossref.js'
import { rehypeCrossrefLists } from './html/rehype-crossref-lists.js'
import { rehypeCrossrefSections } from './html/rehype-crossref-sections.js'
import { toHastOptions } from './html/mdast-to-hast.js'
import { rehypeChapters } from './html/rehype-chapters.js'
import { rehypeHeadingReferences } from './html/rehype-heading-references.js'
import { rehypeDocument } from './html/rehype-document.js'
import { rehypeHeadingIds } from './html/rehype-heading-ids.js'
import { rehypeNoteNumbers } from './html/rehype-note-numbers.js'
import { rehypeSafeOutput } from './html/rehype-safe-output.js'
import { rehypeSectionNumbers } from './html/rehype-section-numbers.js'
import { parseMarkdownCached } from './markdown/parse-cache.js'
import { expandIncludes, type Stretch } from './markdown/quarto-include.js'
import { numberExamples } from './markdown/remark-example-lists.js'
import { remarkDropDefinitionParagraphs } from './markdown/tex-definitions.js'
import type { Chapter } from './markdown/types.js'

/**
 * Parses each file and joins them into one tree of chapters, in the order given; `onParsed` hears of each file done.
 * `resourcePath` is Pandoc's `--resource-path`: where images are looked for besides the file's own folder;
 * `defaultImageExtension` its `--default-image-extension`.
 */
export async function parseBook(
  files: readonly VFile[],
  projectDir: string,
  cache?: Cache,
  { resourcePath, defaultImageExtension, onParsed }: { resourcePath?: readonly string[]; defaultImageExtension?: string; onParsed?: () => void } = {},
): Promise<{ book: Root; included: VFile[] }> {
  const options = { projectDir, ...(resourcePath ? { resourcePath } : {}), ...(defaultImageExtension ? { defaultImageExtension } : {}) }
  const trees = await Promise.all(files.map((file) => parseMarkdownCached(file, options, cache).then((tree) => (onParsed?.(), tree))))
  // Quarto's includes: a file is cut where it includes another at its top level, the included file's stretches between.
  const included = new Map<string, VFile>()
  const stretches: (Stretch & { input: number })[] = []
  for (const [input, tree] of trees.entries()) {
    const file = files[input] as VFile
    // A file of metadata only (a book's `000_meta.md`) is not a mistake.
    if (tree.children.length === 0 && !file.data.frontMatter?.size) file.message('The manuscript is empty', { ruleId: 'empty-manuscript', source: 'galley:markdown' })
    const expanded = await expandIncludes(tree, file, { ...options, cache })
    for (const other of expanded.included) if (!included.has(other.path)) included.set(other.path, other)
    stretches.push(...(expanded.stretches.length > 0 ? expanded.stretches : [{ tree, file, included: false }]).map((stretch) => ({ ...stretch, input })))
  }
  // An input that holds nothing (a file of metadata only) is no chapter: Pandoc joins the files' text, to which it adds
  // nothing. An empty book keeps its one empty chapter.
  const filled = stretches.filter((stretch) => stretch.tree.children.length > 0)
  if (filled.length < stretches.length) stretches.splice(0, stretches.length, ...(filled.length > 0 ? filled : stretches.slice(0, 1)))
  const several = stretches.length > 1
  if (several) numberExamples(stretches.map((stretch) => stretch.tree), stretches.map((stretch) => stretch.file))
  let includedCount = 0
  const children = stretches.map(({ tree, file, input, included: fromInclude }, index): Chapter => {
    // The stretches of one input share its notes' labels (a note may be defined after an include); each included
    // stretch has its own, as a file of its own would.
    if (several) scopeFootnotes(tree, fromInclude ? `c${input + 1}-i${++includedCount}-` : `c${input + 1}-`)
    warnAboutRawHtml(tree, file)
    return { type: 'chapter', children: tree.children as RootContent[], data: { file, index, input, ...(fromInclude ? { included: true } : {}) } }
  })
  return { book: { type: 'root', children }, included: [...included.values()] }
}

/** `[^1]` in two chapters are two notes: give each chapter's labels its own prefix. */
function scopeFootnotes(root: Root, prefix: string): void {
  visit(root, (node) => {
    if (node.type === 'footnoteReference' || node.type === 'footnoteDefinition') {
      node.identifier = prefix + node.identifier
      node.label = prefix + (node.label ?? node.identifier)
    }
  })
}

/**
 * Raw HTML is not passed through (it could run script in the page Chromium prints, or break the EPUB): each piece
 * is reported. Pandoc's `<div id="refs"></div>` placeholder is understood, as the fenced div it stands for.
 */
function warnAboutRawHtml(root: Root, file: VFile): void {
  visit(root, 'html', (node, index, parent) => {
    const html = node.value.trim()
    if (/^<!--[\s\S]*-->$/.test(html)) return
    if (/^<div\s+id=["']?refs["']?\s*>\s*<\/div>$/i.test(html) && parent && index !== undefined) {
      parent.children.splice(index, 1, { type: 'fencedDiv', children: [], data: { hName: 'div', hProperties: { id: 'refs' } } } as RootContent)
      return
    }
    file.message('Raw HTML is left out of the output', { place: node.position, ruleId: 'raw-html', source: 'galley:markdown' })
  })
}

export interface DocumentOptions {
  metadata: Metadata
  bibliography: Bibliography
  styleXml: string
  retrieveLocale: (lang: string) => string | undefined
  css: string
  /** citeproc, through the build's citation session (see `remarkCitations`). */
  formatCitations: FormatCitations
  /** Formulas rendered by earlier builds (`remarkMathToMathml`). */
  mathCache?: Cache | undefined
  /** Code blocks highlighted by earlier builds (`remarkHighlightCode`). */
  codeCache?: Cache | undefined
  /** Told as the citations are formatted (see `remarkCitations`). */
  onCitations?: ((done: number, total: number) => void) | undefined
}

/**
 * Cross-references and citations need the whole book before any HTML exists: one pass over the book tree each, in
 * reading order; cross-references first, so that `@fig:x` never reaches citeproc.
 */
export async function citeBook(book: Root, bookFile: VFile, options: DocumentOptions): Promise<Root> {
  const isCitationKey = (key: string): boolean => options.bibliography.items.has(key)
  return (await unified().use(remarkCrossref, { metadata: options.metadata, isCitationKey }).use(remarkCitations, options).run(book, bookFile)) as Root
}

/**
 * The cited book tree to one HTML document tree, in this order: TeX formulas to MathML (the renderer is loaded only
 * for a book that has math); code highlighted (the highlighter likewise, for a book with code in a language); mdast → hast with Pandoc's figures, captions and footnote markup; chapters cut by the
 * headings (before numbering notes per chapter, and before heading ids, which keep clear of the chapters' ids);
 * heading ids; links to headings by their text (Pandoc's implicit header references); section numbers (after the ids, which are made from the text without them); references to sections,
 * which show the headings' numbers or titles; the safety guard; the document around it all; the lists of figures and
 * tables beside its contents.
 */
export async function bookToHtmlTree(book: Root, bookFile: VFile, options: DocumentOptions): Promise<HastRoot> {
  const { metadata } = options
  const math = hasMath(book) ? await import('./html/remark-math-to-mathml.js') : undefined
  const code = hasCodeLanguage(book) ? await import('./html/remark-highlight-code.js') : undefined
  const processor = unified()
    .use(math ? [[math.remarkMathToMathml, { macros: metadata.macros, headerIncludes: metadata.headerIncludes, cache: options.mathCache }]] : [remarkDropDefinitionParagraphs])
    .use(code ? [[code.remarkHighlightCode, { cache: options.codeCache }]] : [])
    .use(remarkRehype, toHastOptions(termsFor(metadata.lang).notes, calloutTitlesFor(metadata.lang)))
    .use(rehypeChapters, { metadata })
    .use(metadata.notesNumbering === 'chapter' ? [rehypeNoteNumbers] : [])
    .use(rehypeHeadingIds)
    .use(rehypeHeadingReferences)
    .use(metadata.numberSections ? [[rehypeSectionNumbers, { offset: metadata.numberOffset }]] : [])
    .use(rehypeCrossrefSections)
    .use(rehypeSafeOutput)
    .use(rehypeDocument, { metadata, css: options.css })
    .use(rehypeCrossrefLists, { metadata })
  return (await processor.run(book, bookFile)) as HastRoot
}

/** Whether the book has a formula anywhere. */
export function hasMath(book: Root): boolean {
  let found = false
  visit(book, (node) => {
    if (node.type !== 'inlineMath' && node.type !== 'displayMath') return undefined
    found = true
    return EXIT
  })
  return found
}

/** Whether the book has an image or block with the class `full-bleed` (print then gets the rules that give it a page to the bleed edge). */
export function hasFullBleed(book: Root): boolean {
  let found = false
  visit(book, (node) => {
    const className = (node.data as { hProperties?: { className?: unknown } } | undefined)?.hProperties?.className
    if (!(Array.isArray(className) ? className.includes('full-bleed') : typeof className === 'string' && className.split(' ').includes('full-bleed'))) return undefined
    found = true
    return EXIT
  })
  return found
}

/** Whether the book has a code block that names a language (`remarkCodeAttributes` put it in `lang`). */
export function hasCodeLanguage(book: Root): boolean {
  let found = false
  visit(book, 'code', (node) => {
    if (!node.lang) return undefined
    found = true
    return EXIT
  })
  return found
}

export { VFile }
