// Loads bibliography files (CSL-JSON, CSL-YAML, BibTeX/BibLaTeX) and front-matter references into checked CSL items.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isSeq, LineCounter, parse as parseYaml, parseDocument, type Node as YamlNode } from 'yaml'
import { BibliographyError, type SourcePlace } from '../errors.js'
import { bibtexToCsl, type BibtexOptions } from './bibtex.js'
import type { RuleId } from '../diagnostics.js'
import { yamlField } from './yaml-markdown.js'

/** A CSL-JSON item as citeproc reads it. */
export interface CslItem {
  id: string
  type?: string
  [field: string]: unknown
}

/** A problem that does not stop the build, with where it is. */
export interface BibliographyIssue {
  reason: string
  place: SourcePlace
  ruleId: RuleId
}

export interface Bibliography {
  items: Map<string, CslItem>
  issues: BibliographyIssue[]
}

const nameFields = ['author', 'editor', 'translator', 'container-author', 'collection-editor', 'composer', 'director', 'editorial-director', 'interviewer', 'illustrator', 'original-author', 'recipient', 'reviewed-author']
/** Pandoc's `normalizeKey`: these variables are read in any case (`url`, `Doi`), citeproc-js knows only the capitals. */
const upperCaseFields = new Map(['DOI', 'ISBN', 'ISSN', 'PMCID', 'PMID', 'URL'].map((field) => [field.toLowerCase(), field]))
const dateFields = ['issued', 'accessed', 'event-date', 'original-date', 'submitted']

/**
 * Reads every file in order, then the front matter's `references`; as in Pandoc, a later entry with an id already
 * seen replaces the earlier one (so `references:` can override a file), and the duplicate is reported.
 */
export async function loadBibliography(files: readonly string[], inline: readonly unknown[], inlinePlace: SourcePlace, options: Readonly<BibtexOptions> = {}): Promise<Bibliography> {
  const bibliography: Bibliography = { items: new Map(), issues: [] }
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new BibliographyError(`Cannot read the bibliography file: ${reasonOf(error)}`, { file }, { cause: error })
    }
    const format = formatOf(file)
    const entries = format === 'bibtex' ? await parseBibtex(text, file, options) : parseStructured(text, file, format)
    addEntries(bibliography, entries, (index, id) => placeOfEntry(text, file, format, index, id), format === 'json' ? 'json' : 'yaml')
  }
  if (inline.length > 0) addEntries(bibliography, inline, () => inlinePlace, 'yaml')
  return bibliography
}

type Format = 'json' | 'yaml' | 'bibtex'

function formatOf(file: string): Format {
  const extension = path.extname(file).toLowerCase()
  if (extension === '.bib' || extension === '.bibtex' || extension === '.biblatex') return 'bibtex'
  if (extension === '.yaml' || extension === '.yml') return 'yaml'
  if (extension === '.json') return 'json'
  throw new BibliographyError(`Unknown bibliography format "${extension}": use .json (CSL-JSON), .yaml (CSL-YAML) or .bib (BibTeX/BibLaTeX)`, { file })
}

function parseStructured(text: string, file: string, format: 'json' | 'yaml'): unknown[] {
  let data: unknown
  if (format === 'json') {
    try {
      data = JSON.parse(text)
    } catch (error) {
      throw new BibliographyError(`CSL-JSON does not parse: ${jsonReason(error)}`, jsonErrorPlace(text, file, error))
    }
  } else {
    try {
      data = parseYaml(text)
    } catch (error) {
      const place: SourcePlace = { file }
      const linePos = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0]
      if (linePos) Object.assign(place, { line: linePos.line, column: linePos.col })
      throw new BibliographyError(`CSL-YAML does not parse: ${reasonOf(error).split('\n')[0] ?? ''}`, place)
    }
    if (data && typeof data === 'object' && !Array.isArray(data) && 'references' in data) data = data.references
  }
  if (!Array.isArray(data)) {
    throw new BibliographyError(`A ${format === 'json' ? 'CSL-JSON' : 'CSL-YAML'} bibliography must be a list of entries`, { file, line: 1, column: 1 })
  }
  return data
}

async function parseBibtex(text: string, file: string, options: Readonly<BibtexOptions>): Promise<unknown[]> {
  const adapter = await import('./citation-js.js')
  let entries: unknown[]
  try {
    entries = bibtexToCsl(text, adapter, options)
  } catch (error) {
    // citation-js says where: "invalid syntax at line 2 col 1:" followed by the source lines.
    const reason = reasonOf(error)
    const at = /at line (\d+) col (\d+)/.exec(reason)
    const place: SourcePlace = at ? { file, line: Number(at[1]), column: Number(at[2]) } : { file }
    throw new BibliographyError(`BibTeX does not parse: ${reason.split('\n')[0]?.replace(/ at line \d+ col \d+:?$/, '') ?? ''}`, place)
  }
  // citation-js keeps LaTeX commands it does not know (`{\TeX}book` → `\TeXbook`); Pandoc prints their names.
  return entries.map((entry) => stripCommands(entry))
}

function stripCommands(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\\([A-Za-z]+)/g, '$1')
  if (Array.isArray(value)) return value.map(stripCommands)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, stripCommands(field)]))
  return value
}

/**
 * How names are read: Pandoc reads CSL-YAML (files and the front matter's `references`) as metadata, where a name
 * field may be one name instead of a list and a name may be a string (a literal name); in CSL-JSON it reads a string
 * in a list as citeproc's "cheater" name, `family || given`.
 */
type NameSyntax = 'yaml' | 'json'

function addEntries(bibliography: Bibliography, entries: readonly unknown[], placeOf: (index: number, id?: string) => SourcePlace, names: NameSyntax): void {
  entries.forEach((entry, index) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new BibliographyError(`Entry ${index + 1} is not an object`, placeOf(index))
    }
    const record = entry as Record<string, unknown>
    const id = record['id']
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new BibliographyError(`Entry ${index + 1} has no "id" (the citation key)`, placeOf(index))
    }
    const key = names === 'yaml' && typeof id === 'string' ? yamlField('id', id) : String(id)
    if (bibliography.items.has(key)) {
      const reason = `Duplicate bibliography id "${key}"; this entry replaces the earlier one`
      bibliography.issues.push({ reason, place: placeOf(index, key), ruleId: 'duplicate-id' })
      bibliography.items.delete(key) // Re-added below, so the map's order stays the order of the entries used.
    }
    const item: CslItem = { id: key }
    for (const [field, value] of Object.entries(record)) {
      if (field === 'id') continue
      const name = upperCaseFields.get(field.toLowerCase()) ?? field
      // CSL-YAML is metadata to Pandoc: its text fields are inline Markdown (`title: On *Homo sapiens*`).
      item[name] = names === 'yaml' && typeof value === 'string' ? yamlField(name, value) : value
    }
    for (const reason of cleanFields(item, names)) {
      bibliography.issues.push({ reason: `Entry "${key}": ${reason}`, place: placeOf(index, key), ruleId: 'invalid-field' })
    }
    bibliography.items.set(key, item)
  })
}

/** Drops fields whose type citeproc cannot read (it would crash or print garbage), saying which. */
function cleanFields(item: CslItem, syntax: NameSyntax): string[] {
  const reasons: string[] = []
  for (const field of nameFields) {
    let value = item[field]
    if (value === undefined) continue
    if (syntax === 'yaml' && !Array.isArray(value) && value !== null) value = [value]
    if (Array.isArray(value)) value = value.map((name: unknown) => (typeof name === 'string' || typeof name === 'number' ? stringName(String(name), syntax) : textParts(name)))
    item[field] = value
    if (!Array.isArray(value) || !value.every((name) => name && typeof name === 'object')) {
      reasons.push(`"${field}" must be a list of names such as {"family": "Doe", "given": "Jane"}; ignored`)
      delete item[field]
    }
  }
  for (const field of dateFields) {
    let value = item[field]
    if (value === undefined) continue
    if (typeof value === 'string' || typeof value === 'number') {
      // Pandoc's CSL-YAML allows `issued: 1952` or `issued: 2020-05-17` (EDTF, `/` for ranges).
      value = dateFromText(String(value))
      item[field] = value
    } else if (Array.isArray(value) || (value && typeof value === 'object' && 'year' in value)) {
      // The older CSL-YAML form Pandoc still reads: `issued: [{year: 2020, month: 5}]`, two items for a range.
      value = dateFromParts(Array.isArray(value) ? value : [value])
      if (value) item[field] = value
    }
    const ok = value && typeof value === 'object' && !Array.isArray(value) && ('date-parts' in value || 'raw' in value || 'literal' in value)
    if (!ok) {
      reasons.push(`"${field}" must be a date such as {"date-parts": [[2020, 5, 17]]}; ignored`)
      delete item[field]
    }
  }
  if (item.type !== undefined && typeof item.type !== 'string') {
    reasons.push('"type" must be a CSL type name such as "book"; using "document"')
    item.type = 'document'
  }
  return reasons
}

/** The parts of a name as text, as Pandoc reads them: a number as its digits, a list as its items with spaces between. */
function textParts(name: unknown): unknown {
  if (!name || typeof name !== 'object' || Array.isArray(name)) return name
  const parts: Record<string, unknown> = { ...name }
  for (const part of ['family', 'given', 'dropping-particle', 'non-dropping-particle', 'suffix', 'literal']) {
    const value = parts[part]
    if (typeof value === 'number' || typeof value === 'boolean') parts[part] = String(value)
    else if (Array.isArray(value) && value.every((word) => ['string', 'number', 'boolean'].includes(typeof word))) parts[part] = value.join(' ')
    else if (value !== undefined && value !== null && typeof value !== 'string') delete parts[part]
  }
  return parts
}

/** A name written as a string: Pandoc's metadata takes it as a literal name, citeproc's JSON as `family || given`. */
function stringName(text: string, syntax: NameSyntax): Record<string, string> {
  if (syntax === 'yaml') return { literal: text }
  const [family = '', given] = text.split('||').map((part) => part.trim())
  return given === undefined ? { family } : { family, given }
}

function dateFromText(text: string): { 'date-parts': number[][] } | { raw: string } {
  const parts = text.split('/').map((part) => /^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(part.trim()))
  if (parts.length > 2 || !parts.every((match) => match)) return { raw: text }
  return { 'date-parts': parts.map((match) => (match ?? []).slice(1).filter((part) => part !== undefined).map(Number)) }
}

/** `[{year, month, day}]` (each part a number or a numeral; `circa` and `season` on any item) as CSL-JSON's date, or undefined. */
function dateFromParts(items: readonly unknown[]): Record<string, unknown> | undefined {
  if (items.length === 0 || items.length > 2) return undefined
  const date: Record<string, unknown> = { 'date-parts': [] }
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined
    const record = item as Record<string, unknown>
    const parts: number[] = []
    for (const name of ['year', 'month', 'day']) {
      const part = record[name]
      if (part === undefined) break
      const number = typeof part === 'number' ? part : typeof part === 'string' && /^-?\d+$/.test(part.trim()) ? Number(part) : NaN
      if (!Number.isInteger(number)) return undefined
      parts.push(number)
    }
    if (parts.length === 0) return undefined
    ;(date['date-parts'] as number[][]).push(parts)
    if (record['circa'] === true || record['circa'] === 'true' || record['circa'] === 1) date['circa'] = true
    if (record['season'] !== undefined) date['season'] = record['season']
  }
  return date
}

/** Where entry `index` starts: found by parsing again with positions, only when something is reported. */
function placeOfEntry(text: string, file: string, format: Format, index: number, id: string | undefined): SourcePlace {
  if (format === 'bibtex') {
    const escaped = (id ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const at = id === undefined ? -1 : text.search(new RegExp(`@\\w+\\s*[{(]\\s*${escaped}\\s*,`))
    if (at === -1) return { file }
    const before = text.slice(0, at)
    return { file, line: before.split('\n').length, column: at - before.lastIndexOf('\n') }
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  let list: YamlNode | null = doc.contents
  if (isMap(list)) list = list.get('references', true) as YamlNode | null
  const node = isSeq(list) ? (list.items[index] as YamlNode | undefined) : undefined
  const offset = node?.range?.[0]
  if (offset === undefined) return { file }
  const { line, col } = lineCounter.linePos(offset)
  return { file, line, column: col }
}

function jsonErrorPlace(text: string, file: string, error: unknown): SourcePlace {
  const message = reasonOf(error)
  const position = /at position (\d+)/.exec(message)?.[1]
  const lineCol = /line (\d+) column (\d+)/.exec(message)
  if (lineCol?.[1] && lineCol[2]) return { file, line: Number(lineCol[1]), column: Number(lineCol[2]) }
  if (position === undefined) return { file }
  const before = text.slice(0, Number(position))
  const line = before.split('\n').length
  return { file, line, column: Number(position) - before.lastIndexOf('\n') }
}

function jsonReason(error: unknown): string {
  return reasonOf(error).replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '')
}

function reasonOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT') return 'no such file'
  return error instanceof Error ? error.message : String(error)
}
