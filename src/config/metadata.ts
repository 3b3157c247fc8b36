// Reads metadata layers (front matter, config file, `-M`) and merges them into one checked `Metadata`.
import path from 'node:path'
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml'
import { ConfigError, type SourcePlace } from '../errors.js'
import { projectFile } from '../paths.js'
import type { RuleId } from '../diagnostics.js'
import { termsFor } from './translations.js'
import { defaults, keys, languageTag, quartoCrossrefKeys, type Author, type KeySpec, type Margins, type Metadata, type PaperSize, type QuartoCrossref } from './schema.js'

/** One key's raw value with where it was written and the directory its paths are relative to. */
export interface Setting {
  value: unknown
  place: SourcePlace
  baseDir: string
  /**
   * Set by the person running Galley (command line), not by a document or its config file: only such a setting may
   * name files outside the project or choose the browser.
   */
  trusted?: boolean
}

/** All settings from one source; several layers merge with the first one winning. */
export type Layer = Map<string, Setting>

/**
 * A metadata file (`--metadata-file`, or a `.yaml`/`.yml` input): YAML, between `---` and `---` or `...` as a
 * metadata block is, or without them. Its values are the document's, not the command line's: paths in it must be
 * inside the project.
 */
export function readMetadataFile(text: string, file: string, baseDir: string): Layer {
  const fenced = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text)
  return fenced ? readYamlLayer(fenced[1] ?? '', file, baseDir, 2) : readYamlLayer(text, file, baseDir)
}

/**
 * Parses YAML metadata (front matter or a config file) into a layer.
 * `file` is the name shown in messages; relative paths in values resolve against `baseDir`.
 * `firstLine` is the 1-based line of the YAML text within `file`, so positions point into the real file.
 */
export function readYamlLayer(text: string, file: string, baseDir: string, firstLine = 1): Layer {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const placeAt = (offset: number): SourcePlace => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line: line + firstLine - 1, column: col }
  }
  const error = doc.errors[0]
  if (error) {
    const reason = error.message.split('\n')[0] ?? error.message
    throw new ConfigError(`YAML metadata does not parse: ${reason}`, placeAt(error.pos[0]))
  }
  const layer: Layer = new Map()
  if (doc.contents === null) return layer
  if (!isMap(doc.contents)) {
    throw new ConfigError('YAML metadata must be a mapping of keys to values', placeAt(doc.contents.range?.[0] ?? 0))
  }
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as YamlNode | null
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode)
    const valueNode = pair.value as YamlNode | null
    const start = valueNode?.range?.[0] ?? keyNode?.range?.[0] ?? 0
    layer.set(key, { value: valueNode ? valueNode.toJSON() : null, place: placeAt(start), baseDir })
  }
  return layer
}

/**
 * Turns `-M key=value` (or `key:value`) pairs into a layer; `true`/`false` become booleans, as in Pandoc; a repeated key, a list.
 * `option` names the flag in messages (`-V` for Pandoc's variables, which Galley takes as metadata).
 */
export function readCliLayer(pairs: readonly string[], cwd: string, option = '-M'): Layer {
  const layer: Layer = new Map()
  for (const pair of pairs) {
    // Pandoc splits at the first `=` or `:` (`-M lang:de`, `-V fontsize=12pt`).
    const eq = pair.search(/[=:]/)
    const key = eq === -1 ? pair : pair.slice(0, eq)
    const text = eq === -1 ? 'true' : pair.slice(eq + 1)
    const value = text === 'true' ? true : text === 'false' ? false : text
    const earlier = layer.get(key)?.value
    // The same setting twice (`-N` and `-M number-sections=true`) is one setting, not a list.
    if (earlier === value) continue
    const merged = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value]
    layer.set(key, { value: merged, place: { file: `${option} ${key}` }, baseDir: cwd, trusted: true })
  }
  return layer
}

export interface ResolveOptions {
  /**
   * The project directory: files named by a document or its config file must lie inside it (links followed). Without
   * it, paths are not checked (for callers that only guess, such as the early citeproc start).
   */
  projectDir?: string | undefined
  /** Receives what is ignored rather than fatal (a document that sets a runner-only key). */
  warn?: ((reason: string, place: SourcePlace, ruleId: RuleId) => void) | undefined
}

/** Merges layers (earlier wins) over the defaults, checking every value against the schema and the trust model. */
export function resolveMetadata(layers: readonly Layer[], options: Readonly<ResolveOptions> = {}): Metadata {
  const result: Metadata = structuredClone(defaults)
  const known = new Map(keys.map((spec) => [spec.key, spec]))
  const seen = new Set<string>()
  // Two names for one field (`number-sections`, `numbersections`): the layer that wins sets it.
  const assigned = new Set<keyof Metadata>()
  const institutes = readInstitutes(
    layers.find((layer) => layer.has('institute'))?.get('institute')?.value,
    layers.find((layer) => layer.has('affiliations'))?.get('affiliations')?.value,
  )
  for (const layer of layers) {
    for (const [key, setting] of layer) {
      if (seen.has(key)) continue
      const spec = known.get(key)
      if (spec?.runnerOnly && !setting.trusted) {
        options.warn?.(
          `"${key}" is ignored here: a document may not choose a program to run; set it on the command line (-M ${key}=…) or in the environment`,
          setting.place,
          'runner-only-setting',
        )
        continue
      }
      // Unknown keys are the author's own variables (Pandoc passes them to templates): keep quiet.
      if (!spec || setting.value === null) {
        seen.add(key)
        continue
      }
      if (assigned.has(spec.field)) continue
      try {
        assign(result, spec, setting, institutes)
      } catch (error) {
        // As Pandoc keeps any value: one Galley cannot use is reported and left out, and a lower layer may set the key.
        if (!(error instanceof ConfigError)) throw error
        options.warn?.(`${error.message}; ignored`, setting.place, 'invalid-metadata')
        continue
      }
      seen.add(key)
      assigned.add(spec.field)
      if (spec.key === 'cover-image') result.coverImageTrusted = setting.trusted === true
      if ((spec.path || spec.kind === 'style') && !setting.trusted && options.projectDir !== undefined && spec.key !== 'cover-image') {
        checkInsideProject(result, spec, setting, options.projectDir)
      }
    }
  }
  // The contents' default title is in the book's language, as Pandoc's is.
  if (!seen.has('toc-title')) result.tocTitle = termsFor(result.lang).contents
  result.given = [...new Set(keys.map((spec) => spec.key))].filter((key) => layers.some((layer) => (layer.get(key)?.value ?? null) !== null))
  const page = result.layout === 'handout' ? handoutDefaults(result.papersize) : pageDefaults(result.papersize)
  if (!seen.has('margin')) result.margin = page.margin
  if (!seen.has('fontsize')) result.fontsize = page.fontsize
  return result
}

/**
 * Margins and type size that give a 60–70 character measure on each paper size (PRINT-DESIGN.md): books
 * (A5, B5) get a smaller inner than outer margin and a deeper foot; A4/Letter handouts a wide outer margin.
 */
export function pageDefaults(size: PaperSize): { margin: Margins; fontsize: string } {
  switch (typeof size === 'string' ? size : 'custom') {
    case 'a5':
      return { margin: { top: '18mm', bottom: '26mm', inner: '18mm', outer: '24mm' }, fontsize: '10pt' }
    case 'b5':
      return { margin: { top: '20mm', bottom: '28mm', inner: '22mm', outer: '28mm' }, fontsize: '10.5pt' }
    case 'letter':
    case 'legal':
      return { margin: { top: '25mm', bottom: '30mm', inner: '32mm', outer: '50mm' }, fontsize: '11pt' }
    case 'a4':
      return { margin: { top: '25mm', bottom: '30mm', inner: '32mm', outer: '48mm' }, fontsize: '11pt' }
    default:
      return { margin: defaults.margin, fontsize: defaults.fontsize }
  }
}

/**
 * A handout's page (`layout: handout`): printed one-sided, so the margins do not mirror (`inner` is the left), with a
 * shallow head and foot for more text on a sheet. The type is a step larger on A4 and Letter (PRINT-DESIGN.md: 11–12 pt
 * for handouts) so the narrower margins still give a line of some 70–80 characters; A5 keeps 10 pt and equal sides,
 * as its pages are folded into a booklet (`imposition: booklet`), where a page's sides swap.
 */
export function handoutDefaults(size: PaperSize): { margin: Margins; fontsize: string } {
  switch (typeof size === 'string' ? size : 'custom') {
    case 'a5':
      return { margin: { top: '14mm', bottom: '18mm', inner: '18mm', outer: '18mm' }, fontsize: '10pt' }
    case 'letter':
    case 'legal':
      return { margin: { top: '18mm', bottom: '20mm', inner: '32mm', outer: '38mm' }, fontsize: '12pt' }
    case 'a4':
      return { margin: { top: '18mm', bottom: '20mm', inner: '30mm', outer: '35mm' }, fontsize: '12pt' }
    default:
      return pageDefaults(size)
  }
}

/**
 * A file named by a document or its config file must be inside the project (after links are followed), or the
 * build could publish any file the person running Galley can read (`bibliography: /home/…` with `nocite: "@*"`).
 * The cover image is checked where it is used, with a warning and a drawn cover instead.
 */
function checkInsideProject(target: Metadata, spec: KeySpec, setting: Setting, projectDir: string): void {
  const value = (target as unknown as Record<string, unknown>)[spec.field]
  for (const file of Array.isArray(value) ? value : [value]) {
    if (typeof file !== 'string' || projectFile(projectDir, file).refused !== 'outside') continue
    throw new ConfigError(
      `"${spec.key}" names ${file}, which is outside the project directory ${projectDir}: a document may only name files inside its project (name it on the command line to use it)`,
      setting.place,
    )
  }
}

function assign(target: Metadata, spec: KeySpec, setting: Setting, institutes: ReadonlyMap<string, string>): void {
  const { value, place } = setting
  const fail = (expected: string): never => {
    throw new ConfigError(`Metadata key "${spec.key}" must be ${expected}, got ${describe(value)}`, place)
  }
  const resolvePath = (p: string): string => (spec.path ? path.resolve(setting.baseDir, p) : p)
  const record = target as unknown as Record<string, unknown>
  switch (spec.kind) {
    case 'string':
      if (typeof value === 'string') record[spec.field] = resolvePath(value)
      else if (typeof value === 'number' || value instanceof Date) record[spec.field] = scalarText(value)
      else fail('a string')
      return
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false')
      record[spec.field] = value
      return
    case 'integer':
      if (typeof value === 'string' && /^\d+$/.test(value)) record[spec.field] = Number(value)
      else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) record[spec.field] = value
      else fail('a whole number')
      return
    case 'string-list': {
      const list = Array.isArray(value) ? value : [value]
      if (!list.every((item) => typeof item === 'string')) fail('a string or a list of strings')
      record[spec.field] = (list as string[]).flatMap((item) =>
        spec.key === 'nocite' ? item.split(/[\s,;]+/).filter(Boolean) : [resolvePath(item)],
      )
      return
    }
    case 'list':
      if (!Array.isArray(value)) fail('a list')
      record[spec.field] = value
      return
    case 'authors':
      target.author = readAuthors(value, fail, institutes)
      return
    case 'papersize':
      target.papersize = readPaperSize(value, fail)
      return
    case 'margin':
      target.margin = readMargins(value, fail)
      return
    case 'notes':
      if (value !== 'footnotes' && value !== 'endnotes') fail('"footnotes" or "endnotes"')
      target.notes = value as Metadata['notes']
      return
    case 'length':
      if (typeof value !== 'string' || !lengthPattern.test(value.trim())) fail('a length such as 11pt')
      record[spec.field] = (value as string).trim()
      return
    case 'lang':
      if (typeof value !== 'string' || !languageTag.test(value)) fail('a BCP 47 language tag such as en-GB')
      record[spec.field] = value
      return
    case 'style':
      if (typeof value !== 'string') fail('a CSL style name or the path of a .csl file')
      record[spec.field] = readStyle(value as string, setting)
      return
    case 'imposition':
      if (value === 'none' || value === false) target.imposition = undefined
      else if (value === 'booklet' || value === '2up' || value === '4up') target.imposition = value
      else fail('"booklet", "2up", "4up" or "none"')
      return
    case 'names': {
      const list = Array.isArray(value) ? value : [value]
      if (!list.every((item) => typeof item === 'string')) fail('a name or a list of names')
      const names = (list as string[]).flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean)
      // Names reach file names (`NAME-key.pdf`): letters, digits, `-` and `_` only.
      if (!names.every((name) => /^[\p{L}\p{N}_-]+$/u.test(name))) fail('names of letters, digits, - and _')
      record[spec.field] = [...new Set(names)]
      return
    }
    case 'layout':
      if (value !== 'default' && value !== 'handout' && value !== 'course-pack') fail('"default", "handout" or "course-pack"')
      target.layout = value as Metadata['layout']
      return
    case 'notes-numbering':
      if (value !== 'document' && value !== 'chapter') fail('"document" or "chapter"')
      target.notesNumbering = value as Metadata['notesNumbering']
      return
    case 'top-level-division':
      if (value !== 'default' && value !== 'section' && value !== 'chapter' && value !== 'part') fail('"default", "section", "chapter" or "part"')
      target.topLevelDivision = value as Metadata['topLevelDivision']
      return
    case 'signed-integer':
      if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) record[spec.field] = Number(value)
      else if (typeof value === 'number' && Number.isInteger(value)) record[spec.field] = value
      else fail('a whole number, such as -1 or 1')
      return
    case 'number-offset':
      target.numberOffset = readNumberOffset(value, fail)
      return
    case 'heading-level': {
      const level = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
      if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 6) fail('a heading level from 1 to 6')
      record[spec.field] = level
      return
    }
    case 'macros':
      target.macros = readMacros(value, fail)
      return
    case 'quarto-crossref':
      target.quartoCrossref = readQuartoCrossref(value, fail)
      return
  }
}

/** `--number-offset` as Pandoc takes it, `1,4`; in YAML also a number or a list of numbers. */
function readNumberOffset(value: unknown, fail: (expected: string) => never): number[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value]
  const numbers = items.map((item) => (typeof item === 'string' && /^\s*\d+\s*$/.test(item) ? Number(item) : item))
  if (numbers.length === 0 || !numbers.every((item) => typeof item === 'number' && Number.isInteger(item) && item >= 0)) {
    return fail('whole numbers separated by commas, such as 1,4')
  }
  return numbers as number[]
}

/**
 * `csl:` is a style name or a path; a path is relative to the file that names it (like every path), and one from a
 * document must be inside the project.
 */
function readStyle(value: string, setting: Setting): string {
  const looksLikePath = value.includes('/') || value.includes(path.sep) || value.endsWith('.csl')
  return looksLikePath ? path.resolve(setting.baseDir, value) : value
}

/**
 * Authors as Pandoc templates, pandoc-scholar and JOSS take them: `Jane Doe`, `{name: Jane Doe, affiliation: …,
 * email: …, orcid: …}`, or pandoc-scholar's `{Jane Doe: {institute: [fosg]}}`, whose institute ids are looked up in
 * the `institute` key (`[{fosg: Formal Sciences Group}]`); JOSS's `affiliation: "1, 2"` are indices into its
 * `affiliations` list. Other details are for templates; Galley does not print them.
 */
function readAuthors(value: unknown, fail: (expected: string) => never, institutes: ReadonlyMap<string, string>): Author[] {
  const list = Array.isArray(value) ? value : [value]
  const expected = 'a name, a list of names, or a list of {name, affiliation} or {Name: {institute}}'
  return list.map((item): Author => {
    if (typeof item === 'string') return { name: item }
    if (!item || typeof item !== 'object' || Array.isArray(item)) return fail(expected)
    const record = item as Record<string, unknown>
    let name = record['name']
    let details: Record<string, unknown> = record
    const keys = Object.keys(record)
    if (name === undefined && keys.length === 1 && keys[0] !== undefined) {
      name = keys[0]
      const inner = record[keys[0]]
      details = inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {}
    }
    if (typeof name !== 'string') return fail(expected)
    const author: Author = { name }
    const affiliation = affiliationText(details['affiliation'] ?? details['institute'], institutes)
    if (affiliation !== undefined) author.affiliation = affiliation
    for (const field of ['email', 'orcid'] as const) {
      const detail = details[field]
      if (typeof detail === 'string' && detail.trim() !== '') author[field] = detail.trim()
    }
    return author
  })
}

/** `{RR: '\\mathbb{R}'}` or `{'\\RR': …}`: macro names with their backslash, as the math renderer takes them. */
function readMacros(value: unknown, fail: (expected: string) => never): Record<string, string> {
  const expected = 'a mapping of macro names to TeX, such as {RR: "\\\\mathbb{R}"}'
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail(expected)
  const macros: Record<string, string> = {}
  for (const [name, body] of Object.entries(value)) {
    if (typeof body !== 'string' && typeof body !== 'number') fail(expected)
    macros[name.startsWith('\\') ? name : `\\${name}`] = String(body)
  }
  return macros
}

/** Quarto's `crossref:` map (or `false`, Quarto's way to turn it off, read as no words): the words Galley reads. */
function readQuartoCrossref(value: unknown, fail: (expected: string) => never): QuartoCrossref {
  if (value === false) return {}
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('a mapping such as {lst-title: Code, lst-prefix: Code}')
  const read: QuartoCrossref = {}
  const entries = value as Record<string, unknown>
  for (const key of quartoCrossrefKeys) {
    const word = entries[key]
    if (typeof word === 'string' || typeof word === 'number') read[key] = String(word)
  }
  if (typeof entries['ref-hyperlink'] === 'boolean') read['ref-hyperlink'] = entries['ref-hyperlink']
  return read
}

function affiliationText(value: unknown, institutes: ReadonlyMap<string, string>): string | undefined {
  const list = (Array.isArray(value) ? value : [value])
    .filter((item) => typeof item === 'string' || typeof item === 'number')
    .map(String)
    // JOSS's `affiliation: "1, 2"`: indices, when each is one.
    .flatMap((item) => (item.split(/\s*,\s*/).every((id) => institutes.has(id)) ? item.split(/\s*,\s*/) : [item]))
  return list.length === 0 ? undefined : list.map((id) => institutes.get(id) ?? id).join('; ')
}

/**
 * pandoc-scholar's `institute` key: `[{fosg: Formal Sciences Group}]` or `{fosg: …}`, a value a text or `{name}`;
 * JOSS's `affiliations`: `[{name: Formal Sciences Group, index: 1}]`.
 */
function readInstitutes(institute: unknown, affiliations: unknown): Map<string, string> {
  const institutes = new Map<string, string>()
  for (const entry of Array.isArray(affiliations) ? affiliations : [affiliations]) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue
    const { name, index } = entry as Record<string, unknown>
    if (typeof name === 'string' && (typeof index === 'string' || typeof index === 'number')) institutes.set(String(index), name)
  }
  for (const entry of Array.isArray(institute) ? institute : [institute]) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue
    for (const [id, value] of Object.entries(entry as Record<string, unknown>)) {
      const name = typeof value === 'string' ? value : value && typeof value === 'object' && 'name' in value ? value.name : undefined
      if (typeof name === 'string') institutes.set(id, name)
    }
  }
  return institutes
}

const lengthPattern = /^\d+(\.\d+)?(mm|cm|in|pt|pc|px)$/

function readPaperSize(value: unknown, fail: (expected: string) => never): PaperSize {
  const expected = 'a4, a5, b5, letter, legal, or WIDTHxHEIGHT such as 148mmx210mm'
  if (typeof value !== 'string') return fail(expected)
  const name = value.toLowerCase()
  if (name === 'a4' || name === 'a5' || name === 'b5' || name === 'letter' || name === 'legal') return name
  const match = /^(\S+?)\s*x\s*(\S+)$/.exec(name)
  if (match?.[1] && match[2] && lengthPattern.test(match[1]) && lengthPattern.test(match[2])) {
    return { width: match[1], height: match[2] }
  }
  return fail(expected)
}

function readMargins(value: unknown, fail: (expected: string) => never): Margins {
  const expected = 'a CSS length or a mapping of top, bottom, inner, outer to CSS lengths'
  if (typeof value === 'string') {
    if (!lengthPattern.test(value)) fail(expected)
    return { top: value, bottom: value, inner: value, outer: value }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail(expected)
  const margins = { ...defaults.margin }
  for (const [side, length] of Object.entries(value)) {
    if (!(side in margins) || typeof length !== 'string' || !lengthPattern.test(length)) fail(expected)
    margins[side as keyof Margins] = length as string
  }
  return margins
}

function scalarText(value: number | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value)
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'nothing'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value)}`
}

/** The keys of a Quarto book's `book:` that are the book's own metadata. */
const quartoBookKeys = ['title', 'subtitle', 'author', 'date', 'abstract', 'cover-image']

/**
 * A `_quarto.yml` layer with its `book:` title, subtitle, author, date, abstract and cover image taken to the top
 * level (where a document's are), unless the top level sets them: Quarto gives a book's title there.
 */
export function quartoLayer(layer: Layer): Layer {
  const book = layer.get('book')
  if (!book || !book.value || typeof book.value !== 'object' || Array.isArray(book.value)) return layer
  const lifted: Layer = new Map(layer)
  for (const [key, value] of Object.entries(book.value)) {
    if (quartoBookKeys.includes(key) && !lifted.has(key)) lifted.set(key, { ...book, value })
  }
  return lifted
}

