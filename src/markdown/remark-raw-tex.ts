// Raw TeX as Pandoc's `raw_tex` reads it (`\vspace*{\fill}`, `\begin{tabbing}…\end{tabbing}`): left out of the output, one warning per command; `\newpage` and `\noindent` kept as print layout, `\tableofcontents`, `\listoffigures` and its kin as the place of the contents or a list.
import type { Paragraph, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { SKIP, visit } from '../tree-visit.js'
import { definitions, isDefinitionParagraph } from './tex-definitions.js'
import type { FencedDiv } from './types.js'

/**
 * Pandoc's HTML and EPUB writers drop raw TeX, so a manuscript written for a LaTeX PDF loses its layout commands
 * there and nothing else; Galley drops them from all three outputs alike (its PDF is printed from the HTML). A
 * command is `\name` or `\name*` with its `[…]` and `{…}` arguments; an environment runs from `\begin{env}` to its
 * `\end{env}`, whatever is between. A paragraph left empty goes. An escaped backslash (`\\name`), code and TeX math
 * between dollars are not raw TeX and are kept.
 */
export function remarkRawTex() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    if (!source.includes('\\')) return
    layoutCommands(tree, source)
    const warned = new Set<string>()
    let place: ReturnType<typeof location> | undefined
    const warn = (name: string, node: Text, index: number): void => {
      if (warned.has(name)) return
      warned.add(name)
      // The command's own line and column when the text is the source as written (or its start, a trailing page
      // break taken off), else the text node's.
      const start = node.position?.start.offset
      const written = start === undefined ? undefined : source.slice(start, node.position?.end.offset)
      place ??= location(file)
      const point = start !== undefined && written?.startsWith(node.value) ? place.toPoint(start + index) : undefined
      file.message(`Raw LaTeX \`\\${name}\` is left out of the output, as Pandoc leaves it out of HTML and EPUB`, {
        place: point ?? node.position,
        ruleId: 'raw-tex',
        source: 'galley:markdown',
      })
    }
    let changed = false
    visit(tree, (node) => {
      if (!('children' in node) || node.type === 'root') return
      // A paragraph of macro definitions is TeX for the formulas (Pandoc's latex_macros), which the math stage reads.
      if (node.type === 'paragraph' && isDefinitionParagraph(source.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0))) return SKIP
      const parent = node as Parent
      if (!parent.children.some((child) => child.type === 'text' && child.value.includes('\\'))) return
      if (dropEnvironments(parent, source, warn)) changed = true
      for (const child of parent.children) {
        if (child.type === 'text' && child.value.includes('\\') && dropCommands(child, source, warn)) changed = true
      }
    })
    if (changed) dropEmptyParagraphs(tree)
  }
}

type Warn = (name: string, node: Text, index: number) => void

/** A page break as the whole of a paragraph: `\newpage`, `\clearpage` or `\pagebreak` (with `[4]`, `{}`) on its own. */
const pageBreakCommand = String.raw`\\(?:newpage|clearpage|pagebreak)(?:\[\d\])?(?:\{\})?[ \t]*`
const pageBreak = new RegExp(`^${pageBreakCommand}$`)
/** The same on a paragraph's last line, after others. */
const trailingPageBreak = new RegExp(String.raw`\r?\n[ \t]*${pageBreakCommand}$`)
const noIndent = /^\\noindent(?![A-Za-z])[ \t]*(?:\{\})?[ \t]*\r?\n?[ \t]*/
/** pandoc-crossref's list commands, each alone on its line: `\listoffigures`, `\listoftables`, `\listoflistings`. */
const listOf = /^[ \t]*\\listof(figures|tables|listings)[ \t]*(?:\{\})?[ \t]*$/
const listKinds: Record<string, string> = { figures: 'lof', tables: 'lot', listings: 'lol' }
/** LaTeX's `\tableofcontents` alone in a paragraph. */
const tableOfContents = /^\\tableofcontents[ \t]*(?:\{\})?[ \t]*$/

/**
 * The commands that mean print layout, as a LaTeX PDF would set them. A paragraph of only `\newpage`, `\clearpage`
 * or `\pagebreak` becomes the forced page break the PDF layout pass keeps (`galley-page-break`; hidden in the EPUB);
 * `\noindent` at the start of a paragraph sets it without its first-line indent (`noindent`), and on its own it does
 * that to the paragraph after it. A paragraph of pandoc-crossref's `\listoffigures`, `\listoftables` and
 * `\listoflistings` lines marks where those lists go (`galley-list-of`, filled in by `rehypeCrossrefLists`), and a
 * paragraph of `\tableofcontents` at the top level of a file where the contents go (`galley-toc`, filled in by
 * `rehypeDocument`). Anywhere else they are raw TeX like any other.
 */
function layoutCommands(tree: Root, source: string): void {
  visit(tree, 'paragraph', (paragraph: Paragraph, index, parent) => {
    const start = paragraph.position?.start.offset
    const end = paragraph.position?.end.offset
    if (start === undefined || end === undefined || !parent || index === undefined) return
    const written = source.slice(start, end)
    const marker = (): FencedDiv => ({ type: 'fencedDiv', children: [], position: paragraph.position, data: { hName: 'div', hProperties: { className: ['galley-page-break'] } } })
    if (pageBreak.test(written)) {
      ;(parent.children as RootContent[]).splice(index, 1, marker())
      return index + 1
    }
    // A page break on the paragraph's last line (`…text.\n\newpage`, a title page's `\vspace*{\fill}\n\newpage`)
    // breaks the page after it, as in the LaTeX PDF; its other raw TeX goes as anywhere else.
    const last = paragraph.children.at(-1)
    const trailing = last?.type === 'text' && trailingPageBreak.test(written) ? trailingPageBreak.exec(last.value) : null
    const before = trailing ? written.replace(trailingPageBreak, '') : written
    if (tableOfContents.test(before) && parent.type === 'root') {
      const toc: FencedDiv = { type: 'fencedDiv', children: [], position: paragraph.position, data: { hName: 'div', hProperties: { className: ['galley-toc'] } } }
      ;(parent.children as RootContent[]).splice(index, 1, toc, ...(trailing ? [marker()] : []))
      return index + (trailing ? 2 : 1)
    }
    if (last?.type === 'text' && trailing) {
      last.value = last.value.slice(0, trailing.index)
      ;(parent.children as RootContent[]).splice(index + 1, 0, marker())
    }
    if (source[start] !== '\\') return
    const lists = written.split(/\r?\n/).map((line) => listOf.exec(line)?.[1])
    if (lists.every((kind) => kind !== undefined)) {
      const markers = lists.map((kind): FencedDiv => ({ type: 'fencedDiv', children: [], position: paragraph.position, data: { hName: 'div', hProperties: { className: ['galley-list-of'], dataList: listKinds[kind] ?? '' } } }))
      ;(parent.children as RootContent[]).splice(index, 1, ...markers)
      return index + markers.length
    }
    const first = paragraph.children[0]
    const command = noIndent.exec(written)
    if (!command || first?.type !== 'text' || !first.value.startsWith('\\noindent')) return
    first.value = first.value.replace(noIndent, '')
    if (first.value === '') paragraph.children.shift()
    const target = paragraph.children.length > 0 ? paragraph : parent.children[index + 1]
    if (target?.type === 'paragraph') {
      target.data = { ...target.data, hProperties: { ...target.data?.hProperties, className: ['noindent'] } }
    }
    if (paragraph.children.length === 0) {
      parent.children.splice(index, 1)
      return index
    }
    return undefined
  })
}

/** Removes `\begin{env}` … `\end{env}` among a parent's children (the end may be in a later text node). */
function dropEnvironments(parent: Parent, source: string, warn: Warn): boolean {
  let changed = false
  for (let index = 0; index < parent.children.length; index++) {
    const start = parent.children[index]
    if (start?.type !== 'text') continue
    const begin = findRaw(start, source, /\\begin\{([A-Za-z*]+)\}/g)
    if (!begin) continue
    const name = begin.match[1] ?? ''
    const endPattern = new RegExp(`\\\\end\\{${name.replace('*', '\\*')}\\}`, 'g')
    for (let last = index; last < parent.children.length; last++) {
      const candidate = parent.children[last]
      if (candidate?.type !== 'text') continue
      const end = findRaw(candidate, source, endPattern, last === index ? begin.index + begin.match[0].length : 0)
      if (!end) continue
      warn(`begin{${name}}`, start, begin.index)
      const after = candidate.value.slice(end.index + end.match[0].length)
      start.value = joinAround(start.value.slice(0, begin.index), after)
      parent.children.splice(index + 1, last - index)
      changed = true
      index--
      break
    }
  }
  return changed
}

/** Removes every raw TeX command from a text node. */
function dropCommands(node: Text, source: string, warn: Warn): boolean {
  const masked = maskMath(node.value)
  const escaped = escapedIn(node, source)
  let closes: Closes | undefined
  let out = ''
  let from = 0
  let removed = false
  for (let index = masked.indexOf('\\'); index !== -1; index = masked.indexOf('\\', index + 1)) {
    closes ??= matchingCloses(masked)
    const end = commandEnd(masked, index, closes)
    if (end === undefined || escaped(index)) continue
    // A definition command that defines nothing (`\newcommand is a command`) is text to Pandoc, not raw TeX.
    if (definitionCommand.test(masked.slice(index, index + 24)) && !masked.startsWith(definitions(masked.slice(index))[0] ?? '\0', index)) continue
    warn(/^\\([A-Za-z]+)/.exec(masked.slice(index))?.[1] ?? '', node, index)
    const segment = node.value.slice(from, index)
    out = removed ? joinAround(out, segment) : segment
    removed = true
    from = end
    index = end - 1
  }
  if (!removed) return false
  node.value = joinAround(out, node.value.slice(from))
  return true
}

const definitionCommand = /^\\(?:(?:re)?newcommand|providecommand|DeclareMathOperator|def)(?![A-Za-z])/

/** Joins the text before and after a removed command: one space where there were two, none at a line's start. */
function joinAround(before: string, after: string): string {
  if (/[ \t]$/.test(before) && /^[ \t]/.test(after)) return before + after.replace(/^[ \t]+/, '')
  if ((before === '' || /\n[ \t]*$/.test(before)) && /^[ \t]*\n/.test(after)) return before + after.replace(/^[ \t]*\n/, '')
  return before + after
}

/** For each `{` and `[` of a text, the index of the `}` or `]` that closes it (-1: none), escaped ones left out. */
interface Closes {
  brace: Int32Array
  bracket: Int32Array
}

/**
 * Every bracket's match, found in one pass: looked for from each command, an argument that nothing closes was read to
 * the end of the text once per command, and a paragraph of `\textbf{` took time growing with the square of its length.
 */
function matchingCloses(text: string): Closes {
  const brace = new Int32Array(text.length).fill(-1)
  const bracket = new Int32Array(text.length).fill(-1)
  const braces: number[] = []
  const brackets: number[] = []
  for (let at = 0; at < text.length; at++) {
    const char = text[at]
    if (char === '\\') at++
    else if (char === '{') braces.push(at)
    else if (char === '[') brackets.push(at)
    else if (char === '}') {
      const open = braces.pop()
      if (open !== undefined) brace[open] = at
    } else if (char === ']') {
      const open = brackets.pop()
      if (open !== undefined) bracket[open] = at
    }
  }
  return { brace, bracket }
}

/** Where the command starting at `index` (a backslash) ends, or undefined when none starts there. */
function commandEnd(text: string, index: number, closes: Closes): number | undefined {
  const name = /^\\[A-Za-z]+\*?/.exec(text.slice(index))
  if (!name) return undefined
  let end = index + name[0].length
  for (let argument = 0; ; argument++) {
    let next = end
    while (text[next] === ' ' || text[next] === '\t') next++
    const open = text[next]
    // As in TeX, the spaces after a control word without arguments belong to it.
    if (open !== '{' && open !== '[') return argument === 0 ? next : end
    const at = (open === '{' ? closes.brace : closes.bracket)[next] ?? -1
    if (at === -1) return end
    end = at + 1
  }
}

/** TeX math between dollars (as Pandoc's `tex_math_dollars` finds it) blanked, so its commands are not taken for raw TeX. */
function maskMath(text: string): string {
  return text.replace(/\$\$[\s\S]+?\$\$|\$(?![\s$])(?:[^$\\\n]|\\.)*?(?<![\s\\])\$(?!\d)/g, (math) => ' '.repeat(math.length))
}

/** Finds `pattern` in a text node outside math and not after an escaping backslash. */
function findRaw(node: Text, source: string, pattern: RegExp, from = 0): { index: number; match: RegExpExecArray } | undefined {
  const masked = maskMath(node.value)
  const escaped = escapedIn(node, source)
  pattern.lastIndex = from
  for (let match = pattern.exec(masked); match; match = pattern.exec(masked)) {
    if (!escaped(match.index)) return { index: match.index, match }
  }
  return undefined
}

/**
 * Whether the backslash at `index` of the node's text was written `\\` (an escaped backslash, which is text). When the
 * text is the source as written, nothing in it is escaped; otherwise the n-th `\name` of the text is raw when the
 * source holds more than n unescaped ones. Both texts are read once, so a paragraph of commands costs its length.
 */
function escapedIn(node: Text, source: string): (index: number) => boolean {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  if (start === undefined || end === undefined) return () => false
  const written = source.slice(start, end)
  if (written === node.value) return () => false
  let inText: Map<string, number[]> | undefined
  let unescaped: Map<string, number> | undefined
  return (index) => {
    inText ??= commandsAt(node.value, false)
    unescaped ??= new Map([...commandsAt(written, true)].map(([name, at]) => [name, at.length]))
    const command = commandName(node.value, index)
    const nth = countBelow(inText.get(command) ?? [], index)
    return (unescaped.get(command) ?? 0) <= nth
  }
}

/**
 * Where each backslash of a text is, by the command it starts (`\\name`, or `\\` alone), and all of them under `\\`;
 * `unescaped`: only those after an even number of backslashes, as the source writes a raw one.
 */
function commandsAt(text: string, unescaped: boolean): Map<string, number[]> {
  const found = new Map<string, number[]>()
  const add = (name: string, at: number): void => {
    const list = found.get(name)
    if (list) list.push(at)
    else found.set(name, [at])
  }
  let run = 0
  for (let at = text.indexOf('\\'), previous = -2; at !== -1; previous = at, at = text.indexOf('\\', at + 1)) {
    run = previous === at - 1 ? run + 1 : 0
    if (unescaped && run % 2 === 1) continue
    const name = commandName(text, at)
    if (name !== '\\') add(name, at)
    add('\\', at)
  }
  return found
}

function commandName(text: string, at: number): string {
  let end = at + 1
  while (/[A-Za-z]/.test(text[end] ?? '')) end++
  return text.slice(at, end)
}

/** How many of the ascending numbers are below `limit`. */
function countBelow(sorted: number[], limit: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((sorted[middle] ?? 0) < limit) low = middle + 1
    else high = middle
  }
  return low
}

function dropEmptyParagraphs(tree: Root): void {
  visit(tree, (node, index, parent) => {
    if (node.type !== 'paragraph' || index === undefined || !parent) return
    const paragraph = node as Paragraph
    trimEdges(paragraph.children)
    if (paragraph.children.every(isBlank)) {
      parent.children.splice(index, 1)
      return index
    }
  })
}

function trimEdges(children: PhrasingContent[]): void {
  const first = children[0]
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '')
  const last = children.at(-1)
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '')
}

function isBlank(node: PhrasingContent): boolean {
  return (node.type === 'text' && node.value.trim() === '') || node.type === 'break'
}
