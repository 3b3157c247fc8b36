// Wraps the body in a complete HTML document: head, title block, table of contents, main text.
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { h } from 'hastscript'
import { toString } from 'hast-util-to-string'
import type { PhrasingContent } from 'mdast'
import { toString as mdastToString } from 'mdast-util-to-string'
import type { VFile } from 'vfile'
import type { Author, Metadata } from '../config/schema.js'
import { termsFor, titleBlockTermsFor } from '../config/translations.js'
import { abstractMarker } from '../markdown/metadata-abstract.js'
import { parseMetadataInline } from '../markdown/parse-inline.js'
import { visit } from '../tree-visit.js'
import { classNames } from './class-names.js'
import { isBlank } from './rehype-chapters.js'
import { isSectionNumber } from './rehype-section-numbers.js'

export interface Options {
  metadata: Metadata
  /** Style sheet text put in the head. */
  css: string
  /** Classes on `<html>`, e.g. `hyphenate` when soft hyphens were inserted. */
  htmlClass?: string[]
}

/**
 * The document: its title block, the table of contents (with `toc`, after the title block; where the text says
 * `\tableofcontents`, there, with `toc` or without, as LaTeX sets it), the main text.
 */
export function rehypeDocument(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const { metadata } = options
    const main = h('main', { id: 'main' }, notesBeforeBibliography(tree.children as ElementContent[]))
    const body: ElementContent[] = [titleBlock(metadata, takeAbstract(main))]
    const marks = tocMarks(main)
    if (marks.length > 0) placeContents(main, marks, tableOfContents(main, metadata), file.data.division === 'section')
    else if (metadata.toc) body.push(tableOfContents(main, metadata))
    body.push(main)
    const head = [
      h('meta', { charSet: 'utf-8' }),
      // The page runs no script of its own and loads nothing from outside: a second fence behind the sanitising.
      h('meta', {
        httpEquiv: 'Content-Security-Policy',
        content: "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:",
      }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('meta', { name: 'generator', content: 'Galley' }),
      ...metadata.author.map((author) => h('meta', { name: 'author', content: author.name })),
      ...(metadata.date ? [h('meta', { name: 'dcterms.date', content: metadata.date })] : []),
      ...(metadata.keywords.length > 0 ? [h('meta', { name: 'keywords', content: metadata.keywords.join(', ') })] : []),
      ...(metadata.description ? [h('meta', { name: 'description', content: metadata.description })] : []),
      h('title', metadata.pagetitle ?? metadata.title),
      h('style', options.css),
    ]
    const bodyClass = metadata.layout === 'handout' ? ['handout'] : []
    const html = h('html', { lang: metadata.lang, className: options.htmlClass ?? [] }, [h('head', head), h('body', { className: bodyClass }, body)])
    tree.children = [{ type: 'doctype' }, html] as RootContent[]
  }
}

/**
 * Pandoc's title block: title, subtitle, authors (with their affiliation, e-mail and ORCID iD), thanks, date, then the
 * abstract under its heading and the keywords. Title, subtitle and thanks are Markdown, as in Pandoc.
 */
function titleBlock(metadata: Metadata, abstract: Element | undefined): Element {
  const terms = titleBlockTermsFor(metadata.lang)
  const children: ElementContent[] = [h('h1.title', inlineMarkdown(metadata.titleMarkdown ?? metadata.title))]
  if (metadata.subtitle) children.push(h('p.subtitle', inlineMarkdown(metadata.subtitleMarkdown ?? metadata.subtitle)))
  for (const author of metadata.author) children.push(authorLine(author))
  if (metadata.thanks) children.push(h('p.thanks', inlineMarkdown(metadata.thanks)))
  if (metadata.date) children.push(h('p.date', formatDate(metadata.date, metadata.lang)))
  if (abstract) children.push(h('div.abstract', [h('div.abstract-title', metadata.abstractTitle ?? terms.abstract), ...abstract.children]))
  if (metadata.keywords.length > 0) children.push(h('p.keywords', [h('span.keywords-title', `${terms.keywords}:`), ` ${metadata.keywords.join(', ')}`]))
  // Room to write by hand, in the students' copies: the answer key (the `key` profile) is not filled in.
  if (metadata.layout === 'handout' && metadata.nameLine && !metadata.profile.includes('key')) {
    // The labels, then a rule to write on.
    const terms = termsFor(metadata.lang)
    children.push(h('p.name-line', [h('span.name-field', `${terms.name}:`), ' ', h('span.date-field', `${terms.date}:`)]))
  }
  return h('header#title-block-header', children)
}

const orcidPattern = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/
const emailPattern = /^[^\s@:/]+@[^\s@:/]+$/

/** An author's line: the name; under it the affiliation; then e-mail and ORCID iD, as links. */
export function authorLine(author: Readonly<Author>): Element {
  const contact: ElementContent[] = []
  if (author.email) contact.push(emailPattern.test(author.email) ? h('a', { href: `mailto:${author.email}` }, author.email) : { type: 'text', value: author.email })
  const orcid = author.orcid ? orcidPattern.exec(author.orcid)?.[1] : undefined
  if (author.orcid) {
    if (contact.length > 0) contact.push({ type: 'text', value: ' · ' })
    contact.push(orcid ? h('a.orcid', { href: `https://orcid.org/${orcid}` }, `orcid.org/${orcid}`) : { type: 'text', value: author.orcid })
  }
  return h('p.author', [
    author.name,
    ...(author.affiliation ? [h('span.affiliation', author.affiliation)] : []),
    ...(contact.length > 0 ? [h('span.contact', contact)] : []),
  ])
}

/**
 * A metadata text read as inline Markdown with smart punctuation (emphasis, strong, code, sub- and superscript); a link keeps only its text,
 * anything else its plain text. A text that is not one paragraph stays as written.
 */
export function inlineMarkdown(text: string): ElementContent[] {
  const nodes = parseMetadataInline(text)
  if (!nodes) return [{ type: 'text', value: text }]
  const convert = (node: PhrasingContent): ElementContent[] => {
    const inner = (): ElementContent[] => ('children' in node ? (node.children as PhrasingContent[]).flatMap(convert) : [])
    switch (node.type) {
      case 'text':
        return [{ type: 'text', value: node.value }]
      case 'emphasis':
        return [h('em', inner())]
      case 'strong':
        return [h('strong', inner())]
      case 'delete':
        return [h('del', inner())]
      case 'inlineCode':
        return [h('code', node.value)]
      case 'break':
        return [h('br')]
      default: {
        const tag = node.data?.hName
        if (tag === 'sub' || tag === 'sup' || tag === 'span') return [h(tag, inner())]
        return 'children' in node ? inner() : [{ type: 'text', value: mdastToString(node) }]
      }
    }
  }
  return nodes.flatMap(convert)
}

/** A metadata text's words, its Markdown markup left out and its punctuation smartened. */
export function plainText(text: string): string {
  const nodes = parseMetadataInline(text)
  return nodes ? nodes.map((node) => mdastToString(node)).join('') : text
}

/** The abstract's div (`insertAbstract`), taken out of the main text; undefined when the book has none. */
function takeAbstract(parent: Element): Element | undefined {
  for (const [index, child] of parent.children.entries()) {
    if (child.type !== 'element') continue
    if (child.properties['dataTitleBlock'] === abstractMarker) {
      parent.children.splice(index, 1)
      return child
    }
    const found = takeAbstract(child)
    if (found) return found
  }
  return undefined
}

/** `2017-01-20` in the document's language ("20 January 2017" in en-GB); anything else as written. */
export function formatDate(date: string, lang: string): string {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(date)
  if (!match) return date
  const [, year, month, day] = match
  const value = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day ?? 1)))
  const format: Intl.DateTimeFormatOptions = day ? { dateStyle: 'long', timeZone: 'UTC' } : { year: 'numeric', month: 'long', timeZone: 'UTC' }
  try {
    return new Intl.DateTimeFormat(lang, format).format(value)
  } catch {
    return date
  }
}

export interface TocEntry {
  id: string
  /** The heading's text, without its section number. */
  text: string
  /** Its section number (`1.2`) when sections are numbered. */
  number?: string
  level: number
  /** Who wrote it, for a course pack's reading (`data-byline` on its heading): shown after its title. */
  byline?: string
  children: TocEntry[]
}

/**
 * The headings of the main text down to `toc-depth`, nested; `.unlisted` headings stay out, as in Pandoc, and so
 * does the notes section when notes are footnotes (it is not a place in the book then).
 */
export function collectHeadings(main: Element, depth: number, skipNotes = false): TocEntry[] {
  const roots: TocEntry[] = []
  const stack: TocEntry[] = []
  const walk = (node: Element): void => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      const level = /^h([1-6])$/.exec(child.tagName)?.[1]
      const classes = child.properties['className']
      const unlisted = Array.isArray(classes) && classes.includes('unlisted')
      if (level && Number(level) <= depth && !unlisted && typeof child.properties['id'] === 'string') {
        const number = child.properties['dataNumber']
        const byline = child.properties['dataByline']
        const entry: TocEntry = {
          id: child.properties['id'],
          text: headingText(child),
          ...(typeof number === 'string' ? { number } : {}),
          ...(typeof byline === 'string' ? { byline } : {}),
          level: Number(level),
          children: [],
        }
        while ((stack.at(-1)?.level ?? 0) >= entry.level) stack.pop()
        ;(stack.at(-1)?.children ?? roots).push(entry)
        stack.push(entry)
      } else if (!level && !(skipNotes && child.properties['dataFootnotes'] !== undefined)) {
        walk(child)
      }
    }
  }
  walk(main)
  return roots
}

/** A heading's text, its section number left out; a formula counts as what it shows, not as its TeX annotation too. */
function headingText(node: Element): string {
  const number = node.children.findIndex(isSectionNumber)
  // The number and the space after it.
  const children = number === -1 ? node.children : node.children.filter((_, index) => index !== number && index !== number + 1)
  return children
    .map((child): string => {
      if (child.type === 'text') return child.value
      if (child.type !== 'element' || child.tagName === 'annotation') return ''
      return headingText(child)
    })
    .join('')
}

function tableOfContents(main: Element, metadata: Metadata): Element {
  const list = (entries: TocEntry[]): Element =>
    h(
      'ol',
      entries.map((entry) =>
        h('li', [
          // The page number is filled in by the PDF layout pass; the dotted leader runs between.
          h('a', { href: `#${entry.id}`, id: `toc-${entry.id}` }, [h('span.toc-text', tocText(entry)), h('span.toc-leader'), h('span.toc-page', '000')]),
          ...(entry.children.length > 0 ? [list(entry.children)] : []),
        ]),
      ),
    )
  return h('nav#TOC', { role: 'doc-toc' }, [h('h1#toc-title.unnumbered', metadata.tocTitle), list(collectHeadings(main, metadata.tocDepth, metadata.notes === 'footnotes'))])
}

/** Where the text placed the contents (`galley-toc`, from `\tableofcontents`), with the element holding each. */
function tocMarks(main: Element): { node: Element; parent: Element }[] {
  const marks: { node: Element; parent: Element }[] = []
  visit(main, 'element', (node, _, parent) => {
    if (parent?.type === 'element' && classNames(node.properties['className']).includes('galley-toc')) marks.push({ node, parent })
  })
  return marks
}

/**
 * The contents at the first mark, the others left out (one table of contents, as one list of figures). In a book, a
 * mark inside a chapter (a file of commands, `\tableofcontents` and `\listoffigures`, goes on with the chapter
 * before it) ends the chapter there: the contents and what follows them stand between the chapters, as the front
 * matter LaTeX sets after its own contents, and the print gives the contents pages of their own.
 */
function placeContents(main: Element, marks: readonly { node: Element; parent: Element }[], toc: Element, article: boolean): void {
  for (const { node, parent } of marks.slice(1)) parent.children.splice(parent.children.indexOf(node), 1)
  const [first] = marks
  if (!first) return
  const { node, parent } = first
  const at = parent.children.indexOf(node)
  const chapter = main.children.indexOf(parent)
  if (article || chapter === -1 || !classNames(parent.properties['className']).includes('chapter')) {
    parent.children.splice(at, 1, toc)
    return
  }
  const after = parent.children.splice(at).slice(1)
  main.children.splice(chapter + 1, 0, toc, ...after)
  if (parent.children.every(isBlank)) main.children.splice(chapter, 1) // The mark opened the book: no chapter before it.
}

/**
 * An entry's text, after its section number as Pandoc writes it: `<span class="toc-section-number">1.2</span> Text`;
 * a reading's authors after it (`Text<span class="toc-byline"> — Author</span>`).
 */
export function tocText(entry: Readonly<Pick<TocEntry, 'text' | 'number' | 'byline'>>): ElementContent[] {
  const text: ElementContent[] = entry.number === undefined ? [{ type: 'text', value: entry.text }] : [h('span.toc-section-number', entry.number), { type: 'text', value: ` ${entry.text}` }]
  return entry.byline === undefined ? text : [...text, h('span.toc-byline', ` — ${entry.byline}`)]
}

/**
 * remark-rehype puts the notes last; when the bibliography was appended at the end too, a printed piece
 * reads notes first, then the bibliography (Chicago's order).
 */
function notesBeforeBibliography(children: ElementContent[]): ElementContent[] {
  const notes = children.findIndex((node) => node.type === 'element' && node.tagName === 'section' && node.properties['dataFootnotes'] !== undefined)
  const heading = children.findIndex((node) => node.type === 'element' && node.properties['id'] === 'bibliography')
  const refs = children.findIndex((node) => node.type === 'element' && node.properties['id'] === 'refs')
  const between = children.slice(heading + 1, refs)
  const start = heading !== -1 && heading < refs && between.every((node) => node.type === 'text' && node.value.trim() === '') ? heading : refs
  if (notes === -1 || start === -1 || notes < start) return children
  const [section] = children.splice(notes, 1)
  if (section) children.splice(start, 0, section)
  return children
}
