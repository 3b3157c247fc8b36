// The book made ready for its outputs: the chapters parsed into one tree, the metadata resolved over it, the style,
// locale and bibliography loaded and the print CSS assembled; what they report goes on the files it is about.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Root } from 'mdast'
import { VFile } from 'vfile'
import { loadBibliography, type Bibliography } from './citations/bibliography.js'
import type { CitationSession } from './citations/session.js'
import { citationLocale, loadLocale, loadStyle, type LoadedStyle } from './citations/styles.js'
import { resolveMetadata, type Layer } from './config/metadata.js'
import type { Metadata } from './config/schema.js'
import type { SourcePlace } from './errors.js'
import { fontDataUri, fontFaceCss, hasMathFont, mathFont, mathFontDataUri, mathFontFaceCss } from './html/fonts.js'
import { pageCss } from './html/page-css.js'
import { openReadings, packFrontMatter } from './html/course-pack.js'
import { shiftHeadingLevels } from './html/shift-heading-levels.js'
import { galleyRoot } from './paths.js'
import { hasCodeLanguage, hasFullBleed, hasMath, parseBook, type DocumentOptions } from './pipeline.js'
import { insertAbstract } from './markdown/metadata-abstract.js'
import { plainText } from './html/rehype-document.js'
import type { ResolvedBuild } from './resolve.js'

export interface ProcessedBook {
  /** The chapters as one mdast tree, before conditional content and citations. */
  book: Root
  metadata: Metadata
  style: LoadedStyle
  bibliography: Bibliography
  /** What the citations and the HTML stage are given. */
  documentOptions: DocumentOptions
  /** Files other than the chapters that messages are about (config file, bibliography, style, files included by Quarto's `{{< include >}}`). */
  sideFiles: VFile[]
  /** The files Quarto includes brought in, absolute (watch mode watches them). */
  includedFiles: string[]
}

export interface ProcessHooks {
  /** The build's citation session: citeproc's one owner, and the bibliography its guess read before the parse. */
  session: CitationSession
  /** Told as soon as the metadata is known: a browser the outputs will need starts now, beside the citations. */
  onMetadata: (metadata: Metadata) => Promise<void>
  lap: (stage: string) => void
}

export async function processBook(resolved: ResolvedBuild, hooks: Readonly<ProcessHooks>): Promise<ProcessedBook> {
  const { cwd, files, bookFile, projectDir, progress } = resolved
  const { session, lap } = hooks
  // Messages about files other than the chapters (config file, bibliography), one VFile each.
  const sideFiles = new Map<string, VFile>()
  const sideFile = (file: string): VFile => {
    const shown = path.isAbsolute(file) ? path.relative(cwd, file) : file
    const existing = sideFiles.get(shown) ?? files.find((chapter) => chapter.path === shown)
    if (existing) return existing
    const created = new VFile({ path: shown, cwd })
    sideFiles.set(shown, created)
    return created
  }
  progress({ stage: 'parse', done: 0, total: files.length })
  let parsed = 0
  const onParsed = (): void => progress({ stage: 'parse', done: ++parsed, total: files.length })
  const { resourcePath, defaultImageExtension } = resolved
  const images = { ...(resourcePath ? { resourcePath } : {}), ...(defaultImageExtension ? { defaultImageExtension } : {}) }
  const { book, included } = await parseBook(files, projectDir, resolved.cache('parse'), { ...images, onParsed })
  // Files brought in by Quarto includes carry the messages about their own lines.
  for (const file of included) sideFiles.set(file.path, file)
  lap('parse')
  progress({ stage: 'read' })
  // The files' front matter, a YAML input in its place among them: as in Pandoc, which reads them as one text, a
  // key set again in a later file takes the later value.
  const { cli, config, inputs, metadataFiles } = resolved.layers
  const frontMatter = resolved.inputs.map((input) => inputs.get(input) ?? files[resolved.chapters.indexOf(input)]?.data.frontMatter ?? new Map())
  const layers: Layer[] = [...cli, config, ...packFrontMatter(frontMatter, [...cli, config]).toReversed(), ...metadataFiles.toReversed()]
  const metadata = resolveMetadata(layers, {
    projectDir,
    warn: (reason, place, ruleId) => sideFile(place.file).message(reason, { ruleId, source: 'galley:config', place: lineAndColumn(place) }),
  })
  // Pandoc's --shift-heading-level-by; with -1, a `#` heading opening an untitled book is its title.
  const headingTitle = shiftHeadingLevels(book, metadata.shiftHeadingLevelBy, metadata.given.includes('title'))
  if (headingTitle !== undefined) metadata.title = headingTitle
  // Pandoc reads title and subtitle as Markdown: the title block shows the markup, everything else their words.
  if (plainText(metadata.title) !== metadata.title) [metadata.titleMarkdown, metadata.title] = [metadata.title, plainText(metadata.title)]
  if (metadata.subtitle && plainText(metadata.subtitle) !== metadata.subtitle) [metadata.subtitleMarkdown, metadata.subtitle] = [metadata.subtitle, plainText(metadata.subtitle)]
  if (metadata.layout === 'course-pack') openReadings(book, metadata)
  if (metadata.abstract?.trim() && files[0]) await insertAbstract(book, metadata.abstract, files[0], { projectDir, ...images })
  if (metadata.title === 'Untitled') {
    bookFile.message('No title in the metadata; using "Untitled"', { ruleId: 'missing-title', source: 'galley:config' })
  }
  await hooks.onMetadata(metadata)
  const style = loadStyle(metadata.csl, projectDir, resolved.cslDir)
  const localeName = citationLocale(metadata, style.xml)
  if (!loadLocale(localeName, projectDir, resolved.cslDir)) {
    bookFile.message(`No CSL locale for "${localeName}"; citations use en-US terms`, { ruleId: 'unknown-locale', source: 'galley:citations' })
  }
  const inlinePlace = { file: files[0]?.path ?? 'front matter' }
  // The bibliography read for the guess, if it was read from the same files and references.
  const bibliography = session.bibliographyFor(metadata) ?? (await loadBibliography(metadata.bibliography, metadata.references, inlinePlace, { lang: metadata.lang }))
  for (const issue of bibliography.issues) {
    sideFile(issue.place.file).message(issue.reason, { ruleId: issue.ruleId, source: 'galley:bibliography', place: lineAndColumn(issue.place) })
  }
  for (const issue of style.ignored ?? []) {
    sideFile(issue.file).message(issue.reason, { ruleId: 'invalid-csl', source: 'galley:citations', place: { line: issue.line, column: issue.column } })
  }
  const math = hasMath(book)
  if (math && !hasMathFont()) {
    bookFile.message(`The math font ${mathFont.family} is not installed (Debian package fonts-dejavu-extra; \`npm run setup\` installs it): formulas are set in the system's math font`, {
      ruleId: 'math-font',
      source: 'galley:math',
    })
  }
  const mathFontCss = math && hasMathFont() ? [mathFontFaceCss(mathFontDataUri())] : []
  const css = [fontFaceCss(fontDataUri), ...mathFontCss, readFileSync(path.join(galleyRoot, 'styles', 'print.css'), 'utf8'), pageCss(metadata, { fullBleed: hasFullBleed(book) })].join('\n')
  const retrieveLocale = (lang: string): string | undefined => loadLocale(lang, projectDir, resolved.cslDir)
  const documentOptions: DocumentOptions = {
    metadata,
    bibliography,
    styleXml: style.xml,
    retrieveLocale,
    css,
    formatCitations: session.formatter(resolved.cache('citations')),
    mathCache: math ? resolved.cache('math') : undefined,
    codeCache: hasCodeLanguage(book) ? resolved.cache('code') : undefined,
    onCitations: (done, total) => progress({ stage: 'citations', done, total }),
  }
  lap('read')
  const includedFiles = included.map((file) => path.resolve(file.cwd, file.path))
  return { book, metadata, style, bibliography, documentOptions, sideFiles: [...sideFiles.values()], includedFiles }
}

/** A source place as a VFile message place: a line and column when known. */
function lineAndColumn(place: SourcePlace): { line: number; column: number } | undefined {
  return place.line === undefined ? undefined : { line: place.line, column: place.column ?? 1 }
}
