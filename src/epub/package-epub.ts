// Packages content documents into an EPUB 3 (OPF, nav with landmarks, NCX, cover, fonts), reproducibly.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Element, ElementContent, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { toString } from 'hast-util-to-string'
import { h } from 'hastscript'
import { ZipFile } from 'yazl'
import type { Metadata } from '../config/schema.js'
import { termsFor } from '../config/translations.js'
import { fontLicenseFile, hasMathFont, mathFont, mathFontFaceCss, trueTypeFaceCss } from '../html/fonts.js'
import { projectImages, mediaType, readProjectImage } from '../html/images.js'
import { epubSvg } from './epub-svg.js'
import { authorLine, collectHeadings, formatDate, tocText, type TocEntry } from '../html/rehype-document.js'
import { visit } from '../tree-visit.js'
import { escapeXml } from '../xml.js'
import type { ContentDocument } from './split.js'
import { epubDate } from './epub-date.js'
import type { Cache } from '../file-cache.js'
import type { ListKind, ShownList } from '../html/rehype-crossref-lists.js'
import { cssContentText, subsetFaces } from './font-subset.js'

export interface EpubOptions {
  metadata: Metadata
  documents: readonly ContentDocument[]
  /** The HTML's title block (`rehypeDocument`), the title page's content; without it, one made from the metadata. */
  titleBlock?: readonly ElementContent[] | undefined
  /** The EPUB style sheet text (fonts are added here). */
  css: string
  /** `dcterms:modified`, and the time stamp of every zip entry. */
  modified: Date
  /** Images' project-relative paths are read from here. */
  projectDir: string
  /** Embed the text face (subset) and, for a book with formulas, the math font (`epub-fonts`). */
  fonts: boolean
  /** Where the font subsets of earlier builds are kept, by the characters they hold. */
  fontCache?: Cache | undefined
  /** The cover picture (the author's, or one drawn from the title); without it, an SVG cover drawn here. */
  cover?: CoverImage | undefined
  /** The print edition whose page numbers the documents' `doc-pagebreak` markers carry (`dc:source`). */
  printSource?: string | undefined
  /** The lists of figures, tables and listings the book shows after its contents (`lof`, `lot`, `lol`). */
  lists?: readonly ShownList[] | undefined
}

export interface CoverImage {
  bytes: Uint8Array
  /** `.png`, `.jpg`, `.jpeg`, `.gif` or `.svg`: its type. */
  extension: string
}

/** The font licence's name in the EPUB, beside the fonts it covers. */
const fontLicenseName = 'OFL.txt'

const xmlHeader = '<?xml version="1.0" encoding="UTF-8"?>\n'

/** Stands for `<` in attribute values until serialization, which leaves `<` as it is there (HTML allows it; XML does not). */
const lessThan = '\uFDD2'
/** Ends a boolean attribute's value, so the serializer writes `disabled="disabled"`, not HTML's bare `disabled`. */
const booleanValue = '\uFDD3'

/**
 * XML has no attribute without a value: `hidden` becomes `hidden="hidden"`, `data-x` becomes `data-x=""`; and no `<`
 * in one (a title "x < y" in an `alt`).
 */
function xmlAttributes(nodes: readonly ElementContent[]): void {
  for (const node of nodes) {
    if (node.type !== 'element') continue
    for (const [key, value] of Object.entries(node.properties)) {
      if (value === true) node.properties[key] = key.startsWith('data') ? '' : key.toLowerCase() + booleanValue
      else if (value === false) delete node.properties[key]
      else if (typeof value === 'string' && value.includes('<')) node.properties[key] = value.replaceAll('<', lessThan)
    }
    xmlAttributes(node.children)
  }
}

/** The `epub:type`s of a whole document that have an ARIA role, which `body` cannot take. */
const sectionRoles: Record<string, string> = { bibliography: 'doc-bibliography', endnotes: 'doc-endnotes' }

function xhtml(title: string, lang: string, content: ElementContent[], type?: string): string {
  // A bibliography or endnotes file is a back-matter body holding a section of that type with its role, as DAISY Ace
  // asks (each `epub:type` with an ARIA counterpart carries the role too).
  const role = type === undefined ? undefined : sectionRoles[type]
  const body = role ? [h('section', { 'epub:type': type, role }, content)] : content
  const bodyType = role ? 'backmatter' : type
  xmlAttributes(body)
  const tree: Root = {
    type: 'root',
    children: [
      h('html', { xmlns: 'http://www.w3.org/1999/xhtml', 'xmlns:epub': 'http://www.idpf.org/2007/ops', lang, 'xml:lang': lang }, [
        h('head', [h('meta', { charSet: 'utf-8' }), h('title', title), h('link', { rel: 'stylesheet', type: 'text/css', href: 'style.css' })]),
        h('body', bodyType ? { 'epub:type': bodyType } : {}, body),
      ]),
    ],
  }
  const html = toHtml(tree, { space: 'html', closeSelfClosing: true, closeEmptyElements: false, tightSelfClosing: false, allowDangerousCharacters: false, characterReferences: { useNamedReferences: false } })
  return `${xmlHeader}<!DOCTYPE html>\n${html.replaceAll(lessThan, '&#x3C;').replaceAll(booleanValue, '')}\n`
}

/** A UUID made from the content, so the same book keeps the same identifier (not a random one). */
function contentUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(line)
  return lines
}

/** A plain typographic cover drawn from title and author, for books that bring no cover image. */
function coverSvg(metadata: Metadata): string {
  const title = wrap(metadata.title, 22)
    .map((line, index) => `<text x="300" y="${300 + index * 58}" font-size="46" font-weight="600">${escapeXml(line)}</text>`)
    .join('')
  const authors = metadata.author
    .map((author, index) => `<text x="300" y="${720 + index * 40}" font-size="30" letter-spacing="3">${escapeXml(author.name.toUpperCase())}</text>`)
    .join('')
  return `${xmlHeader}<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900" viewBox="0 0 600 900"><rect width="600" height="900" fill="#f4efe6"/><rect x="30" y="30" width="540" height="840" fill="none" stroke="#5a3e2b" stroke-width="2"/><g font-family="'Source Serif 4', Georgia, serif" fill="#2b1d12" text-anchor="middle">${title}${authors}</g></svg>\n`
}

interface NavEntry {
  href: string
  text: string
  /** The section number, when sections are numbered. */
  number?: string
  /** A course pack reading's authors. */
  byline?: string
  children: NavEntry[]
}

/**
 * The headings of all documents, nested across them as the HTML table of contents nests them (a part's chapters,
 * or an article's sections cut into files, sit under their heading); a document without a heading is listed by
 * its title.
 */
function navEntries(documents: readonly ContentDocument[], depth: number): NavEntry[] {
  const roots: NavEntry[] = []
  const stack: { level: number; entry: NavEntry }[] = []
  const add = (entry: NavEntry, level: number): void => {
    while ((stack.at(-1)?.level ?? 0) >= level) stack.pop()
    ;(stack.at(-1)?.entry.children ?? roots).push(entry)
    stack.push({ level, entry })
  }
  const flat = (entries: readonly TocEntry[], name: string): { entry: NavEntry; level: number }[] =>
    entries.flatMap((entry) => [{ entry: { href: `${name}#${entry.id}`, text: entry.text.trim(), ...(entry.number === undefined ? {} : { number: entry.number }), ...(entry.byline === undefined ? {} : { byline: entry.byline }), children: [] }, level: entry.level }, ...flat(entry.children, name)])
  for (const document of documents) {
    const entries = flat(collectHeadings(h('div', document.children), depth), document.name)
    if (entries.length === 0) add({ href: document.name, text: document.title, children: [] }, 1)
    for (const { entry, level } of entries) add(entry, level)
  }
  return roots
}

function navList(entries: readonly NavEntry[]): Element {
  return h('ol', entries.map((entry) => h('li', [h('a', { href: entry.href }, tocText(entry)), ...(entry.children.length > 0 ? [navList(entry.children)] : [])])))
}

/**
 * The NCX (EPUB 2's table of contents, which Kindle reads) to `levels` levels: Kindle shows two and nothing deeper, so
 * a third level would only be lost there. The EPUB 3 nav keeps every level.
 */
function ncxPoints(entries: readonly NavEntry[], counter: { value: number }, levels: number): string {
  return entries
    .map((entry) => {
      counter.value += 1
      const id = counter.value
      const children = levels > 1 ? ncxPoints(entry.children, counter, levels - 1) : ''
      return `<navPoint id="nav-${id}" playOrder="${id}"><navLabel><text>${escapeXml(entry.number === undefined ? entry.text : `${entry.number} ${entry.text}`)}</text></navLabel><content src="${escapeXml(entry.href)}"/>${children}</navPoint>`
    })
    .join('')
}

function ncxDepth(entries: readonly NavEntry[], levels: number): number {
  if (entries.length === 0 || levels === 0) return 0
  return 1 + Math.max(...entries.map((entry) => ncxDepth(entry.children, levels - 1)))
}

/** The bibliography's heading as the book writes it, for its landmark: the heading last before its entries. */
function bibliographyTitle(document: ContentDocument, fallback: string): string {
  if (document.role === 'bibliography') return document.title
  let heading = fallback
  const find = (nodes: readonly ElementContent[]): boolean =>
    nodes.some((node) => {
      if (node.type !== 'element') return false
      if (node.properties['id'] === 'refs') return true
      if (/^h[1-6]$/.test(node.tagName)) heading = toString(node).trim() || heading
      return find(node.children)
    })
  return find(document.children) ? heading : fallback
}

/** Builds the EPUB bytes: `mimetype` first and stored, every entry dated `modified`. */
export async function packageEpub(options: EpubOptions): Promise<Uint8Array> {
  const { metadata, documents } = options
  const lang = metadata.lang
  const identifier = metadata.identifier ?? `urn:uuid:${contentUuid(JSON.stringify([metadata.title, metadata.author, documents.map((d) => toHtml(d.children))]))}`
  const files: Record<string, Uint8Array> = {}
  const text = (value: string): Uint8Array => new TextEncoder().encode(value)

  const titlePage: ElementContent[] = [
    h(
      'section.title-page',
      { 'epub:type': 'titlepage' },
      options.titleBlock ? [...options.titleBlock] : [
        h('h1.title', metadata.title),
        ...(metadata.subtitle ? [h('p.subtitle', metadata.subtitle)] : []),
        ...metadata.author.map(authorLine),
        ...(metadata.date ? [h('p.date', formatDate(metadata.date, lang))] : []),
      ],
    ),
  ]
  // The cover picture when there is one (the author's, checked by the build, or a drawn JPEG), else an SVG one.
  const coverType = options.cover ? mediaType(`cover${options.cover.extension}`) : undefined
  const coverName = options.cover && coverType ? `cover${options.cover.extension}` : 'cover.svg'
  files[`EPUB/${coverName}`] = options.cover && coverType ? options.cover.bytes : text(coverSvg(metadata))
  files['EPUB/cover.xhtml'] = text(xhtml(termsFor(lang).cover, lang, [h('section.cover', { 'epub:type': 'cover' }, [h('img', { src: coverName, alt: `${termsFor(lang).cover}: ${metadata.title}` })])]))
  const media = new Map<string, string>()
  let undescribed = 0
  // The title page's pictures (an abstract's) are packaged as the chapters' are.
  for (const children of [titlePage, ...documents.map((document) => document.children)]) {
    for (const image of projectImages({ type: 'root', children })) {
      if (String(image.properties['alt'] ?? '').trim() === '') undescribed += 1
      const src = String(image.properties['src'])
      const name = `media/${src.replace(/[^\w./-]/g, '_').replace(/^(\.\.\/)+/, '')}`
      if (!media.has(name)) {
        const type = mediaType(src) ?? 'application/octet-stream'
        const bytes = readProjectImage(options.projectDir, src)
        files[`EPUB/${name}`] = type === 'image/svg+xml' ? epubSvg(bytes) : bytes
        media.set(name, type)
      }
      image.properties['src'] = name
    }
  }
  files['EPUB/title.xhtml'] = text(xhtml(metadata.title, lang, titlePage, 'frontmatter'))
  const single = documents.filter((document) => document.role === 'bodymatter').length === 1
  for (const document of documents) {
    const title = single && document.role === 'bodymatter' ? metadata.title : document.title
    files[`EPUB/${document.name}`] = text(xhtml(title, lang, document.children, document.role))
  }
  const entries = navEntries(documents, metadata.tocDepth)
  const firstBody = documents.find((document) => document.role === 'bodymatter')
  const bibliography = documents.find((document) => document.role === 'bibliography' || document.children.some((node) => node.type === 'element' && hasId(node, 'refs')))
  const words = termsFor(lang)
  const lists = listNavs(options.lists ?? [], documents)
  const landmarks = [
    h('li', [h('a', { href: 'cover.xhtml', 'epub:type': 'cover' }, words.cover)]),
    h('li', [h('a', { href: 'nav.xhtml', 'epub:type': 'toc' }, metadata.tocTitle)]),
    ...lists.flatMap(({ type, id, title }) => (type.landmark ? [h('li', [h('a', { href: `nav.xhtml#${id}`, 'epub:type': type.type }, title)])] : [])),
    ...(firstBody ? [h('li', [h('a', { href: firstBody.name, 'epub:type': 'bodymatter' }, words.startOfText)])] : []),
    // Named as the book names it ("References", "Literatur"), not always "Bibliography".
    ...(bibliography ? [h('li', [h('a', { href: `${bibliography.name}#refs`, 'epub:type': 'bibliography' }, bibliographyTitle(bibliography, words.bibliography))])] : []),
  ]
  // The print edition's pages, where the text marks them: a reader can go to "p. 37".
  const pageBreaks = options.printSource === undefined ? [] : documents.flatMap((document) => pageBreaksIn(document))
  const pageList = pageBreaks.map((marker) => h('li', [h('a', { href: `${marker.file}#${marker.id}` }, marker.label)]))
  files['EPUB/nav.xhtml'] = text(
    xhtml(metadata.tocTitle, lang, [
      h('nav', { 'epub:type': 'toc', id: 'toc', role: 'doc-toc' }, [h('h1', metadata.tocTitle), navList(entries)]),
      ...lists.map((list) => list.nav),
      h('nav', { 'epub:type': 'landmarks', id: 'landmarks' }, [h('h1', words.landmarks), h('ol', landmarks)]),
      ...(pageList.length > 0 ? [h('nav', { 'epub:type': 'page-list', id: 'page-list', role: 'doc-pagelist', hidden: true }, [h('h1', words.pages), h('ol', pageList)])] : []),
    ]),
  )
  // The text face as TrueType (Kindle's KF8 takes no WOFF2) cut down to what the book shows, with the licence that
  // OFL-1.1 requires beside it. `@namespace` must come before every rule but `@charset` and `@import`: after the
  // `@font-face` rules it is invalid, and a conforming parser drops it, and with it every rule that uses its prefix
  // (the notes' `epub|type`).
  const namespaces = options.css.match(/^@namespace[^;]*;\s*$/gm) ?? []
  const rules = options.css.replace(/^@namespace[^;]*;\s*$/gm, '')
  const shown = [metadata.title, toString(h('div', titlePage)), toString(h('div', documents.flatMap((document) => document.children))), toString(h('div', landmarks)), toString(h('div', lists.map((list) => list.nav))), metadata.tocTitle, words.landmarks, cssContentText(rules)].join('\n')
  const faces = options.fonts ? await subsetFaces(shown, options.fontCache) : []
  for (const { face, bytes } of faces) files[`EPUB/fonts/${face.name}`] = bytes
  if (faces.length > 0) files[`EPUB/fonts/${fontLicenseName}`] = readFileSync(fontLicenseFile)
  // Content documents with formulas are declared (`properties="mathml"`) and the book carries the math font.
  const withMath = new Set(documents.filter((document) => hasMathMl(document.children)))
  // A formula in the abstract puts MathML on the title page.
  const titleMath = hasMathMl(titlePage)
  const mathFontFile = options.fonts && (withMath.size > 0 || titleMath) && hasMathFont() ? `fonts/${mathFont.name}` : undefined
  if (mathFontFile) files[`EPUB/${mathFontFile}`] = readFileSync(mathFont.file)
  const fontRules = [...faces.map(({ face }) => trueTypeFaceCss(face, `fonts/${face.name}`)), ...(mathFontFile ? [mathFontFaceCss(mathFontFile)] : [])]
  files['EPUB/style.css'] = text(`${namespaces.join('\n')}\n${fontRules.map((rule) => `${rule}\n`).join('')}${rules}`)

  files['EPUB/toc.ncx'] = text(
    `${xmlHeader}<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${escapeXml(lang)}"><head><meta name="dtb:uid" content="${escapeXml(identifier)}"/><meta name="dtb:depth" content="${ncxDepth(entries, 2)}"/></head><docTitle><text>${escapeXml(metadata.title)}</text></docTitle><navMap>${ncxPoints(entries, { value: 0 }, 2)}</navMap></ncx>\n`,
  )

  const manifest = [
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
    '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
    '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
    `<item id="cover-image" href="${coverName}" media-type="${coverType ?? 'image/svg+xml'}" properties="cover-image"/>`,
    `<item id="title" href="title.xhtml" media-type="application/xhtml+xml"${titleMath ? ' properties="mathml"' : ''}/>`,
    '<item id="css" href="style.css" media-type="text/css"/>',
    ...faces.map(({ face }, index) => `<item id="font-${index + 1}" href="fonts/${face.name}" media-type="font/ttf"/>`),
    ...(faces.length > 0 ? [`<item id="font-licence" href="fonts/${fontLicenseName}" media-type="text/plain"/>`] : []),
    ...(mathFontFile ? [`<item id="font-math" href="${mathFontFile}" media-type="font/ttf"/>`] : []),
    ...documents.map((document, index) => `<item id="doc-${index + 1}" href="${document.name}" media-type="application/xhtml+xml"${withMath.has(document) ? ' properties="mathml"' : ''}/>`),
    ...[...media].map(([name, type], index) => `<item id="media-${index + 1}" href="${escapeXml(name)}" media-type="${type}"/>`),
  ]
  const spine = [
    '<itemref idref="cover" linear="yes"/>',
    '<itemref idref="title"/>',
    '<itemref idref="nav" linear="no"/>',
    ...documents.map((_, index) => `<itemref idref="doc-${index + 1}"/>`),
  ]
  const creators = metadata.author
    .map((author, index) => `<dc:creator id="creator-${index + 1}">${escapeXml(author.name)}</dc:creator><meta refines="#creator-${index + 1}" property="role" scheme="marc:relators">aut</meta>`)
    .join('')
  const optional = [
    metadata.date && epubDate(metadata.date) ? `<dc:date>${epubDate(metadata.date) ?? ''}</dc:date>` : '',
    metadata.publisher ? `<dc:publisher>${escapeXml(metadata.publisher)}</dc:publisher>` : '',
    metadata.rights ? `<dc:rights>${escapeXml(metadata.rights)}</dc:rights>` : '',
    // A description that only repeats the title tells a store or a reader nothing: written only when there is one.
    metadata.description ? `<dc:description>${escapeXml(metadata.description)}</dc:description>` : '',
    ...[metadata.subject, ...metadata.keywords].filter(Boolean).map((subject) => `<dc:subject>${escapeXml(subject ?? '')}</dc:subject>`),
  ].join('')
  // The conformance claim (EPUB Accessibility 1.1 at WCAG 2.2 AA) that DAISY Ace's checks support for Galley's
  // markup (tests/epub-accessibility.e2e.test.ts), made only when every image has its description: the one part of
  // it that only the author can give.
  const described = undescribed === 0
  const accessibility = [
    ...(described ? ['<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>'] : []),
    '<meta property="schema:accessMode">textual</meta>',
    ...(media.size > 0 ? ['<meta property="schema:accessMode">visual</meta>'] : []),
    ...(described ? ['<meta property="schema:accessModeSufficient">textual</meta>'] : ['<meta property="schema:accessModeSufficient">textual,visual</meta>']),
    ...(media.size > 0 && described ? ['<meta property="schema:accessibilityFeature">alternativeText</meta>'] : []),
    '<meta property="schema:accessibilityFeature">displayTransformability</meta>',
    '<meta property="schema:accessibilityFeature">structuralNavigation</meta>',
    '<meta property="schema:accessibilityFeature">tableOfContents</meta>',
    '<meta property="schema:accessibilityFeature">readingOrder</meta>',
    ...(pageList.length > 0
      ? ['<meta property="schema:accessibilityFeature">printPageNumbers</meta>', '<meta property="schema:accessibilityFeature">pageBreakMarkers</meta>', '<meta property="schema:accessibilityFeature">pageNavigation</meta>']
      : []),
    ...(withMath.size > 0 || titleMath ? ['<meta property="schema:accessibilityFeature">MathML</meta>'] : []),
    '<meta property="schema:accessibilityHazard">none</meta>',
    '<meta property="schema:accessibilitySummary">Text with headings, a navigable table of contents and linked notes and references.</meta>',
  ].join('')
  // The PDF as the source of the pagination, in EPUB 3.3's form (`dc:source` refined by `source-of`): the newer
  // `pageBreakSource` is a proposal after 3.3 that epubcheck 4.2.6 rejects as an undefined property (OPF-027).
  files['EPUB/package.opf'] = text(
    `${xmlHeader}<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${escapeXml(lang)}" prefix="schema: http://schema.org/"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="pub-id">${escapeXml(identifier)}</dc:identifier><dc:title>${escapeXml(metadata.title)}</dc:title><dc:language>${escapeXml(lang)}</dc:language>${creators}${optional}${pageList.length > 0 ? `<dc:source id="print-source">${escapeXml(options.printSource ?? '')}</dc:source><meta refines="#print-source" property="source-of">pagination</meta>` : ''}<meta property="dcterms:modified">${isoSeconds(options.modified)}</meta>${accessibility}<meta name="cover" content="cover-image"/></metadata><manifest>${manifest.join('')}</manifest><spine toc="ncx">${spine.join('')}</spine></package>\n`,
  )
  files['META-INF/container.xml'] = text(
    `${xmlHeader}<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n`,
  )

  return zip(files, options.modified)
}

/**
 * The zip: `mimetype` first, stored, with no extra field (OCF); the rest sorted, deflated by Node's zlib (a JavaScript
 * deflate took a third of a book's EPUB build) except fonts and images, which are compressed already. Sizes go in
 * the local headers, and times in DOS form only, so that readers that walk the local headers read every entry.
 */
async function zip(files: Readonly<Record<string, Uint8Array>>, mtime: Date): Promise<Uint8Array> {
  const archive = new ZipFile()
  const options = { mtime, forceDosTimestamp: true }
  archive.addBuffer(Buffer.from('application/epub+zip'), 'mimetype', { ...options, compressionLevel: 0 })
  for (const name of Object.keys(files).sort()) {
    const data = files[name]
    if (data) archive.addBuffer(Buffer.from(data.buffer, data.byteOffset, data.byteLength), name, { ...options, compressionLevel: /\.(woff2|png|jpe?g|gif|webp)$/i.test(name) ? 0 : 9 })
  }
  archive.end()
  const chunks: Buffer[] = []
  for await (const chunk of archive.outputStream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * The structural semantics of each list in the navigation document: EPUB's `loi` (illustrations) for figures and `lot`
 * for tables, which reading systems built on Readium list beside the contents and epubcheck looks for (NAV-006,
 * NAV-007), and which the landmarks name too. EPUB's vocabulary has no word for listings, and a `nav` without one
 * is an epubcheck warning (RSC-017): theirs is pandoc-crossref's `lol`, which epubcheck notes only among its usage
 * messages (OPF-088, `-u`), and reading systems ignore, as they must an unknown word; it stays out of the landmarks.
 */
const listTypes: Record<ListKind, { type: string; landmark: boolean }> = { lof: { type: 'loi', landmark: true }, lot: { type: 'lot', landmark: true }, lol: { type: 'lol', landmark: false } }

/** Each list as a `nav` of the navigation document, its entries linked into the files that now hold their targets. */
function listNavs(lists: readonly ShownList[], documents: readonly ContentDocument[]): { nav: Element; type: (typeof listTypes)[ListKind]; id: string; title: string }[] {
  const home = new Map<string, string>()
  for (const document of documents) {
    visit({ type: 'root', children: document.children }, 'element', (node) => {
      const id = node.properties['id']
      if (typeof id === 'string' && !home.has(id)) home.set(id, document.name)
    })
  }
  return lists.map((list) => {
    const type = listTypes[list.kind]
    const entries = list.entries.flatMap((entry) => {
      const file = home.get(entry.id)
      return file === undefined ? [] : [h('li', [h('a', { href: `${file}#${entry.id}` }, [h('span.list-number', `${entry.number}.`), ` ${entry.caption}`])])]
    })
    const nav = h('nav', { 'epub:type': type.type, id: list.kind, ariaLabelledBy: `${list.kind}-title` }, [h('h1', { id: `${list.kind}-title` }, list.title), h('ol', entries)])
    return { nav, type, id: list.kind, title: list.title }
  })
}

function hasMathMl(nodes: readonly ElementContent[]): boolean {
  return nodes.some((node) => node.type === 'element' && (node.tagName === 'math' || hasMathMl(node.children)))
}

/** The `doc-pagebreak` markers of a document, in order, with the file they are in. */
function pageBreaksIn(document: ContentDocument): { file: string; id: string; label: string }[] {
  const found: { file: string; id: string; label: string }[] = []
  const walk = (nodes: readonly ElementContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue
      if (node.properties['role'] === 'doc-pagebreak') found.push({ file: document.name, id: String(node.properties['id']), label: String(node.properties['ariaLabel']) })
      walk(node.children)
    }
  }
  walk(document.children)
  return found
}

function hasId(node: Element, id: string): boolean {
  if (node.properties['id'] === id) return true
  return node.children.some((child) => child.type === 'element' && hasId(child, id))
}
