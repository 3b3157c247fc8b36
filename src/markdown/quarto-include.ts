// Quarto's `{{< include FILE >}}` carried out on parsed files: the included file parsed on its own, its content put in
// the include's place, each node keeping the file and lines it was written in.
import { realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Code, Paragraph, Root, RootContent } from 'mdast'
import type { Node, Position } from 'unist'
import { VFile } from 'vfile'
import type { Cache } from '../file-cache.js'
import { projectFile } from '../paths.js'
import { visit } from '../tree-visit.js'
import { normalizeLineEnds } from './line-ends.js'
import { parseMarkdownCached } from './parse-cache.js'
import type { ParseOptions } from './parse.js'
import { includeShortcode } from './remark-quarto-shortcodes.js'
import type { Citation } from './types.js'

/** How deep includes may nest (an included file that includes another…), as a guard against runaway documents. */
export const includeDepthLimit = 10

/** A stretch of the book: a parsed tree's content and the file its positions are in. */
export interface Stretch {
  tree: Root
  file: VFile
  /** Read from an included file, not from the input file itself. */
  included: boolean
}

export interface IncludeOptions extends ParseOptions {
  /** Absolute, links resolved: an include may name files inside it only (`projectFile`), as an image may. */
  projectDir: string
  cache?: Cache | undefined
}

interface Walk {
  /** The input file's folder: as Quarto pastes an included file's text into it, its relative paths start there. */
  mainDir: string
  depth: number
  /** The real paths of the files being included, outermost first: a file met again includes itself. */
  within: readonly string[]
  /** One VFile per included file, so a file included twice has its messages in one place. */
  files: Map<string, VFile>
}

/**
 * Cuts a parsed file at its top-level includes (`remarkQuartoShortcodes` marks a paragraph of only
 * `{{< include FILE >}}`): the stretches before, between and after them stay the file's own, with their positions as
 * they are, and each included file, parsed on its own (its includes carried out the same way), comes between as
 * stretches of its own. So a message about included text names the included file at its own line, and the
 * including file is still parsed as one text (its notes and link definitions reach across the include). An include
 * inside a list, block quote or div cannot cut the file there: the included content goes in its place, its
 * positions those of the include line (without source offsets, so nothing reads the including file's text for it).
 *
 * Quarto pastes an included file's text into the main file, so a relative path, in the main file or in any file it
 * includes, starts from the main file's folder (images too, through `baseDir`); a leading `/` starts from the project.
 * A code block of only an include gets the file's text (`includeCode`). An include that cannot be carried out (missing, outside the project, not UTF-8, including itself, nested too deep)
 * is reported at its place (`quarto-include`) and stays as written.
 */
export async function expandIncludes(tree: Root, file: VFile, options: Readonly<IncludeOptions>): Promise<{ stretches: Stretch[]; included: VFile[] }> {
  const walk: Walk = { mainDir: path.dirname(path.resolve(file.cwd, file.path)), depth: 0, within: [realPath(path.resolve(file.cwd, file.path))], files: new Map() }
  const stretches = await expandFile(tree, file, false, options, walk)
  return { stretches, included: [...walk.files.values()] }
}

async function expandFile(tree: Root, file: VFile, included: boolean, options: Readonly<IncludeOptions>, walk: Walk): Promise<Stretch[]> {
  const stretches: Stretch[] = []
  let own: RootContent[] = []
  const flush = (): void => {
    if (own.length > 0) stretches.push({ tree: { type: 'root', children: own }, file, included })
    own = []
  }
  await includeCode(tree, file, options, walk)
  for (const child of tree.children) {
    if (child.type === 'paragraph' && child.data?.quartoInclude !== undefined) {
      const inner = await includeAt(child, file, options, walk)
      if (inner) {
        flush()
        stretches.push(...inner)
        continue
      }
    } else {
      await expandNested(child, file, options, walk)
    }
    own.push(child)
  }
  flush()
  return stretches
}

/** Includes below the top level: the included content in place of the paragraph, at the include's line. */
async function expandNested(node: RootContent, file: VFile, options: Readonly<IncludeOptions>, walk: Walk): Promise<void> {
  const found: { parent: { children: RootContent[] }; paragraph: Paragraph }[] = []
  visit(node, 'paragraph', (paragraph: Paragraph, _index, parent) => {
    if (paragraph.data?.quartoInclude !== undefined && parent) found.push({ parent: parent as { children: RootContent[] }, paragraph })
  })
  for (const { parent, paragraph } of found) {
    const inner = await includeAt(paragraph, file, options, walk)
    if (!inner) continue
    const content = inner.flatMap((stretch) => stretch.tree.children)
    for (const child of content) placeAt(child, paragraph.position)
    parent.children.splice(parent.children.indexOf(paragraph), 1, ...content)
  }
}

/**
 * The text of the file an include names (relative to the main file's folder, or to the project with a leading `/`),
 * with its real path and its path as messages show it; or why it cannot be included.
 */
async function readIncluded(written: string, from: VFile, options: Readonly<IncludeOptions>, walk: Walk): Promise<{ real: string; shown: string; text: string } | { refused: string }> {
  const absolute = path.resolve(written.startsWith('/') ? options.projectDir : walk.mainDir, written.replace(/^\/+/, ''))
  const shown = path.relative(from.cwd, absolute)
  const checked = projectFile(options.projectDir, absolute)
  if (checked.refused === 'outside') return { refused: `${shown} is outside the project directory, and an include may only name files inside it` }
  if (checked.refused !== undefined) return { refused: `${shown} ${checked.refused === 'missing' ? 'is not found' : 'is not a file'}` }
  if (walk.within.includes(checked.file)) return { refused: `${shown} is being included already (it would include itself)` }
  if (walk.depth + 1 > includeDepthLimit) return { refused: `includes are nested more than ${includeDepthLimit} deep` }
  try {
    return { real: checked.file, shown, text: normalizeLineEnds(new TextDecoder('utf-8', { fatal: true }).decode(await readFile(checked.file)).replace(/^\uFEFF/, '')) }
  } catch {
    return { refused: `${shown} is not UTF-8 text` }
  }
}

function reportRefused(written: string, reason: string, from: VFile, place: Position | undefined): void {
  from.message(`\`{{< include ${written} >}}\` is not carried out: ${reason}`, { place, ruleId: 'quarto-include', source: 'galley:markdown' })
}

/** The stretches of the file an include paragraph names, or undefined (reported, the paragraph left as text). */
async function includeAt(paragraph: Paragraph, from: VFile, options: Readonly<IncludeOptions>, walk: Walk): Promise<Stretch[] | undefined> {
  const written = paragraph.data?.quartoInclude ?? ''
  const read = await readIncluded(written, from, options, walk)
  if ('refused' in read) {
    reportRefused(written, read.refused, from, paragraph.position)
    if (paragraph.data) delete paragraph.data.quartoInclude
    return undefined
  }
  let file = walk.files.get(read.real)
  if (!file) {
    file = new VFile({ path: read.shown, cwd: from.cwd, value: read.text })
    walk.files.set(read.real, file)
  }
  const { cache, ...parse } = options
  // Its images are found from the main file's folder, as Quarto pastes the text there.
  const tree = await parseMarkdownCached(file, { ...parse, baseDir: walk.mainDir }, cache)
  return expandFile(tree, file, true, options, { ...walk, depth: walk.depth + 1, within: [...walk.within, read.real] })
}

/** A code block of only an include (```` ```r ```` then `{{< include _demo.R >}}`) shows the file's text, as in Quarto. */
async function includeCode(tree: Root, file: VFile, options: Readonly<IncludeOptions>, walk: Walk): Promise<void> {
  const blocks: Code[] = []
  visit(tree, 'code', (code: Code) => {
    if (includeShortcode.test(code.value.trim())) blocks.push(code)
  })
  for (const code of blocks) {
    const written = includeShortcode.exec(code.value.trim())?.slice(1).find((part) => part !== undefined) ?? ''
    const read = await readIncluded(written, file, options, walk)
    if ('refused' in read) reportRefused(written, read.refused, file, code.position)
    else code.value = read.text.replace(/\r?\n$/, '')
  }
}

/** Gives a node and everything in it (a citation's keys too) the include's place, without source offsets. */
function placeAt(node: Node, position: Position | undefined): void {
  const start = position ? { line: position.start.line, column: position.start.column } : undefined
  visit(node, (inner: Node) => {
    if (position && start) inner.position = { start: { ...start }, end: { line: position.end.line, column: position.end.column } }
    else delete inner.position
    if (inner.type === 'citation') for (const item of (inner as Citation).items) item.start = { ...(start ?? { line: 1, column: 1 }) }
  })
}

function realPath(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file // Standard input, which no file includes.
  }
}
