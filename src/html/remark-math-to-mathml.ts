// Renders the book's TeX formulas to MathML at build time (Temml), the TeX kept as an annotation; a formula that
// does not parse is a warning at its place and shows as its TeX in code. Loaded only for a book that has math.
import { definitions, takeDefinitionParagraphs } from '../markdown/tex-definitions.js'
import type { Element, ElementContent, Root as HastRoot } from 'hast'
import { fromParse5 } from 'hast-util-from-parse5'
import type { Root, RootContent } from 'mdast'
import { createRequire } from 'node:module'
import type { VFile } from 'vfile'
import { contentKey, type Cache } from '../file-cache.js'
import { location } from 'vfile-location'
import { visit } from '../tree-visit.js'
import type { Chapter, DisplayMath, InlineMath } from '../markdown/types.js'

export interface Options {
  /** `macros:` from the metadata: names with their backslash, to TeX. Default none. */
  macros?: Readonly<Record<string, string>>
  /** `header-includes`: LaTeX whose macro definitions apply to every formula. Default none. */
  headerIncludes?: readonly string[]
  /**
   * Where the MathML of earlier builds is kept (one entry per set of macros: formula → MathML), so a rebuild renders
   * only new formulas. Default none.
   */
  cache?: Cache | undefined
}

type Macros = Record<string, unknown>
type Temml = typeof import('temml').default

// Temml (400 kB) and parse5 are loaded with `require` when first needed, and not bundled: a rebuild whose formulas
// all come from the cache needs neither, and parse5 only reads what `readMathml` does not.
const load = createRequire(import.meta.url)
let temmlModule: Temml | undefined
function temml(): Temml {
  temmlModule ??= load('temml') as Temml
  return temmlModule
}
let parse5: typeof import('parse5') | undefined
function loadParse5(): typeof import('parse5') {
  parse5 ??= load('parse5') as typeof import('parse5')
  return parse5
}

/** Where a chapter's formulas are, for messages: its file and that file's line/column index. */
interface Source {
  file: VFile
  text: string
  place: ReturnType<typeof location>
}

export function remarkMathToMathml(options: Readonly<Options> = {}) {
  return (tree: Root, file: VFile): void => {
    const sourceOf = (of: VFile): Source => {
      const text = String(of.value ?? '')
      return { file: of, text, place: location(text) }
    }
    const bookSource = sourceOf(file)
    const sources = new Map(tree.children.map((child) => [child, child.type === 'chapter' ? sourceOf(child.data.file) : bookSource]))
    const preamble = [...(options.headerIncludes ?? []), ...takeDefinitionParagraphs(tree, (chapter) => sources.get(chapter)?.text)]
    const macros = preambleMacros(preamble, file)
    Object.assign(macros, options.macros)
    // A book repeats its formulas (`$x$`, `$n$`): each is rendered once, and its MathML read again where it comes again.
    // Those of the last build come from the cache; what this build renders is kept for the next one.
    const cacheKey = contentKey(['math', JSON.stringify(options.macros ?? {}), ...preamble])
    const stored = options.cache?.get(cacheKey)
    const previous = stored instanceof Map ? (stored as Map<string, string>) : undefined
    const rendered = new Map<string, string>()
    const render = (node: InlineMath | DisplayMath, source: Source): void => {
      const display = node.type === 'displayMath'
      // A numbered equation is rendered without its `\label`s; its annotation is still the TeX as written.
      const tex = node.data?.tex ?? node.value
      const key = `${display ? '$$' : '$'}${tex}`
      const done = rendered.get(key) ?? previous?.get(key)
      if (done !== undefined) {
        rendered.set(key, done)
        node.data = { ...node.data, mathml: withAnnotation(mathmlToHast(done), tex, node.value) }
        return
      }
      // Each formula gets its own copy: a `\def` in one formula does not leak into the next, as in LaTeX's groups.
      try {
        const mathml = temml().renderToString(tex, { displayMode: display, annotate: true, throwOnError: true, macros: { ...macros } })
        rendered.set(key, mathml)
        node.data = { ...node.data, mathml: withAnnotation(mathmlToHast(mathml), tex, node.value) }
      } catch (error) {
        // Temml's message, less the position (the warning has it) and the underlined excerpt on the next line.
        const reason = (error instanceof Error ? error.message : String(error)).trim().split('\n')[0]?.replace(/ at position \d+:\s*$/, '') ?? ''
        source.file.message(`Formula does not parse, shown as TeX: ${reason}`, { place: errorPlace(node, source, error), ruleId: 'math-error', source: 'galley:math' })
        const properties = { className: ['math', display ? 'display' : 'inline', 'math-error'], title: reason }
        node.data = { ...node.data, mathml: [{ type: 'element', tagName: 'code', properties, children: [{ type: 'text', value: node.value }] }] }
      }
    }
    // Formulas are reported in their chapter's file, the book's own file holding only what no chapter holds.
    for (const child of tree.children) {
      const source = sources.get(child) ?? bookSource
      visit(child, (node) => {
        if (node.type === 'inlineMath' || node.type === 'displayMath') render(node, source)
      })
    }
    // The book's formulas now, so the entry follows the book as it changes.
    if (options.cache && (previous?.size !== rendered.size || [...rendered.keys()].some((key) => !previous.has(key)))) options.cache.set(cacheKey, rendered)
  }
}

/** The TeX annotation of a formula rendered from other TeX than its source (an equation's labels taken out): the source. */
function withAnnotation(nodes: ElementContent[], rendered: string, written: string): ElementContent[] {
  if (rendered === written) return nodes
  visit({ type: 'root', children: nodes } as HastRoot, 'element', (element) => {
    if (element.tagName === 'annotation') element.children = [{ type: 'text', value: written }]
  })
  return nodes
}

/** Temml's MathML as hast; equation numbers of `align` and kin are left out (Pandoc's MathML has none either). */
function mathmlToHast(mathml: string): ElementContent[] {
  const markup = mathml.replaceAll('<span class="tml-eqn"></span>', '')
  const children = readMathml(markup) ?? ((fromParse5(loadParse5().parseFragment(markup)) as HastRoot).children as ElementContent[])
  for (const child of children) {
    // XHTML (the EPUB) needs the namespace written out; HTML allows it.
    if (child.type === 'element' && child.tagName === 'math') (child as Element).properties['xmlns'] = 'http://www.w3.org/1998/Math/MathML'
  }
  return children
}

const tag = /<(\/?)([a-z]+)((?:\s+[a-z-]+="[^"<]*")*)\s*>/y
const attribute = /\s+([a-z-]+)="([^"]*)"/g
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' }

/**
 * Temml's MathML read directly: it writes a regular subset of markup (lower-case tags, double-quoted attributes, four
 * named entities and numeric ones), and parse5 took twice as long as Temml itself. Anything else gives undefined,
 * for parse5 to read. The tree is the one parse5 gives (`tests/math.test.ts`).
 */
export function readMathml(markup: string): ElementContent[] | undefined {
  const root: { children: ElementContent[] } = { children: [] }
  const open: Element[] = []
  let at = 0
  while (at < markup.length) {
    const parent = open.at(-1) ?? root
    if (markup[at] === '<') {
      tag.lastIndex = at
      const match = tag.exec(markup)
      if (!match) return undefined
      const [whole, closing, name = '', attributes = ''] = match
      if (closing) {
        if (open.pop()?.tagName !== name) return undefined
      } else {
        const element: Element = { type: 'element', tagName: name, properties: {}, children: [] }
        for (const [, key = '', raw = ''] of attributes.matchAll(attribute)) {
          const value = decode(raw)
          if (value === undefined) return undefined
          // As parse5 and hast give them: `class` as a list; the others (all MathML or `style`) by their own name.
          if (key === 'class') element.properties['className'] = value.split(' ').filter(Boolean)
          else element.properties[key] = value
        }
        parent.children.push(element)
        // Temml writes an end tag for every element, `<mspace …></mspace>` too.
        open.push(element)
      }
      at += whole.length
    } else {
      const end = markup.indexOf('<', at)
      const text = markup.slice(at, end === -1 ? undefined : end)
      const value = decode(text)
      if (value === undefined) return undefined
      parent.children.push({ type: 'text', value })
      at += text.length
    }
  }
  return open.length === 0 ? root.children : undefined
}

function decode(text: string): string | undefined {
  if (text.includes('\r')) return undefined
  let bad = false
  const value = text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);|&/gi, (whole, name: string | undefined) => {
    if (name === undefined) return (bad = true), whole
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
      // Controls and surrogates get parse5's special treatment: leave them to it.
      if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return (bad = true), whole
      return String.fromCodePoint(code)
    }
    const named = entities[name]
    if (named === undefined) bad = true
    return named ?? whole
  })
  return bad ? undefined : value
}

/**
 * The place of a parse error: the character Temml names, found in the source when the formula is there as written
 * (it always is, unless a block quote's `>` starts one of its lines); else the whole formula.
 */
function errorPlace(node: InlineMath | DisplayMath, source: Source, error: unknown): InlineMath['position'] | { line: number; column: number } {
  const start = node.position?.start.offset
  const position = (error as { position?: unknown }).position
  if (start === undefined || typeof position !== 'number') return node.position
  const opening = node.type === 'displayMath' ? 2 : 1
  if (source.text.slice(start + opening, start + opening + node.value.length) !== node.value) return node.position
  const point = source.place.toPoint(start + opening + position)
  return point ? { line: point.line, column: point.column } : node.position
}

/**
 * The macros that `header-includes` (and paragraphs of definitions) define, as Pandoc applies them to math:
 * each `\newcommand`, `\renewcommand`, `\def` or `\DeclareMathOperator` found in it, read by Temml; the rest of a
 * LaTeX preamble (packages, lengths) means nothing here. Temml knows more commands than LaTeX does (`\R`), so a
 * `\newcommand` of one of them redefines it.
 */
function preambleMacros(includes: readonly string[], file: VFile): Macros {
  const macros: Macros = {}
  for (const text of includes) {
    for (const tex of definitions(text)) {
      const attempts = [tex.replace(/^\\DeclareMathOperator(\*?)\s*(\{\\[A-Za-z]+\}|\\[A-Za-z]+)\s*/, (_, star: string, name: string) => `\\newcommand${name}{\\operatorname${star}`) + (tex.startsWith('\\DeclareMathOperator') ? '}' : '')]
      const first = attempts[0] as string
      if (first.startsWith('\\newcommand')) attempts.push(first.replace('\\newcommand', '\\renewcommand'))
      let defined = false
      for (const attempt of attempts) {
        try {
          Object.assign(macros, temml().definePreamble(attempt, { macros: {} }))
          defined = true
          break
        } catch {
          // Try the next reading.
        }
      }
      if (!defined) {
        file.message(`Macro definition does not parse, left out: ${tex}`, { ruleId: 'math-macro', source: 'galley:math' })
      }
    }
  }
  return macros
}

