// Finds CSL styles and locales: by path, in the project's and Galley's `styles/`, the system CSL directory, citation-js.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { languageTag } from '../config/schema.js'
import { StyleError } from '../errors.js'
import { galleyRoot } from '../paths.js'
import { removeStrayElements } from './style-repair.js'

const require = createRequire(import.meta.url)
const galleyStyles = path.join(galleyRoot, 'styles')
/** Debian's `citation-style-language-styles` / `-locales`; the build's `CSL_DIR` points elsewhere. */
export const systemCslDir = '/usr/share/citation-style-language'

export const defaultStyle = 'chicago-author-date'

export interface LoadedStyle {
  name: string
  file: string
  xml: string
  /** What was taken out of the style so that citeproc-js can run it (`removeStrayElements`), to be reported. */
  ignored?: { reason: string; file: string; line: number; column: number }[]
}

/**
 * Resolves `csl:` as Pandoc users write it: a path to a `.csl` file, or a style name looked up in
 * `<project>/styles`, Galley's own `styles/csl`, the system CSL styles (independent, then dependent) and the
 * styles bundled with citation-js. A dependent style is replaced by its parent.
 */
export function loadStyle(nameOrPath: string | undefined, projectDir: string, cslDir = systemCslDir): LoadedStyle {
  const wanted = nameOrPath ?? defaultStyle
  const looksLikePath = wanted.includes('/') || wanted.includes(path.sep) || wanted.endsWith('.csl')
  if (looksLikePath) {
    const file = path.resolve(projectDir, wanted)
    if (!existsSync(file)) throw new StyleError(`CSL style file not found: ${shown(file, projectDir)}`, { file: shown(file, projectDir) })
    return followParent({ name: path.basename(file, '.csl'), file, xml: readFileSync(file, 'utf8') }, projectDir, cslDir, 0)
  }
  const found = findStyleByName(wanted, projectDir, cslDir)
  if (!found) {
    throw new StyleError(
      `CSL style "${wanted}" not found in the project's styles/, ${path.join(cslDir, 'styles')} or Galley's bundled styles; give a path to a .csl file or install citation-style-language-styles`,
    )
  }
  return followParent(found, projectDir, cslDir, 0)
}

/** A path as the author would write it: relative to the project when inside it. */
function shown(file: string, projectDir: string): string {
  const relative = path.relative(projectDir, file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

function findStyleByName(name: string, projectDir: string, cslDir: string): LoadedStyle | undefined {
  const candidates = [
    path.join(projectDir, 'styles', `${name}.csl`),
    path.join(galleyStyles, 'csl', `${name}.csl`),
    path.join(cslDir, 'styles', `${name}.csl`),
    path.join(cslDir, 'styles', 'dependent', `${name}.csl`),
  ]
  for (const file of candidates) {
    if (existsSync(file)) return { name, file, xml: readFileSync(file, 'utf8') }
  }
  const bundled = own(citationJsStyles(), name)
  return bundled ? { name, file: `citation-js:${name}`, xml: bundled } : undefined
}

function followParent(style: LoadedStyle, projectDir: string, cslDir: string, depth: number): LoadedStyle {
  checkStyleXml({ ...style, file: shown(style.file, projectDir) })
  const parent = /<link[^>]*rel="independent-parent"[^>]*>/.exec(style.xml)?.[0]
  if (!parent) return withoutStrayElements(style, projectDir)
  const href = /href="([^"]+)"/.exec(parent)?.[1] ?? ''
  const parentName = href.replace(/\/$/, '').split('/').pop() ?? ''
  const found = depth < 3 ? findStyleByName(parentName, projectDir, cslDir) : undefined
  if (!found) throw new StyleError(`CSL style "${style.name}" depends on "${parentName}", which was not found`, { file: shown(style.file, projectDir) })
  return followParent(found, projectDir, cslDir, depth + 1)
}

function withoutStrayElements(style: LoadedStyle, projectDir: string): LoadedStyle {
  const { xml, removed } = removeStrayElements(style.xml)
  if (removed.length === 0) return style
  const ignored = removed.map((element) => {
    const before = style.xml.slice(0, element.offset)
    const line = before.split('\n').length
    const reason = `<${element.name}> directly inside <${element.parent}> is not CSL (only <sort> and <layout> go there); it is ignored, as Pandoc ignores it`
    return { reason, file: shown(style.file, projectDir), line, column: element.offset - before.lastIndexOf('\n') }
  })
  return { ...style, xml, ignored }
}

/** Catches the mistakes that otherwise surface as an obscure citeproc exception. */
function checkStyleXml(style: LoadedStyle): void {
  const xml = style.xml
  const lineOf = (at: number): { line: number; column: number } => {
    const before = xml.slice(0, Math.max(0, at))
    return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') }
  }
  const fail = (reason: string, at: number): never => {
    throw new StyleError(`Invalid CSL style: ${reason}`, { file: style.file, ...lineOf(at) })
  }
  const root = /<style\b/.exec(xml)
  if (!root) fail('no <style> element (is this a CSL file?)', 0)
  if (!/<link[^>]*rel="independent-parent"/.test(xml) && !/<citation\b/.test(xml)) fail('no <citation> element', root?.index ?? 0)
  // A cheap well-formedness check: every element opened is closed in order.
  const stack: { name: string; at: number }[] = []
  const tag = /<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g
  for (let match = tag.exec(xml); match; match = tag.exec(xml)) {
    const [, closing, name, selfClosing] = match
    if (!name || selfClosing) continue
    if (!closing) {
      stack.push({ name, at: match.index })
      continue
    }
    const open = stack.pop()
    if (!open) fail(`</${name}> closes nothing`, match.index)
    // Point at the element left open, which is where the mistake usually is.
    else if (open.name !== name) fail(`<${open.name}> is not closed (</${name}> on line ${lineOf(match.index).line} comes first)`, open.at)
  }
  const open = stack.pop()
  if (open) fail(`<${open.name}> is never closed`, open.at)
}

let bundledStyles: Record<string, string> | undefined
function citationJsStyles(): Record<string, string> {
  bundledStyles ??= require('@citation-js/plugin-csl/lib/styles.json') as Record<string, string>
  return bundledStyles
}

let bundledLocales: Record<string, string> | undefined
function citationJsLocales(): Record<string, string> {
  bundledLocales ??= require('@citation-js/plugin-csl/lib/locales.json') as Record<string, string>
  return bundledLocales
}

/** A table's own entry: a name written by the author (`csl: constructor`) must not find what every object inherits. */
function own(table: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

/** CSL's primary dialects: what `lang: de` means. */
const primaryDialects: Record<string, string> = {
  af: 'af-ZA', bg: 'bg-BG', ca: 'ca-AD', cs: 'cs-CZ', cy: 'cy-GB', da: 'da-DK', de: 'de-DE', el: 'el-GR', en: 'en-US',
  es: 'es-ES', et: 'et-EE', eu: 'eu', fa: 'fa-IR', fi: 'fi-FI', fr: 'fr-FR', he: 'he-IL', hr: 'hr-HR', hu: 'hu-HU',
  id: 'id-ID', is: 'is-IS', it: 'it-IT', ja: 'ja-JP', km: 'km-KH', ko: 'ko-KR', la: 'la', lt: 'lt-LT', lv: 'lv-LV',
  mn: 'mn-MN', nb: 'nb-NO', nl: 'nl-NL', nn: 'nn-NO', pl: 'pl-PL', pt: 'pt-PT', ro: 'ro-RO', ru: 'ru-RU', sk: 'sk-SK',
  sl: 'sl-SI', sr: 'sr-RS', sv: 'sv-SE', th: 'th-TH', tr: 'tr-TR', uk: 'uk-UA', vi: 'vi-VN', zh: 'zh-CN',
}

/**
 * The language of the citations: `lang` when it is set, otherwise the style's `default-locale` (OSCOLA's en-GB, a
 * French journal's fr-FR), otherwise en-US, as in Pandoc. The document's own language (hyphenation, `lang`
 * attributes) stays `lang`.
 */
export function citationLocale(metadata: { lang: string; given: readonly string[] }, styleXml: string): string {
  if (metadata.given.includes('lang')) return metadata.lang
  return /<style\b[^>]*\bdefault-locale="([^"]+)"/.exec(styleXml)?.[1] ?? metadata.lang
}

/** The locale file name for a BCP 47 tag: `fr` → `fr-FR`, `en-gb` → `en-GB`. */
export function localeName(lang: string): string {
  const [language = '', region] = lang.split(/[-_]/)
  if (!region) return own(primaryDialects, language.toLowerCase()) ?? language.toLowerCase()
  return `${language.toLowerCase()}-${region.toUpperCase()}`
}

/**
 * Reads a CSL locale's XML, or returns undefined when no copy of it exists anywhere Galley looks. A region without
 * a locale of its own falls back to the language's primary dialect (`de-LU` → `de-DE`), as citeproc does.
 */
export function loadLocale(lang: string, projectDir: string, cslDir = systemCslDir): string | undefined {
  // The name becomes part of a file name; a style's `default-locale` is as untrusted as the document.
  if (!languageTag.test(lang)) return undefined
  const name = localeName(lang)
  const language = name.split('-')[0] ?? name
  const names = [...new Set([name, own(primaryDialects, language) ?? language, language])]
  const dirs = [path.join(projectDir, 'styles', 'locales'), path.join(galleyStyles, 'locales'), path.join(cslDir, 'locales')]
  for (const candidate of names) {
    for (const dir of dirs) {
      const file = path.join(dir, `locales-${candidate}.xml`)
      if (existsSync(file)) return readFileSync(file, 'utf8')
    }
    const bundled = own(citationJsLocales(), candidate)
    if (bundled) return bundled
  }
  return undefined
}
