// Reads metadata layers (front matter, config file, `-M`) and merges them into one checked `Metadata`.
import path from 'node:path'
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml'
import { ConfigError, type SourcePlace } from '../errors.js'
import { defaults, keys, type Author, type KeySpec, type Margins, type Metadata, type PaperSize } from './schema.js'

/** One key's raw value with where it was written and the directory its paths are relative to. */
export interface Setting {
  value: unknown
  place: SourcePlace
  baseDir: string
}

/** All settings from one source; several layers merge with the first one winning. */
export type Layer = Map<string, Setting>

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

/** Turns `-M key=value` pairs into a layer; `true`/`false` become booleans, as in Pandoc; a repeated key, a list. */
export function readCliLayer(pairs: readonly string[], cwd: string): Layer {
  const layer: Layer = new Map()
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const key = eq === -1 ? pair : pair.slice(0, eq)
    const text = eq === -1 ? 'true' : pair.slice(eq + 1)
    const value = text === 'true' ? true : text === 'false' ? false : text
    const earlier = layer.get(key)?.value
    const merged = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value]
    layer.set(key, { value: merged, place: { file: `-M ${key}` }, baseDir: cwd })
  }
  return layer
}

/** Merges layers (earlier wins) over the defaults, checking every value against the schema. */
export function resolveMetadata(layers: readonly Layer[]): Metadata {
  const result: Metadata = structuredClone(defaults)
  const known = new Map(keys.map((spec) => [spec.key, spec]))
  const seen = new Set<string>()
  for (const layer of layers) {
    for (const [key, setting] of layer) {
      if (seen.has(key)) continue
      seen.add(key)
      const spec = known.get(key)
      // Unknown keys are the author's own variables (Pandoc passes them to templates): keep quiet.
      if (!spec || setting.value === null) continue
      assign(result, spec, setting)
    }
  }
  if (!seen.has('margin')) result.margin = pageDefaults(result.papersize).margin
  if (!seen.has('fontsize')) result.fontsize = pageDefaults(result.papersize).fontsize
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

function assign(target: Metadata, spec: KeySpec, setting: Setting): void {
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
      target.author = readAuthors(value, fail)
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
    case 'notes-numbering':
      if (value !== 'document' && value !== 'chapter') fail('"document" or "chapter"')
      target.notesNumbering = value as Metadata['notesNumbering']
      return
  }
}

function readAuthors(value: unknown, fail: (expected: string) => never): Author[] {
  const list = Array.isArray(value) ? value : [value]
  return list.map((item): Author => {
    if (typeof item === 'string') return { name: item }
    if (item && typeof item === 'object' && 'name' in item && typeof item.name === 'string') {
      const affiliation = 'affiliation' in item && typeof item.affiliation === 'string' ? item.affiliation : undefined
      return affiliation === undefined ? { name: item.name } : { name: item.name, affiliation }
    }
    return fail('a name, a list of names, or a list of {name, affiliation}')
  })
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
