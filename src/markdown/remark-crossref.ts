// Cross-references as pandoc-crossref and Quarto write them: numbers labelled figures, tables, listings and
// equations, and turns `@fig:x`, `[@fig:x; @fig:y]`, `@fig-x`… into their text before the citations stage sees them.
import type { Code, Emphasis, Image, Link, Paragraph, Parent, PhrasingContent, Root, RootContent, Strong, Table, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Point } from 'unist'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import { crossrefTermsFor, type CrossrefTerms } from '../config/translations.js'
import { SKIP, visit } from '../tree-visit.js'
import { splitTrailingAttributes } from './attributes.js'
import { parseInline } from './parse-inline.js'
import type { Citation, CitationItemSyntax, DisplayMath, FencedDiv, FigureCaption, TableCaption } from './types.js'

export interface Options {
  metadata: Metadata
  /**
   * Whether a key is in the bibliography: a key with a cross-reference prefix that is also a citation key is a
   * cross-reference only when the document defines that label (else it stays a citation). Default: no key is.
   */
  isCitationKey?: (key: string) => boolean
}

type Kind = 'fig' | 'tbl' | 'lst' | 'eq' | 'sec'

/** One numbered thing: its label (also its element's id), its number as printed and its place in reading order. */
interface Target {
  kind: Kind
  label: string
  /** The number as printed: `3`, or `2.3` with `chapters`. Sections have none here (`rehypeCrossrefSections`). */
  index: string
  /** The chapter part and the count, to find runs (`figs. 1-3`). */
  chapter: string
  count: number
  order: number
}

/** An entry of a list of figures, tables or listings (`lof`, `lot`, `lol`). */
export interface ListEntry {
  id: string
  index: string
  caption: string
}

export interface CrossrefLists {
  figures: ListEntry[]
  tables: ListEntry[]
  listings: ListEntry[]
  /** Whether the text asks for a list where it stands (`\listoffigures`, which `remarkRawTex` marked). */
  placed: boolean
}

declare module 'vfile' {
  interface DataMap {
    /** The labelled figures, tables and listings of the book, in order, for the lists of them. */
    crossref: CrossrefLists
  }
}

const source = 'galley:crossref'
/** A key as referenced: a prefix (capitalised for a capitalised reference word), `:` or `-`, the rest. */
const referenceKey = /^(fig|tbl|eq|sec|lst)([:-])(.+)$/i
const equationAttributes = /^[ \t]*(?:\r?\n[ \t]*)?\{#((?:eq)[:-][^\s{}]+)\}/
const texLabel = /\\label\{([^{}]+)\}/g
/** What opens a code block's caption paragraph with `codeBlockCaptions`, as pandoc-crossref reads it (in English only). */
const codeCaptionMarker = /^(?:Listing:|:)[ \t]+/
const nbsp = '\u00a0'

/**
 * The cross-reference pass over the whole book, before citations: first the labelled things are numbered in reading
 * order (captions get "Figure 1: ", equations their `(1)`), then each citation whose keys are labels becomes their
 * text, linked to them. A citation mixing labels and citation keys is split: the labels become text, the rest stays a
 * citation. An undefined label is reported and shown as `¿fig:x?` in bold, as pandoc-crossref shows it.
 */
export function remarkCrossref(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const { metadata, terms } = crossrefWords(options.metadata)
    const cellLabels = new Set<string>()
    const targets = number(tree, file, metadata, terms, cellLabels)
    const isCitationKey = options.isCitationKey ?? (() => false)
    let current = file
    visit(tree, (node, index, parent) => {
      if (node.type === 'chapter') current = node.data.file
      if (node.type !== 'citation' || !parent || index === undefined) return undefined
      const replacement = resolve(node, targets, current, { metadata, terms, isCitationKey, cellLabels })
      if (!replacement) return undefined
      ;(parent as Parent).children.splice(index, 1, ...(replacement as RootContent[]))
      return [SKIP, index + replacement.length]
    })
  }
}

/**
 * The metadata and words cross-references are written with: pandoc-crossref's keys as given, else Quarto's
 * `crossref:` words (`lst-title`, `title-delim`…, and its `*-prefix` for Quarto's own `@lst-x` references), else the
 * document language's.
 */
export function crossrefWords(given: Metadata): { metadata: Metadata; terms: CrossrefTerms } {
  const quarto = given.quartoCrossref
  const set = (key: string): boolean => given.given.includes(key)
  const metadata: Metadata = {
    ...given,
    figureTitle: given.figureTitle ?? quarto['fig-title'],
    tableTitle: given.tableTitle ?? quarto['tbl-title'],
    listingTitle: given.listingTitle ?? quarto['lst-title'],
    lofTitle: given.lofTitle ?? quarto['lof-title'],
    lotTitle: given.lotTitle ?? quarto['lot-title'],
    lolTitle: given.lolTitle ?? quarto['lol-title'],
    titleDelim: set('titleDelim') ? given.titleDelim : (quarto['title-delim'] ?? given.titleDelim),
    linkReferences: set('linkReferences') ? given.linkReferences : (quarto['ref-hyperlink'] ?? given.linkReferences),
  }
  const language = crossrefTermsFor(given.lang)
  const words = language.quarto
  const quartoWords = { fig: quarto['fig-prefix'] ?? words.fig, tbl: quarto['tbl-prefix'] ?? words.tbl, eq: quarto['eq-prefix'] ?? words.eq, sec: quarto['sec-prefix'] ?? words.sec, lst: quarto['lst-prefix'] ?? words.lst }
  return { metadata, terms: { ...language, quarto: quartoWords } }
}

/**
 * Numbers the labelled figures, tables and equations and records every label; reports duplicates. The labels of
 * Quarto code cells (`#| label: fig-x`), whose figure only running the code would make, go to `cellLabels`.
 */
function number(tree: Root, file: VFile, metadata: Metadata, terms: CrossrefTerms, cellLabels: Set<string>): Map<string, Target> {
  const targets = new Map<string, Target>()
  const counts: Record<Kind, number> = { fig: 0, tbl: 0, lst: 0, eq: 0, sec: 0 }
  const chapterCounters: number[] = []
  const lists: CrossrefLists = { figures: [], tables: [], listings: [], placed: false }
  if (metadata.codeBlockCaptions) attachCodeBlockCaptions(tree)
  let current = file
  let order = 0
  const define = (kind: Kind, label: string, place: Point | undefined): Target | undefined => {
    if (targets.has(label)) {
      current.message(`Label "${label}" is defined more than once; references go to the first`, { ...(place ? { place } : {}), ruleId: 'crossref-duplicate', source })
      return undefined
    }
    const chapter = metadata.chapters ? chapterCounters.slice(0, metadata.chaptersDepth).map((n) => n ?? 0).join(metadata.chapDelim) : ''
    const count = kind === 'sec' ? 0 : ++counts[kind]
    const target: Target = { kind, label, index: chapter ? `${chapter}${metadata.chapDelim}${count}` : String(count), chapter, count, order: order++ }
    targets.set(label, target)
    return target
  }
  visit(tree, (node, index, parent) => {
    switch (node.type) {
      case 'chapter':
        current = node.data.file
        return undefined
      case 'heading': {
        const classes = classList(node.data?.hProperties?.['className'])
        if (metadata.chapters && node.depth <= metadata.chaptersDepth && !classes.includes('unnumbered')) {
          chapterCounters.length = node.depth
          for (let level = 0; level < node.depth - 1; level++) chapterCounters[level] ??= 0
          chapterCounters[node.depth - 1] = (chapterCounters[node.depth - 1] ?? 0) + 1
          counts.fig = counts.tbl = counts.lst = counts.eq = 0
        }
        const id = node.data?.hProperties?.['id']
        // A second heading of one label loses it (and gets an identifier made from its text).
        if (typeof id === 'string' && /^sec[:-]/.test(id) && !define('sec', id, node.position?.start)) delete node.data?.hProperties?.['id']
        return undefined
      }
      case 'fencedDiv': {
        if (classList(node.data?.hProperties?.['className']).includes('galley-list-of')) lists.placed = true
        const figure = parent && index !== undefined ? (quartoFigure(node) ?? quartoTable(node) ?? wrappedListing(node)) : undefined
        if (!figure || !parent || index === undefined) return undefined
        // The figure (table, listing) in the div's place, numbered next as any figure.
        ;(parent as Parent).children.splice(index, 1, figure as RootContent)
        return [SKIP, index]
      }
      case 'paragraph': {
        const figure = labelledFigure(node)
        if (!figure) return undefined
        const target = define('fig', figure.id, node.position?.start)
        const hidden = hiddenFromList(figure.image.data?.hProperties)
        // A second figure of one label loses it: two elements of one id make an invalid EPUB.
        if (!target) delete figure.image.data?.hProperties?.['id']
        if (target) {
          const caption = figure.caption
          if (!hidden) lists.figures.push({ id: figure.id, index: target.index, caption: toString(caption) })
          caption.children.unshift(captionLabel(`${metadata.figureTitle ?? terms.figureTitle}${nbsp}${target.index}${metadata.titleDelim}`), { type: 'text', value: ' ' })
        }
        return undefined
      }
      case 'table': {
        const caption = node.children[0]?.type === 'tableCaption' ? node.children[0] : undefined
        const given = node.data?.hProperties?.['id']
        const id = caption && (captionLabelOf(caption) ?? (typeof given === 'string' && /^(?:tbl|tab)[:-]\S/.test(given) ? given : undefined))
        if (!caption || !id) return undefined
        const target = define('tbl', id, caption.position?.start)
        if (target) {
          setId(node, id)
          if (!hiddenFromList(node.data?.hProperties)) lists.tables.push({ id, index: target.index, caption: toString(caption) })
          caption.children.unshift(captionLabel(`${metadata.tableTitle ?? terms.tableTitle}${nbsp}${target.index}${metadata.titleDelim}`), { type: 'text', value: ' ' })
        }
        return undefined
      }
      case 'code': {
        const caption = listingCaption(node)
        if (!caption) {
          const label = cellOptions(node.value).get('label')?.value
          if (label && /^(?:fig|tbl)-\S/.test(label)) cellLabels.add(label)
        }
        if (!caption || !parent || index === undefined) return undefined
        const target = define('lst', caption.id, node.position?.start)
        const hidden = hiddenFromList(node.data?.attributes?.properties)
        if (target && !hidden) lists.listings.push({ id: caption.id, index: target.index, caption: toString({ type: 'paragraph', children: caption.children }) })
        if (target) caption.children.unshift(captionLabel(`${metadata.listingTitle ?? terms.listingTitle}${nbsp}${target.index}${metadata.titleDelim}`), { type: 'text', value: ' ' })
        ;(parent as Parent).children.splice(index, 1, listing(node, caption.children, target?.label))
        return [SKIP, index + 1]
      }
      case 'displayMath':
        if (parent && index !== undefined) numberEquation(node, parent as Parent, index, (label) => define('eq', label, node.position?.start))
        return undefined
      default:
        return undefined
    }
  })
  file.data.crossref = lists
  return targets
}

/** The values of pandoc-crossref's `hidden` attribute that leave an item in its list; any other hides it. */
const shownValues = new Set(['no', 'n', 'false', 'f', 'off', '0', 'none', 'null', 'disable', 'disabled', 'unset'])

/** Whether pandoc-crossref's `hidden` attribute keeps an item out of its list; the attribute leaves the output. */
function hiddenFromList(properties: Record<string, unknown> | undefined): boolean {
  const value = properties?.['data-hidden']
  if (value === undefined || value === null || !properties) return false
  delete properties['data-hidden']
  return !shownValues.has(String(value).toLowerCase())
}

function classList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

function setId(node: Table, id: string): void {
  node.data ??= {}
  node.data.hProperties = { ...node.data.hProperties, id }
}

/**
 * A numbered listing, as pandoc-crossref makes one: a `div.listing` with the label as its id, its caption above the
 * code (`.listing-caption`). The caption stays in the tree, so the citations in it are formatted as any others. A
 * second listing of one label keeps its caption, unnumbered, and loses the label (one id, one element).
 */
function listing(code: Code, caption: PhrasingContent[], id: string | undefined): FencedDiv {
  if (code.data?.attributes) delete code.data.attributes.id
  if (code.data) delete code.data.caption
  const label: Paragraph = { type: 'paragraph', data: { hName: 'div', hProperties: { className: ['listing-caption'] } }, children: caption }
  const div: FencedDiv = { type: 'fencedDiv', data: { hName: 'div', hProperties: { className: ['listing'], ...(id === undefined ? {} : { id }) } }, children: [label, code] }
  if (code.position) div.position = code.position
  return div
}

/** The "Figure 1:" of a caption, in a span the style sheets can set apart. */
function captionLabel(text: string): Emphasis {
  return { type: 'emphasis', data: { hName: 'span', hProperties: { className: ['caption-label'] } }, children: [{ type: 'text', value: text }] }
}

/** A figure (a paragraph of one image) whose image has a figure label: the label and its caption (made if need be). */
function labelledFigure(paragraph: Paragraph): { id: string; image: Image; caption: FigureCaption } | undefined {
  const [image, second] = paragraph.children
  if (image?.type !== 'image' || !image.alt?.trim() || paragraph.children.length > 2) return undefined
  if (second && second.type !== 'figureCaption') return undefined
  const id = image.data?.hProperties?.['id']
  if (typeof id !== 'string' || !/^fig[:-]\S/.test(id)) return undefined
  if (second) return { id, image, caption: second }
  const caption: FigureCaption = { type: 'figureCaption', children: [{ type: 'text', value: image.alt }] }
  paragraph.children.push(caption)
  return { id, image, caption }
}

/**
 * Quarto's figure div, `::: {#fig-x}` holding an image and then its caption paragraph: the figure Pandoc would make
 * of `![caption](image){#fig-x}`.
 */
function quartoFigure(div: FencedDiv): Paragraph | undefined {
  const id = div.data?.hProperties?.['id']
  if (typeof id !== 'string' || !/^fig[:-]\S/.test(id) || div.children.length !== 2) return undefined
  const [first, last] = div.children
  const image = first?.type === 'paragraph' && first.children.length === 1 ? first.children[0] : undefined
  if (image?.type !== 'image' || last?.type !== 'paragraph') return undefined
  image.data = { ...image.data, hProperties: { ...image.data?.hProperties, id } }
  const caption: FigureCaption = { type: 'figureCaption', children: last.children }
  image.alt = toString(caption)
  const paragraph: Paragraph = { type: 'paragraph', children: [image, caption] }
  if (div.position) paragraph.position = div.position
  return paragraph
}

/** Quarto's table div, `::: {#tbl-x}` holding a table and its caption: the table, with the div's label. */
function quartoTable(div: FencedDiv): Table | undefined {
  const id = div.data?.hProperties?.['id']
  const [table] = div.children
  if (typeof id !== 'string' || !/^tbl[:-]\S/.test(id) || div.children.length !== 1 || table?.type !== 'table') return undefined
  if (table.children[0]?.type !== 'tableCaption') return undefined
  setId(table, id)
  const hidden = div.data?.hProperties?.['data-hidden']
  if (hidden !== undefined && table.data?.hProperties) table.data.hProperties['data-hidden'] = hidden
  return table
}

/**
 * A listing as a div: pandoc-crossref's wrapping div (`::: {#lst:x .listing}`, its caption paragraph, then the code)
 * and Quarto's listing div (`::: {#lst-x}`, the code, then its caption paragraph): the code block, with the div's
 * label and the caption waiting on it (`data.caption`), numbered next as any listing.
 */
function wrappedListing(div: FencedDiv): Code | undefined {
  const id = div.data?.hProperties?.['id']
  if (typeof id !== 'string' || !/^lst[:-]\S/.test(id) || div.children.length !== 2) return undefined
  const [first, second] = div.children
  const code = first?.type === 'code' ? first : second?.type === 'code' ? second : undefined
  const caption = first?.type === 'paragraph' ? first : second?.type === 'paragraph' ? second : undefined
  if (!code || !caption) return undefined
  const attributes = code.data?.attributes ?? { classes: [], numberLines: false, startFrom: 1, properties: {} }
  code.data = { ...code.data, attributes: { ...attributes, id }, caption: caption.children }
  return code
}

/** A table caption's trailing `{#tbl:x}` (or `{#tbl-x}`): taken out of the text; the label. */
function captionLabelOf(caption: TableCaption): string | undefined {
  const last = caption.children.at(-1)
  if (last?.type !== 'text') return undefined
  const split = splitTrailingAttributes(last.value)
  const id = split?.[1]['id']
  if (!split || typeof id !== 'string' || !/^tbl[:-]\S/.test(id)) return undefined
  last.value = split[0].trimEnd()
  if (last.value === '') caption.children.pop()
  return id
}

/**
 * A listing's label and caption: a code block with a listing id and a caption, pandoc-crossref's
 * ```` ```{#lst:x caption="…"} ````, Quarto's ```` ```{#lst-x lst-cap="…"} ```` (or `lst-label="lst-x"`) or its cell options, `#| lst-label:`
 * and `#| lst-cap:` on the first lines of a cell (`//|`, `--|`, `%%|` in languages that comment so). The caption is
 * read as Markdown, and leaves the block's attributes (the two options leave its code).
 */
function listingCaption(node: Code): { id: string; children: PhrasingContent[] } | undefined {
  const attributes = node.data?.attributes
  const given = attributes?.id
  // One from a caption paragraph beside the block (`codeBlockCaptions`).
  if (node.data?.caption && given && /^lst[:-]\S/.test(given)) return { id: given, children: node.data.caption }
  const key = ['data-caption', 'data-lst-cap'].find((name) => typeof attributes?.properties[name] === 'string')
  const options = key ? undefined : cellOptions(node.value)
  const labelAttribute = attributes?.properties['data-lst-label']
  const id = given ?? (typeof labelAttribute === 'string' ? labelAttribute : options?.get('lst-label')?.value)
  const caption = key ? String(attributes?.properties[key]) : options?.get('lst-cap')?.value
  if (!id || !/^lst[:-]\S/.test(id) || caption === undefined || caption === '') return undefined
  if (key) delete attributes?.properties[key]
  if (typeof labelAttribute === 'string' && attributes) {
    delete attributes.properties['data-lst-label']
    attributes.id = id
  }
  if (options) {
    const lines = node.value.split('\n')
    const taken = new Set([options.get('lst-label')?.line, options.get('lst-cap')?.line])
    node.value = lines.filter((_, line) => !taken.has(line)).join('\n')
    node.data = { ...node.data, attributes: { ...(attributes ?? { classes: [], numberLines: false, startFrom: 1, properties: {} }), id } }
  }
  return { id, children: parseInline(caption) ?? [text(caption)] }
}

/** A Quarto cell's options, the `#| key: value` lines it opens with: each value (unquoted) and its line. */
function cellOptions(code: string): Map<string, { value: string; line: number }> {
  const options = new Map<string, { value: string; line: number }>()
  // Most blocks have none: they are not split into lines.
  if (!/^(?:#|\/\/|--|%%)\|/.test(code)) return options
  const lines = code.split('\n')
  for (let line = 0; line < lines.length; line++) {
    const option = /^(?:#|\/\/|--|%%)\|\s*([\w-]+)\s*:\s*(.*?)\s*$/.exec(lines[line] ?? '')
    if (!option) break
    const raw = option[2] ?? ''
    const quoted = /^(["'])(.*)\1$/.exec(raw)
    options.set(option[1] ?? '', { value: quoted ? (quoted[2] ?? '') : raw, line })
  }
  return options
}

/**
 * pandoc-crossref's `codeBlockCaptions`: a paragraph that opens with `Listing: ` or `: ` just before a code block, or
 * else just after it, is its caption when the block has a listing label, or when the caption ends in one
 * (`: Caption {#lst:x}`, which labels the block). The paragraph leaves the text; the caption waits on the block
 * (`data.caption`) for its number.
 */
function attachCodeBlockCaptions(tree: Root): void {
  visit(tree, (node) => {
    if (!('children' in node) || node.type === 'paragraph') return undefined
    const children = (node as Parent).children
    for (let index = 0; index < children.length - 1; index++) {
      const [first, second] = [children[index], children[index + 1]]
      let found: { paragraph: Paragraph; code: Code; caption: { id: string; children: PhrasingContent[] } } | undefined
      for (const [paragraph, code] of [[first, second], [second, first]]) {
        const caption = paragraph?.type === 'paragraph' && code?.type === 'code' ? codeCaption(paragraph, code) : undefined
        if (caption && paragraph?.type === 'paragraph' && code?.type === 'code') found ??= { paragraph, code, caption }
      }
      if (!found) continue
      const { paragraph, code, caption } = found
      const attributes = code.data?.attributes ?? { classes: [], numberLines: false, startFrom: 1, properties: {} }
      code.data = { ...code.data, attributes: { ...attributes, id: caption.id }, caption: caption.children }
      children.splice(children.indexOf(paragraph), 1)
    }
    return undefined
  })
}

/** The label and caption a paragraph gives a code block under `codeBlockCaptions`, if it is one of its captions. */
function codeCaption(paragraph: Paragraph, code: Code): { id: string; children: PhrasingContent[] } | undefined {
  // A block with a caption of its own (`caption="…"`, or a paragraph taken already) takes no other.
  const properties = code.data?.attributes?.properties ?? {}
  if (code.data?.caption || 'data-caption' in properties || 'data-lst-cap' in properties) return undefined
  const [head] = paragraph.children
  const marker = head?.type === 'text' ? codeCaptionMarker.exec(head.value) : null
  if (!marker) return undefined
  const children = structuredClone(paragraph.children)
  const first = children[0] as Text
  first.value = first.value.slice(marker[0].length)
  if (first.value === '') children.shift()
  // A trailing `{#lst:x}` is the label; the block's own listing label comes first.
  const last = children.at(-1)
  const split = last?.type === 'text' ? splitTrailingAttributes(last.value) : undefined
  const given = split?.[1]['id']
  const trailing = typeof given === 'string' && /^lst[:-]\S/.test(given) ? given : undefined
  if (trailing && last?.type === 'text' && split) {
    last.value = split[0].trimEnd()
    if (last.value === '') children.pop()
  }
  const own = code.data?.attributes?.id
  const id = own && /^lst[:-]\S/.test(own) ? own : trailing
  return id && children.length > 0 ? { id, children } : undefined
}

/**
 * A display formula's number: `$$ … $$ {#eq:x}` (the attributes taken out of the text after it) or `\label{x}`
 * inside it, as LaTeX's `equation` has it (one number per label, so each labelled line of an `align` gets one). The
 * HTML stage sets the numbers at the right of the display; the TeX is rendered without its labels.
 */
function numberEquation(node: DisplayMath, parent: Parent, index: number, define: (label: string) => Target | undefined): void {
  const next = parent.children[index + 1]
  const attributes = next?.type === 'text' ? equationAttributes.exec(next.value) : null
  const numbers: { label: string; index: string }[] = []
  if (next?.type === 'text' && attributes?.[1]) {
    next.value = next.value.slice(attributes[0].length)
    if (next.value === '') parent.children.splice(index + 1, 1)
    const target = define(attributes[1])
    if (target) numbers.push({ label: target.label, index: target.index })
  } else if (node.value.includes('\\label')) {
    const tex = node.value.replace(texLabel, (_, label: string) => {
      const target = define(label)
      if (target) numbers.push({ label: target.label, index: target.index })
      return ''
    })
    node.data = { ...node.data, tex }
  }
  if (numbers.length > 0) node.data = { ...node.data, numbers }
}

interface Context {
  metadata: Metadata
  terms: CrossrefTerms
  isCitationKey: (key: string) => boolean
  /** Labels of Quarto code cells (`#| label: fig-x`): defined only where the code runs. */
  cellLabels: ReadonlySet<string>
}

/** The warning for a reference to a label nothing in the document defines. */
function reportUndefined(label: string, place: Point | undefined, file: VFile, context: Context): void {
  const message = context.cellLabels.has(label)
    ? `Cross-reference label "${label}" belongs to a code cell (#| label: ${label}): Galley does not run code, so the cell makes no figure or table to refer to`
    : `Cross-reference label "${label}" is not defined`
  file.message(message, { ...(place ? { place } : {}), ruleId: 'crossref-undefined', source })
}

interface Reference {
  item: CitationItemSyntax
  kind: Kind
  label: string
  capitalised: boolean
  quarto: boolean
}

/** What a citation becomes: undefined when none of its keys is a cross-reference. */
function resolve(citation: Citation, targets: ReadonlyMap<string, Target>, file: VFile, context: Context): PhrasingContent[] | undefined {
  if (citation.texCommand) return texReference(citation, citation.texCommand, targets, file, context)
  const parts = citation.items.map((item): Reference | CitationItemSyntax => {
    const match = referenceKey.exec(item.key)
    if (!match) return item
    const [, prefix = '', separator, rest] = match
    const kind = prefix.toLowerCase() as Reference['kind']
    const label = `${kind}${separator}${rest}`
    if (!targets.has(label) && context.isCitationKey(item.key)) return item
    return { item, kind, label, capitalised: prefix[0] !== kind[0], quarto: separator === '-' }
  })
  if (parts.every((part) => !('label' in part))) return undefined
  // Runs of references of one kind, and runs of citations, in the order written, joined by ", " (pandoc-crossref).
  const runs: (Reference[] | CitationItemSyntax[])[] = []
  for (const part of parts) {
    const run = runs.at(-1)
    const first = run?.[0]
    const same = first !== undefined && ('label' in part ? 'label' in first && first.kind === part.kind && first.quarto === part.quarto : !('label' in first))
    if (same && run) (run as (Reference | CitationItemSyntax)[]).push(part)
    else runs.push([part] as Reference[] | CitationItemSyntax[])
  }
  const result: PhrasingContent[] = []
  for (const run of runs) {
    if (result.length > 0) result.push({ type: 'text', value: ', ' })
    const first = run[0]
    if (first && 'label' in first) result.push(...references(run as Reference[], targets, file, context, citation.markdownAffixes === true))
    else result.push(restCitation(citation, run as CitationItemSyntax[]))
  }
  return result
}

/**
 * LaTeX's references to any label: `\ref` the number, `\eqref` it in parentheses, `\cref` with the reference word
 * ("fig. 1"), `\Cref` capitalised, `\autoref` with the caption word ("Figure 1"), as hyperref writes it.
 */
function texReference(citation: Citation, command: NonNullable<Citation['texCommand']>, targets: ReadonlyMap<string, Target>, file: VFile, context: Context): PhrasingContent[] {
  const item = citation.items[0] as CitationItemSyntax
  const target = targets.get(item.key)
  if (!target) {
    reportUndefined(item.key, item.start, file, context)
    return [missing(item.key)]
  }
  const reference: Reference = { item, kind: target.kind, label: target.label, capitalised: command === 'Cref', quarto: false }
  const index = indexNode(reference, targets)
  const number = command === 'eqref' ? [text('('), ...index, text(')')] : index
  if (command === 'ref' || command === 'eqref') return linkTo(reference, number, targets, context.metadata)
  const forms = command === 'autoref' ? [context.terms.quarto[target.kind]] : prefixForms(target.kind, context.metadata, context.terms)
  const word = forms[0] ?? ''
  const capitalised = command === 'Cref' ? word.replace(/(^|\s)(\p{Ll})/gu, (_, space: string, letter: string) => space + letter.toUpperCase()) : word
  return linkTo(reference, [text(`${capitalised}${nbsp}`), ...number], targets, context.metadata)
}

/** The citation keys of a citation that also held cross-references, as a citation of their own. */
function restCitation(citation: Citation, items: CitationItemSyntax[]): Citation {
  const rest: Citation = { ...citation, items, value: `[${items.map((item) => `${item.prefix} ${item.suppressAuthor ? '-' : ''}@${item.key}${item.suffix}`.trim()).join('; ')}]` }
  return rest
}

/**
 * One run of references to one kind of thing. pandoc-crossref's forms: `fig. 1`, `figs. 1, 2`, `figs. 1-3` (sorted,
 * runs of three or more shortened), `[Fig. @fig:x]` its own prefix, `-@fig:x` the number alone, `@Fig:x` capitalised.
 * Quarto's: each reference whole, `Figure 1, Figure 2`. Sections get their numbers (or titles) in the HTML stage.
 */
function references(run: Reference[], targets: ReadonlyMap<string, Target>, file: VFile, context: Context, markdown: boolean): PhrasingContent[] {
  const { metadata, terms } = context
  const first = run[0] as Reference
  const affix = (text: string): PhrasingContent[] => (text === '' ? [] : markdown ? (parseInline(text) ?? [{ type: 'text', value: text }]) : [{ type: 'text', value: text }])
  for (const reference of run) {
    if (!targets.has(reference.label)) {
      reportUndefined(reference.label, reference.item.start, file, context)
    }
  }
  const word = (count: number): string => {
    const forms = first.quarto ? [terms.quarto[first.kind]] : prefixForms(first.kind, metadata, terms)
    const chosen = forms[Math.min(count, forms.length) - 1] ?? forms[0] ?? ''
    return first.capitalised ? chosen.replace(/(^|\s)(\p{Ll})/gu, (_, space: string, letter: string) => space + letter.toUpperCase()) : chosen
  }
  if (first.quarto) {
    return run.flatMap((reference, position): PhrasingContent[] => {
      const index = indexNode(reference, targets)
      const prefix = reference.item.suppressAuthor ? [] : reference.item.prefix ? [...affix(reference.item.prefix), text(' ')] : [text(`${word(1)}${nbsp}`)]
      const whole: PhrasingContent[] = [...prefix, ...index]
      return [...(position > 0 ? [text(', ')] : []), ...linkTo(reference, whole, targets, metadata), ...affix(reference.item.suffix)]
    })
  }
  // pandoc-crossref groups again by prefix and by `-`, in the order written.
  const groups: Reference[][] = []
  for (const reference of run) {
    const last = groups.at(-1)?.[0]
    if (last && last.item.prefix === reference.item.prefix && last.item.suppressAuthor === reference.item.suppressAuthor) groups.at(-1)?.push(reference)
    else groups.push([reference])
  }
  return groups.flatMap((group, position): PhrasingContent[] => {
    const lead = group[0] as Reference
    const indices = indexList(group, targets, metadata, affix)
    let prefix: PhrasingContent[]
    if (lead.item.suppressAuthor) prefix = []
    else if (lead.item.prefix) prefix = [...affix(lead.item.prefix), text(' ')]
    else prefix = [text(`${word(group.length)}${nbsp}`)]
    // `nameInLink`: a single reference's prefix goes inside its link.
    const only = indices.length === 1 ? indices[0] : undefined
    const joined = metadata.nameInLink && only?.type === 'link' && prefix.length > 0 ? [{ ...only, children: [...prefix, ...only.children] }] : [...prefix, ...indices]
    return [...(position > 0 ? [text(', ')] : []), ...joined]
  })
}

function prefixForms(kind: Kind, metadata: Metadata, terms: CrossrefTerms): string[] {
  switch (kind) {
    case 'fig':
      return metadata.figPrefix.length > 0 ? metadata.figPrefix : terms.figPrefix
    case 'tbl':
      return metadata.tblPrefix.length > 0 ? metadata.tblPrefix : terms.tblPrefix
    case 'eq':
      return metadata.eqnPrefix.length > 0 ? metadata.eqnPrefix : terms.eqnPrefix
    case 'sec':
      return metadata.secPrefix.length > 0 ? metadata.secPrefix : terms.secPrefix
    case 'lst':
      return metadata.lstPrefix.length > 0 ? metadata.lstPrefix : terms.lstPrefix
  }
}

function text(value: string): Text {
  return { type: 'text', value }
}

/** A reference's number: text for figures, tables, listings and equations; an empty link for a section (filled in later). */
function indexNode(reference: Reference, targets: ReadonlyMap<string, Target>): PhrasingContent[] {
  const target = targets.get(reference.label)
  if (!target) return [missing(reference.label)]
  return target.kind === 'sec' ? [] : [text(target.index)]
}

function missing(label: string): Strong {
  return { type: 'strong', data: { hProperties: { className: ['crossref-missing'] } }, children: [text(`¿${label}?`)] }
}

/** A link to what a reference refers to (a section's text is filled in by `rehypeCrossrefSections`). */
function linkTo(reference: Reference, children: PhrasingContent[], targets: ReadonlyMap<string, Target>, metadata: Metadata): PhrasingContent[] {
  const target = targets.get(reference.label)
  if (!target) return children
  const section = target.kind === 'sec'
  if (!metadata.linkReferences && !section) return children
  const link: Link = { type: 'link', url: `#${target.label}`, children }
  const classes = ['crossref']
  link.data = { hProperties: section ? { className: classes, dataCrossrefSection: metadata.linkReferences ? 'link' : 'text' } : { className: classes } }
  return [link]
}

/**
 * The numbers of a group, as pandoc-crossref writes them: each label once, in reading order; three or more in a row
 * (same chapter, no suffix) as a range, `1-3`; joined by `, `. Undefined labels come first, in bold.
 */
function indexList(group: Reference[], targets: ReadonlyMap<string, Target>, metadata: Metadata, affix: (text: string) => PhrasingContent[]): PhrasingContent[] {
  const seen = new Set<string>()
  const unique = group.filter((reference) => !seen.has(reference.label) && seen.add(reference.label))
  const undefinedOnes = unique.filter((reference) => !targets.has(reference.label))
  const known = unique.filter((reference) => targets.has(reference.label)).sort((a, b) => (targets.get(a.label)?.order ?? 0) - (targets.get(b.label)?.order ?? 0))
  const items: PhrasingContent[][] = undefinedOnes.map((reference) => [missing(reference.label), ...affix(reference.item.suffix)])
  const one = (reference: Reference): PhrasingContent[] => [...linkTo(reference, indexNode(reference, targets), targets, metadata), ...affix(reference.item.suffix)]
  let run: Reference[] = []
  const flush = (): void => {
    if (run.length >= 3) {
      const [head, tail] = [run[0] as Reference, run.at(-1) as Reference]
      items.push([...one(head), text(metadata.rangeDelim), ...one(tail)])
    } else {
      for (const reference of run) items.push(one(reference))
    }
    run = []
  }
  for (const reference of known) {
    const target = targets.get(reference.label) as Target
    const previous = run.at(-1)
    const before = previous && targets.get(previous.label)
    const follows = before && target.kind !== 'sec' && before.chapter === target.chapter && before.count + 1 === target.count && !previous.item.suffix && !reference.item.suffix
    if (!follows) flush()
    run.push(reference)
  }
  flush()
  return items.flatMap((item, position) => [...(position > 0 ? [text(', ')] : []), ...item])
}

