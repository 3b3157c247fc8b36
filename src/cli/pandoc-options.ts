// Pandoc's command-line options as users type them: what each means for Galley, and which ones it accepts and ignores.
import path from 'node:path'
import { formats, type Format } from '../formats.js'

/** Pandoc options Galley reads, for `parseArgs`, besides Galley's own. */
export const pandocOptions = {
  from: { type: 'string', short: 'f' },
  read: { type: 'string', short: 'r' },
  write: { type: 'string' },
  standalone: { type: 'boolean', short: 's' },
  citeproc: { type: 'boolean', short: 'C' },
  toc: { type: 'boolean' },
  'table-of-contents': { type: 'boolean' },
  'toc-depth': { type: 'string' },
  'number-sections': { type: 'boolean', short: 'N' },
  'number-offset': { type: 'string' },
  'shift-heading-level-by': { type: 'string' },
  'base-header-level': { type: 'string' },
  'metadata-file': { type: 'string', multiple: true },
  variable: { type: 'string', short: 'V', multiple: true },
  'resource-path': { type: 'string', multiple: true },
  'default-image-extension': { type: 'string' },
  'pdf-engine': { type: 'string' },
  'self-contained': { type: 'boolean' },
  'embed-resources': { type: 'boolean' },
  'epub-cover-image': { type: 'string' },
  'fail-if-warnings': { type: 'boolean' },
} as const

/**
 * Pandoc options that change nothing in what Galley makes, with the reason given once when one is used: a
 * Makefile's command line runs as it is, and its user learns what was not applied. Those that take a value take it
 * as in Pandoc (`--filter pandoc-crossref`), so it is not read as an input file.
 */
const ignored: Record<string, { type: 'string' | 'boolean'; short?: string; reason: string }> = {
  template: { type: 'string', reason: 'Galley has one design of its own, not Pandoc templates' },
  filter: { type: 'string', short: 'F', reason: 'Galley runs no programs named on its command line or in a document' },
  'lua-filter': { type: 'string', short: 'L', reason: 'Galley runs no filters' },
  'include-in-header': { type: 'string', short: 'H', reason: 'Galley takes no raw LaTeX or HTML into its outputs' },
  'include-before-body': { type: 'string', short: 'B', reason: 'Galley takes no raw LaTeX or HTML into its outputs' },
  'include-after-body': { type: 'string', short: 'A', reason: 'Galley takes no raw LaTeX or HTML into its outputs' },
  'pdf-engine-opt': { type: 'string', reason: 'the PDF is printed by Chromium' },
  css: { type: 'string', short: 'c', reason: "Galley's outputs use its own style sheets" },
  'reference-doc': { type: 'string', reason: 'Galley writes no Word or OpenDocument files' },
  'syntax-definition': { type: 'string', reason: 'Galley highlights code with its own grammars (starry-night)' },
  'highlight-style': { type: 'string', reason: 'code is styled by the print and EPUB style sheets' },
  'no-highlight': { type: 'boolean', reason: 'Galley always highlights code in a known language' },
  listings: { type: 'boolean', reason: 'Galley writes no LaTeX' },
  natbib: { type: 'boolean', reason: 'Galley formats citations itself, with the CSL style' },
  biblatex: { type: 'boolean', reason: 'Galley formats citations itself, with the CSL style' },
  mathml: { type: 'boolean', reason: 'formulas are always MathML' },
  mathjax: { type: 'boolean', reason: 'formulas are always MathML, with no script' },
  katex: { type: 'boolean', reason: 'formulas are always MathML, with no script' },
  webtex: { type: 'boolean', reason: 'formulas are always MathML; nothing is fetched' },
  'section-divs': { type: 'boolean', reason: 'Galley cuts sections its own way (chapters, EPUB files)' },
  wrap: { type: 'string', reason: "it changes only the line breaks in Pandoc's HTML source" },
  columns: { type: 'string', reason: "it changes only the line breaks in Pandoc's HTML source" },
  'strip-comments': { type: 'boolean', reason: 'HTML comments are always left out' },
  'data-dir': { type: 'string', reason: 'Galley has no Pandoc data directory' },
  'epub-metadata': { type: 'string', reason: 'EPUB metadata comes from the document metadata' },
  'epub-embed-font': { type: 'string', reason: 'the EPUB embeds Galley\'s text face' },
  verbose: { type: 'boolean', reason: 'Galley reports every problem anyway' },
}

/** The `parseArgs` entries of the ignored options. */
export const ignoredOptions = Object.fromEntries(
  Object.entries(ignored).map(([name, option]) => [name, { type: option.type, multiple: true, ...(option.short ? { short: option.short } : {}) }]),
) as Record<string, { type: 'string' | 'boolean'; multiple: true; short?: string }>

/** Pandoc's writers, by the name `-t`/`-w` takes (without `+extension`s). */
const writers =
  /^(?:html|html4|html5|epub|epub2|epub3|pdf|latex|beamer|context|ms|docx|odt|opendocument|rtf|pptx|markdown\w*|commonmark\w*|gfm|plain|rst|asciidoc\w*|org|man|texinfo|textile|mediawiki|dokuwiki|jats\w*|docbook\d?|tei|icml|fb2|ipynb|json|native|revealjs|s5|slidy|slideous|dzslides|biblatex|bibtex|csljson|haddock|jira|muse|opml|xwiki|zimwiki|markua)$/

/**
 * Pandoc's `-w FORMAT` is `--to`; Galley's `-w` is `--watch`. `-w` followed by a writer's name (`-w html5`,
 * `-whtml`) is Pandoc's, any other `-w` Galley's.
 */
export function pandocArgv(argv: readonly string[]): string[] {
  const result: string[] = []
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? ''
    const next = argv[index + 1]
    if (arg === '-w' && next !== undefined && writers.test(writerName(next))) {
      result.push(`--write=${next}`)
      index++
    } else if (arg.startsWith('-w') && arg.length > 2 && writers.test(writerName(arg.slice(2)))) {
      result.push(`--write=${arg.slice(2)}`)
    } else {
      result.push(arg)
    }
  }
  return result
}

function writerName(format: string): string {
  return format.toLowerCase().split(/[+-]/)[0] ?? ''
}

/** The readers whose input Galley reads, as Pandoc's Markdown. */
const markdownReaders = new Set(['markdown', 'commonmark', 'commonmark_x', 'gfm', 'markdown_github', 'markdown_mmd', 'markdown_phpextra', 'markdown_strict'])

/** Extensions on by default in Pandoc's Markdown (`pandoc --list-extensions=markdown`): `+` of one of them changes nothing. */
const defaultExtensions = new Set(
  'all_symbols_escapable auto_identifiers backtick_code_blocks blank_before_blockquote blank_before_header bracketed_spans citations definition_lists escaped_line_breaks example_lists fancy_lists fenced_code_attributes fenced_code_blocks fenced_divs footnotes grid_tables header_attributes implicit_figures implicit_header_references inline_code_attributes inline_notes intraword_underscores latex_macros line_blocks link_attributes markdown_in_html_blocks multiline_tables native_divs native_spans pandoc_title_block pipe_tables raw_attribute raw_html raw_tex shortcut_reference_links simple_tables smart space_in_atx_header startnum strikeout subscript superscript task_lists table_captions tex_math_dollars yaml_metadata_block'.split(
    ' ',
  ),
)

/** What `-f FORMAT` means here: a usage error for a reader Galley does not have, else warnings (possibly none). */
export function readFrom(format: string): { error: string } | { warnings: string[] } {
  const [reader = '', ...rest] = format.split(/(?=[+-])/)
  if (!markdownReaders.has(reader)) {
    return { error: `Galley reads Markdown only (-f markdown, commonmark_x, gfm…), not "${reader}"` }
  }
  const warnings: string[] = []
  if (reader !== 'markdown') warnings.push(`-f ${reader}: read as Pandoc's Markdown, which Galley reads`)
  const changed = rest.filter((extension) => !(extension.startsWith('+') && defaultExtensions.has(extension.slice(1))))
  if (changed.length > 0) warnings.push(`-f ${format}: ${changed.join(', ')} not applied; Galley reads Pandoc's Markdown with its own set of extensions (see README: Markdown)`)
  return { warnings }
}

/**
 * The output formats `-t`/`--to`/`-w` name, in Pandoc's names: `html`, `html5`, `html4` are HTML; `epub`, `epub3`,
 * `epub2` EPUB; `pdf` PDF. With `-o FILE.pdf`, the writers Pandoc makes a PDF through (`latex`, `html5`, `context`,
 * `ms`, `beamer`) mean the PDF, as in Pandoc, printed by Chromium. Without `--to`, the format comes from `-o`'s
 * extension, else all three.
 */
export function chooseFormats(given: readonly string[], output: string | undefined): { formats: Format[]; warnings: string[] } | { error: string } {
  const warnings: string[] = []
  const names = given.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean)
  const extension = output === undefined || output === '-' ? undefined : path.extname(output).slice(1).toLowerCase()
  if (names.length === 0) {
    if (output === '-') return { formats: ['html'], warnings }
    if (output === undefined) return { formats: [...formats], warnings }
    const fromExtension = extension === 'htm' || extension === 'xhtml' ? 'html' : extension
    if (!(formats as readonly string[]).includes(fromExtension ?? '')) return { error: `cannot tell the format of ${output}; add --to html, pdf or epub` }
    return { formats: [fromExtension as Format], warnings }
  }
  const chosen: Format[] = []
  for (const name of names) {
    const writer = writerName(name)
    if (writer === 'html' || writer === 'html5' || writer === 'html4') chosen.push(extension === 'pdf' ? 'pdf' : 'html')
    else if (writer === 'epub' || writer === 'epub3') chosen.push('epub')
    else if (writer === 'epub2') {
      chosen.push('epub')
      warnings.push('-t epub2: Galley writes EPUB 3, with an EPUB 2 table of contents (NCX) for older readers')
    } else if (writer === 'pdf') chosen.push('pdf')
    else if (extension === 'pdf' && ['latex', 'beamer', 'context', 'ms'].includes(writer)) {
      chosen.push('pdf')
      warnings.push(`-t ${name}: the PDF is made from HTML and printed by Chromium, not through ${writer}`)
    } else if (writers.test(writer)) {
      return { error: `Galley writes html, pdf and epub, not ${writer}${writer === 'latex' ? ' (for a PDF, give -o FILE.pdf; for LaTeX source, use pandoc)' : ''}` }
    } else return { error: `unknown output format "${name}"; use html, pdf or epub` }
  }
  if (output && new Set(chosen).size > 1) return { error: '-o names one file: give a single --to format with it' }
  return { formats: [...new Set(chosen)], warnings }
}

/** Pandoc's options as metadata settings (`key=value`, as `-M` gives them), with the warnings their use calls for. */
export function pandocSettings(values: Readonly<Record<string, unknown>>): { metadata: string[]; warnings: string[] } | { error: string } {
  const metadata: string[] = []
  const warnings: string[] = []
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined)
  if (values['toc'] === true || values['table-of-contents'] === true) metadata.push('toc=true')
  const depth = text('toc-depth')
  if (depth !== undefined) {
    if (!/^[1-6]$/.test(depth)) return { error: `--toc-depth must be a number from 1 to 6, got "${depth}"` }
    metadata.push(`toc-depth=${depth}`)
  }
  const offset = text('number-offset')
  if (values['number-sections'] === true || offset !== undefined) metadata.push('number-sections=true')
  if (offset !== undefined) {
    if (!/^\d+(,\d+)*$/.test(offset)) return { error: `--number-offset must be whole numbers separated by commas, such as 1,4; got "${offset}"` }
    metadata.push(`number-offset=${offset}`)
  }
  const shift = text('shift-heading-level-by')
  const base = text('base-header-level')
  if (shift !== undefined && !/^[+-]?\d+$/.test(shift)) return { error: `--shift-heading-level-by must be a whole number, such as -1 or 1; got "${shift}"` }
  if (base !== undefined && !/^[1-6]$/.test(base)) return { error: `--base-header-level must be a number from 1 to 6, got "${base}"` }
  if (shift !== undefined) metadata.push(`shift-heading-level-by=${Number(shift)}`)
  else if (base !== undefined) metadata.push(`shift-heading-level-by=${Number(base) - 1}`)
  const cover = text('epub-cover-image')
  if (cover !== undefined) metadata.push(`cover-image=${cover}`)
  const engine = text('pdf-engine')
  if (engine !== undefined && !/(^|\/)(chromium|chromium-browser|chrome|google-chrome)$/.test(engine)) {
    warnings.push(`--pdf-engine=${engine}: the PDF is printed by Chromium (GALLEY_BROWSER or -M browser=… chooses which one)`)
  }
  for (const [name, option] of Object.entries(ignored)) {
    const given = values[name]
    if (!Array.isArray(given) || given.length === 0) continue
    const shown = option.type === 'string' ? `--${name}=${String(given[0])}${given.length > 1 ? ' (and more)' : ''}` : `--${name}`
    warnings.push(`${shown} is ignored: ${option.reason}`)
  }
  return { metadata, warnings }
}
