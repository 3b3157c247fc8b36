// Every output of a build from its one book tree: one copy per variant (`variants:`), and inside a copy one group of
// outputs per different content (`when-format`), each group's tree rendered by the outputs that show it; the
// imposed copy beside the reading PDF. Nothing is written here.
import path from 'node:path'
import type { Root as HastRoot } from 'hast'
import type { Root } from 'mdast'
import type { Cache } from '../file-cache.js'
import type { Format } from '../formats.js'
import { copyBook, formatDependentCitations, formatGroups, resolveConditions } from '../markdown/conditional-content.js'
import type { PdfFacts } from '../pdf/make-pdf.js'
import type { PageStart } from '../pdf/layout/types.js'
import { bookToHtmlTree, citeBook, type DocumentOptions } from '../pipeline.js'
import type { ProcessedBook } from '../process-book.js'
import type { ResolvedBuild } from '../resolve.js'
import type { BrowserOwner } from './browser.js'
import { renderEpub, type EpubContext } from './epub.js'
import { openPdfOutput, type PdfOutput } from './pdf.js'
import { openPrintOutput } from './print.js'

export interface OutputsContext {
  resolved: ResolvedBuild
  processed: ProcessedBook
  /** The build's browser: the PDF prints in it, the EPUB's cover is drawn in it. */
  browser: BrowserOwner
  /** The citations go to a worker: this thread hyphenates the book's words meanwhile. */
  hyphenateAhead: boolean
  lap: (step: string) => void
  timings: Record<string, number>
}

export interface RenderedOutputs {
  outputs: { format: Format; path: string; bytes: Uint8Array }[]
  /** What the PDF self-check read back from the first copy's PDF. */
  pdf: PdfFacts | undefined
  /** The first copy's cited book and HTML tree (a copy of it when the print document used it up and `write` is false). */
  book: Root
  tree: HastRoot
}

/** A variant's outputs, by format, with its PDF's facts and its first group's trees. */
interface Variant {
  bytesOf: Map<Format, Uint8Array>
  pdf: PdfFacts | undefined
  book: Root
  tree: HastRoot
}

export async function renderOutputs(context: Readonly<OutputsContext>): Promise<RenderedOutputs> {
  const { resolved, processed, lap } = context
  const { metadata, documentOptions } = processed
  const pdf = resolved.wants('pdf') ? await openPdfOutput({ metadata, timeout: resolved.timeout, browser: context.browser }) : undefined
  // A cover drawn once serves every copy, with or without the cache on disk.
  const coverCache = resolved.cache('cover') ?? memoryCache()
  const outputs: RenderedOutputs['outputs'] = []
  let first: Variant | undefined
  const profiles = metadata.profile
  // `variants: [student, key]`: one copy per name, each with that profile active too, from the one parse.
  const variants: (string | undefined)[] = metadata.variants.length > 0 ? metadata.variants : [undefined]
  try {
    for (const [index, variant] of variants.entries()) {
      const active = variant === undefined ? profiles : [...new Set([...profiles, variant])]
      const variantBook = variants.length > 1 ? copyBook(processed.book) : processed.book
      resolveConditions(variantBook, { profiles: active, warn: index === 0 })
      const suffix = index === 0 || variant === undefined ? '' : `-${variant}`
      const made = await renderVariant(variantBook, context, pdf, coverCache, {
        profiles: active,
        // The copy's metadata names its active profiles (the answer key, `key`, prints no name line).
        documentOptions: { ...documentOptions, metadata: { ...metadata, profile: active } },
        hyphenateAhead: index === 0 && context.hyphenateAhead,
        suffix,
      })
      first ??= made
      outputs.push(...[...new Set(resolved.to)].map((format) => ({ format, path: resolved.target(format, suffix), bytes: made.bytesOf.get(format) ?? new Uint8Array() })))
      // `imposition:` adds the copy for printing, beside the reading PDF, written with the other outputs.
      const readingPdf = made.bytesOf.get('pdf')
      if (metadata.imposition && readingPdf) {
        const { imposePdf, imposedPath } = await import('../pdf/impose.js')
        outputs.push({ format: 'pdf', path: imposedPath(resolved.target('pdf', suffix), metadata.imposition), bytes: await imposePdf(readingPdf, metadata.imposition, resolved.date) })
        lap('impose')
      }
    }
  } finally {
    // A build that failed before printing leaves no page open in a browser kept for the next build.
    pdf?.release()
  }
  if (!first) throw new Error('No copy of the book was rendered')
  return { outputs, pdf: first.pdf, book: first.book, tree: first.tree }
}

/**
 * One copy's outputs from its book tree (the profiles applied). Outputs that show the same content share one tree;
 * when some content shows in one output and not another, each group of outputs gets its own copy, and the citations
 * are formatted once for all unless that content holds citations (then once per group, as they number differently).
 */
async function renderVariant(
  variantBook: Root,
  context: Readonly<OutputsContext>,
  pdf: PdfOutput | undefined,
  coverCache: Cache,
  run: { profiles: readonly string[]; documentOptions: DocumentOptions; hyphenateAhead: boolean; suffix: string },
): Promise<Variant> {
  const { resolved, processed, lap } = context
  const { metadata } = processed
  const { bookFile, progress, projectDir } = resolved
  const groups = formatGroups(variantBook, run.profiles, resolved.to)
  const citeOnce = groups.length === 1 || !formatDependentCitations(variantBook, run.profiles)
  if (groups.length === 1) resolveConditions(variantBook, { profiles: run.profiles, format: groups[0]?.[0] })
  const prints = groups.map((group) =>
    group.includes('html') || group.includes('pdf')
      ? openPrintOutput({ lang: metadata.lang, print: group.includes('pdf'), standalone: group.includes('html'), projectDir, inputs: resolved.chapters, cache: resolved.cache })
      : undefined,
  )
  const epub: EpubContext = { metadata, projectDir, date: resolved.date, bookFile, browser: context.browser, lastUse: !resolved.wants('pdf'), coverCache, fontCache: resolved.cache('epub-fonts') }
  let cited: Root | undefined
  if (citeOnce) {
    progress({ stage: 'citations' })
    const citing = citeBook(variantBook, bookFile, run.documentOptions)
    citing.catch(() => undefined) // Awaited below, after the work in between.
    // While the worker formats the citations, this thread hyphenates the book's new words for the print document.
    if (run.hyphenateAhead) for (const print of prints) print?.hyphenateAhead(variantBook)
    cited = await citing
    lap('citations')
  }
  const bytesOf = new Map<Format, Uint8Array>()
  let pdfFacts: PdfFacts | undefined
  let first: { book: Root; tree: HastRoot } | undefined
  for (const [index, group] of groups.entries()) {
    const has = (format: Format): boolean => group.includes(format)
    let groupBook: Root
    if (groups.length === 1) groupBook = cited ?? variantBook
    else {
      groupBook = copyBook(cited ?? variantBook)
      resolveConditions(groupBook, { profiles: run.profiles, format: group[0] })
      if (!cited) {
        progress({ stage: 'citations' })
        groupBook = await citeBook(groupBook, bookFile, run.documentOptions)
        lap('citations')
      }
    }
    progress({ stage: 'html' })
    const tree = await bookToHtmlTree(groupBook, bookFile, run.documentOptions)
    // The print document uses the tree up; a caller that reads it afterwards (`galley check`) gets a copy of the first.
    if (index === 0) first = { book: groupBook, tree: !resolved.write && prints[index] ? structuredClone(tree) : tree }
    // A book (chapters or parts, not an article's sections): chapter openings and running heads in print.
    // A handout is never a book: no title page, no chapter openings.
    const chapters = bookFile.data.division !== 'section' && metadata.layout !== 'handout'
    lap('hast')
    // One tree, up to three outputs. Large books make large trees: copy only when a later output still needs the
    // original (the EPUB takes the unhyphenated tree; print and HTML hyphenate it in place).
    const print = prints[index]
    // With a PDF of the same content, the EPUB waits for its pages (`page-list`): it takes their starts as markers.
    const pageList = metadata.pageList && has('epub') && has('pdf') && pdf !== undefined
    const epubTree = has('epub') ? (print ? structuredClone(tree) : tree) : undefined
    const renderEpubOf = async (epubTree: HastRoot, starts?: readonly PageStart[]): Promise<void> => {
      progress({ stage: 'epub' })
      const pages = starts && { starts, source: path.basename(resolved.target('pdf', run.suffix)) }
      bytesOf.set('epub', await renderEpub(epubTree, pages ? { ...epub, pages } : epub))
      lap('epub')
    }
    if (epubTree && !pageList) await renderEpubOf(epubTree)
    let starts: PageStart[] | undefined
    if (print) {
      progress({ stage: 'print' })
      const printed = print.render(tree, chapters)
      if (printed.standalone !== undefined) bytesOf.set('html', new TextEncoder().encode(printed.standalone))
      lap('print')
      if (pdf && has('pdf')) {
        const made = await pdf.render(printed.print ?? '', { projectDir, book: chapters, date: resolved.date, bookFile, lap, timings: context.timings, progress, pageStarts: pageList })
        bytesOf.set('pdf', made.bytes)
        pdfFacts = made.facts
        starts = made.pageStarts
      }
    }
    if (epubTree && pageList) await renderEpubOf(epubTree, starts ?? [])
  }
  if (!first) throw new Error('No output group was rendered')
  return { bytesOf, pdf: pdfFacts, ...first }
}

/** A cache that lasts as long as the build. */
function memoryCache(): Cache {
  const entries = new Map<string, unknown>()
  return { get: (key) => entries.get(key), set: (key, value) => void entries.set(key, value) }
}
