// `galley check` as a library: a build that writes nothing, its messages and the audit's, each with its rule's severity.
import path from 'node:path'
import type { Element, Root as HastRoot } from 'hast'
import type { Root } from 'mdast'
import { VFile } from 'vfile'
import type { BuildOptions, BuildResult } from '../build.js'
import { isRuleId, rules, type Severity } from '../diagnostics.js'
import { build } from '../entry.js'
import { GalleyError } from '../errors.js'
import type { Chapter } from '../markdown/types.js'
import { EXIT, visit } from '../tree-visit.js'
import { audit } from './audit.js'

export interface CheckOptions extends Omit<BuildOptions, 'to' | 'output' | 'outputDir' | 'write'> {
  /** Also make the PDF (in memory) and report what its self-check finds, at the source lines it comes from. */
  pdf?: boolean | undefined
}

/** One finding, as the JSON output gives it; `line` and `column` are null for a finding about a whole file. */
export interface Finding {
  file: string
  line: number | null
  column: number | null
  rule: string
  severity: Severity
  message: string
}

export interface CheckResult {
  findings: Finding[]
  /** The files with their messages, `fatal` set from each rule's severity (true: error, false: warning, null: note). */
  files: VFile[]
}

/**
 * Checks a document for publication. A document that cannot be built at all (a missing file, bad metadata) is one
 * error finding (rule `cannot-build`), not an exception; the browser failing with `pdf` still throws.
 */
export async function check(options: Readonly<CheckOptions>): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd()
  let result: BuildResult
  try {
    result = await build({ ...options, to: options.pdf ? ['pdf'] : [], write: false })
  } catch (error) {
    if (!(error instanceof GalleyError) || error.exitCode !== 2) throw error
    const place = error.place
    const file = new VFile({ path: place ? (path.isAbsolute(place.file) ? path.relative(cwd, place.file) : place.file) : 'galley.yaml', cwd })
    file.message(error.message, { ruleId: 'cannot-build', source: rules['cannot-build'].source, ...(place?.line ? { place: { line: place.line, column: place.column ?? 1 } } : {}) })
    return finish([file])
  }
  const files = [...result.files]
  const fileFor = (name: string): VFile => {
    const shown = path.isAbsolute(name) ? path.relative(cwd, name) : name
    const existing = files.find((file) => file.path === shown)
    if (existing) return existing
    const created = new VFile({ path: shown, cwd })
    files.push(created)
    return created
  }
  const bookFile = files.at(-1)
  audit({
    book: result.book,
    tree: result.tree,
    metadata: result.metadata,
    projectDir: result.projectDir,
    entries: result.bibliography.items,
    citedKeys: bookFile?.data.citedKeys ?? [],
    fileFor,
  })
  if (bookFile) placePdfFindings(bookFile, result.book, result.tree, fileFor)
  return finish(files)
}

function finish(files: VFile[]): CheckResult {
  const findings: Finding[] = []
  for (const file of files) {
    file.messages.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    for (const message of file.messages) {
      const severity = isRuleId(message.ruleId) ? rules[message.ruleId].severity : 'warning'
      message.fatal = severity === 'error' ? true : severity === 'warning' ? false : null
      findings.push({ file: file.path, line: message.line ?? null, column: message.column ?? null, rule: message.ruleId ?? '', severity, message: message.reason })
    }
  }
  return { findings, files }
}

/**
 * The PDF self-check reports pages; the author edits source lines. A finding about a heading or a note names the id
 * its link leads to: the element with that id (for a note, its reference) came from a node whose source position the
 * HTML tree kept. One about text running outside the text block, or about the layout stalling before some text, is
 * found by that text in the manuscripts.
 */
export function placePdfFindings(bookFile: VFile, book: Root, tree: HastRoot, fileFor: (name: string) => VFile): void {
  const chapters = book.children.filter((node): node is Chapter => node.type === 'chapter')
  const elements = new Map<string, Element>()
  visit(tree, 'element', (element) => {
    const id = element.properties['id']
    if (typeof id === 'string' && element.position) elements.set(id, element)
  })
  // Which chapter a source offset belongs to: the one holding a node that starts there (offsets of different
  // files can meet; the first file that has one wins).
  const fileAt = (offset: number, line: number): VFile | undefined => {
    for (const chapter of chapters) {
      let found = false
      visit(chapter, (node) => {
        if (node.position?.start.offset === offset && node.position.start.line === line) found = true
        return found ? EXIT : undefined
      })
      if (found) return chapter.data.file
    }
    return undefined
  }
  const moved: typeof bookFile.messages = []
  for (const message of bookFile.messages) {
    if (message.source !== 'galley:pdf-check' || message.actual === undefined) continue
    const subject = message.actual
    let target: { file: VFile; line: number; column: number } | undefined
    if (message.ruleId === 'text-outside-text-area' || message.ruleId === 'layout-stalled') {
      target = findText(chapters, subject)
    } else {
      const element = elements.get(subject.replace(/^fn-/, 'fnref-')) ?? elements.get(subject)
      const start = element?.position?.start
      const file = start?.offset === undefined ? undefined : fileAt(start.offset, start.line)
      if (start && file) target = { file, line: start.line, column: start.column }
    }
    if (!target) continue
    const placed = fileFor(target.file.path).message(message.reason, { ruleId: message.ruleId ?? 'text-outside-text-area', source: message.source, place: { line: target.line, column: target.column } })
    placed.actual = subject
    moved.push(message)
  }
  bookFile.messages = bookFile.messages.filter((message) => !moved.includes(message))
}

/** The first place a manuscript holds the text's first words (soft hyphens and line breaks as the source has them). */
function findText(chapters: readonly Chapter[], text: string): { file: VFile; line: number; column: number } | undefined {
  const words = text.replaceAll('\u00AD', '').replaceAll('\u200B', '').trim().split(/\s+/).slice(0, 4)
  if (words.length === 0 || words[0] === '') return undefined
  const pattern = new RegExp(words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'))
  for (const chapter of chapters) {
    const source = String(chapter.data.file.value)
    const match = pattern.exec(source)
    if (!match) continue
    const before = source.slice(0, match.index)
    return { file: chapter.data.file, line: before.split('\n').length, column: match.index - before.lastIndexOf('\n') }
  }
  return undefined
}
