// Quarto's conditional content: `.content-visible` / `.content-hidden` with `when-format`, `unless-format`,
// `when-profile`, `unless-profile`, on any node that carries attributes (fenced divs, spans, code blocks), resolved in the tree.
import type { Properties } from 'hast'
import type { Code, Parent, Root, RootContent } from 'mdast'
import type { Node } from 'unist'
import type { VFile } from 'vfile'
import type { Format } from '../formats.js'
import { SKIP, visit } from '../tree-visit.js'

const visibleClass = 'content-visible'
const hiddenClass = 'content-hidden'
const conditionKeys = ['when-format', 'unless-format', 'when-profile', 'unless-profile'] as const
type ConditionKey = (typeof conditionKeys)[number]

/**
 * The outputs a `when-format` name stands for, as Quarto's `isFormat` reads it: `pdf` and `latex` are the printed
 * copy; `html` is every HTML output, the EPUB included (Quarto counts EPUB as HTML); `html:js` is HTML but not EPUB;
 * `epub`, `epub2`, `epub3` the EPUB. Galley's PDF is printed from HTML, but it stands where Quarto's LaTeX PDF stands,
 * so a Quarto file's `when-format="pdf"` means it.
 */
const formatNames: Readonly<Record<string, readonly Format[]>> = {
  pdf: ['pdf'],
  latex: ['pdf'],
  html: ['html', 'epub'],
  html4: ['html'],
  html5: ['html'],
  'html:js': ['html'],
  epub: ['epub'],
  epub2: ['epub'],
  epub3: ['epub'],
}

/** Formats Quarto and Pandoc write that Galley does not: content for them is simply not for any of Galley's outputs. */
const otherFormats = new Set([
  'docx', 'odt', 'opendocument', 'rtf', 'pptx', 'beamer', 'revealjs', 'typst', 'context', 'markdown', 'gfm',
  'commonmark', 'commonmark_x', 'asciidoc', 'asciidoctor', 'jats', 'ipynb', 'man', 'ms', 'docbook', 'dashboard', 'hugo-md', 'docusaurus-md',
])

export interface ConditionOptions {
  /** The active profiles (`--profile`, `profile:`); unknown names are fine, as in Quarto. */
  profiles: readonly string[]
  /** The output being made; undefined leaves content whose visibility depends on the output for a later pass. */
  format?: Format | undefined
  /** Report `when-format`/`unless-format` values that name no format (once per build: on the first pass). */
  warn?: boolean | undefined
}

/**
 * Removes what is not visible and unwraps what is: a hidden node goes with all it holds (text, images and their alt
 * text, notes defined inside it, citations, so entries cited only there never reach the bibliography); a visible
 * fenced div gives its content to its parent, as Quarto's does, and a visible span stays, without the condition.
 * The conditions of one node all hold together (Quarto's `propertiesMatch`): `.content-visible` shows the node when
 * they all hold, `.content-hidden` hides it then. Runs over a whole book (chapters carry their files, for warnings).
 */
export function resolveConditions(tree: Root, options: Readonly<ConditionOptions>): void {
  for (const chapter of tree.children) {
    const file = chapter.type === 'chapter' ? chapter.data.file : undefined
    resolveIn(chapter.type === 'chapter' ? chapter : tree, options, file)
    if (chapter.type !== 'chapter') break
  }
}

function resolveIn(tree: Parent, options: Readonly<ConditionOptions>, file: VFile | undefined): void {
  visit(tree as Node, (node, index, parent) => {
    const properties = conditionalProperties(node)
    if (!properties || !parent || index === undefined) return undefined
    if (options.warn && file) warnAboutFormats(node, properties, file)
    const shown = visible(properties, options)
    if (shown === undefined) return undefined
    if (!shown) {
      parent.children.splice(index, 1)
      return index
    }
    clearCondition(properties)
    if (node.type === 'code') setCodeAttributes(node as Code, properties)
    if (node.type === 'fencedDiv' && !hasAttributes(properties)) {
      parent.children.splice(index, 1, ...((node as Parent).children as RootContent[]))
      return index
    }
    return undefined
  })
}

/** Whether any node of the tree shows in some outputs and not in others (after the profiles were applied). */
export function dependsOnFormat(tree: Root, profiles: readonly string[]): boolean {
  let depends = false
  visit(tree, (node) => {
    const properties = conditionalProperties(node)
    if (properties && visible(properties, { profiles }) === undefined) depends = true
    return depends ? false : undefined
  })
  return depends
}

/**
 * Whether the content whose visibility depends on the output holds citations or the bibliography's place: then each
 * output's citations are formatted on its own tree (numbering, ibid and the bibliography differ); otherwise the
 * outputs can share one formatting of the citations.
 */
export function formatDependentCitations(tree: Root, profiles: readonly string[]): boolean {
  let found = false
  visit(tree, (node) => {
    const properties = conditionalProperties(node)
    if (!properties || visible(properties, { profiles }) !== undefined) return undefined
    visit(node, (inner) => {
      const id = conditionalId(inner)
      if (inner.type === 'citation' || id === 'refs') found = true
      return found ? false : undefined
    })
    return found ? false : SKIP
  })
  return found
}

/** The requested outputs grouped by what they show: outputs in one group get the same tree. */
export function formatGroups(tree: Root, profiles: readonly string[], requested: readonly Format[]): Format[][] {
  if (!dependsOnFormat(tree, profiles)) return [[...requested]]
  const groups = new Map<string, Format[]>()
  for (const format of requested) {
    const shape: string[] = []
    visit(tree, (node) => {
      const properties = conditionalProperties(node)
      if (properties) shape.push(String(visible(properties, { profiles, format })))
      return undefined
    })
    const key = shape.join()
    groups.set(key, [...(groups.get(key) ?? []), format])
  }
  return [...groups.values()]
}

/** A copy of a book tree for one variant: the chapters' nodes are copied, their files (with the messages) shared. */
export function copyBook(book: Root): Root {
  return {
    ...book,
    children: book.children.map((child) =>
      child.type === 'chapter' ? { ...child, children: structuredClone(child.children), data: child.data } : structuredClone(child),
    ),
  }
}

/**
 * The node's attributes when it carries `.content-visible` or `.content-hidden`: its `hProperties`, or a code block's
 * classes and attributes (`remarkCodeAttributes`, ```` ```{.python .content-visible when-profile="key"} ````).
 */
function conditionalProperties(node: Node): Properties | undefined {
  const code = node.type === 'code' ? (node as Code).data?.attributes : undefined
  const properties = code ? { ...code.properties, className: [...code.classes] } : (node.data as { hProperties?: Properties } | undefined)?.hProperties
  const className = properties?.['className']
  const classes = Array.isArray(className) ? className : String(className ?? '').split(/\s+/)
  return classes.includes(visibleClass) || classes.includes(hiddenClass) ? properties : undefined
}

function conditionalId(node: Node): unknown {
  return (node.data as { hProperties?: Properties } | undefined)?.hProperties?.['id']
}

/** An attribute as the Markdown stage stored it: `data-when-format` (an author's `key=value`), or as written. */
function attribute(properties: Properties, key: ConditionKey): string | undefined {
  const value = properties[`data-${key}`] ?? properties[key]
  return value === undefined || value === null ? undefined : String(value)
}

/** True or false when known; undefined when it depends on the output and no output is given. */
function visible(properties: Properties, options: Readonly<ConditionOptions>): boolean | undefined {
  const profiles = options.profiles
  const whenProfile = attribute(properties, 'when-profile')
  const unlessProfile = attribute(properties, 'unless-profile')
  let match = true
  if (whenProfile !== undefined) match &&= profiles.includes(whenProfile)
  if (unlessProfile !== undefined) match &&= !profiles.includes(unlessProfile)
  const whenFormat = attribute(properties, 'when-format')
  const unlessFormat = attribute(properties, 'unless-format')
  let unknown = false
  if (match && (whenFormat !== undefined || unlessFormat !== undefined)) {
    if (options.format === undefined) {
      // A `when-format` naming none of Galley's outputs holds for none of them: that is known now.
      const galley = (name: string | undefined): boolean => name !== undefined && formatNames[name.toLowerCase()] !== undefined
      if (whenFormat !== undefined && !galley(whenFormat)) match = false
      else unknown = whenFormat !== undefined || galley(unlessFormat)
    } else {
      const is = (name: string): boolean => formatNames[name.toLowerCase()]?.includes(options.format as Format) ?? false
      if (whenFormat !== undefined) match &&= is(whenFormat)
      if (unlessFormat !== undefined) match &&= !is(unlessFormat)
    }
  }
  if (unknown) return undefined
  const classes = properties['className']
  const hidden = (Array.isArray(classes) ? classes : String(classes ?? '').split(/\s+/)).includes(hiddenClass)
  return hidden ? !match : match
}

function warnAboutFormats(node: Node, properties: Properties, file: VFile): void {
  for (const key of ['when-format', 'unless-format'] as const) {
    const value = attribute(properties, key)
    if (value === undefined) continue
    const name = value.toLowerCase()
    if (formatNames[name] !== undefined || otherFormats.has(name)) continue
    file.message(`Unknown format "${value}" in ${key}: Galley writes pdf, html and epub (Quarto's names: pdf or latex, html, html:js, epub); this condition matches none of them`, {
      place: node.position,
      ruleId: 'unknown-format-condition',
      source: 'galley:markdown',
    })
  }
}

function clearCondition(properties: Properties): void {
  for (const key of conditionKeys) {
    delete properties[`data-${key}`]
    delete properties[key]
  }
  const className = properties['className']
  const classes = (Array.isArray(className) ? className : String(className ?? '').split(/\s+/)).filter((name) => name !== visibleClass && name !== hiddenClass && name !== '')
  if (classes.length > 0) properties['className'] = classes
  else delete properties['className']
}

/** A visible code block keeps its other classes and attributes, the condition taken out. */
function setCodeAttributes(node: Code, properties: Properties): void {
  const attributes = node.data?.attributes
  if (!attributes) return
  const { className, ...rest } = properties
  attributes.classes = [className ?? []].flat().map(String)
  attributes.properties = rest
}

function hasAttributes(properties: Properties): boolean {
  return Object.keys(properties).length > 0
}
