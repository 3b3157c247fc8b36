// The PDF output: the build's browser started as soon as the output is opened (its start-up overlaps the text's
// preparation), the print HTML laid out and printed, and what the printing reported turned into messages.
import type { Page } from 'puppeteer-core'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import type { PdfFacts } from '../pdf/make-pdf.js'
import type { PageStart } from '../pdf/layout/types.js'
import type { BrowserOwner } from './browser.js'
import type { OnProgress } from '../progress.js'

export interface PdfContext {
  metadata: Metadata
  /** Milliseconds before a page that does not load or print is given up (`GALLEY_TIMEOUT`). */
  timeout: number | undefined
  /** The build's browser, which the build closes. */
  browser: BrowserOwner
}

export interface RenderContext {
  projectDir: string
  /** Several chapters: chapter openings and heads. */
  book: boolean
  date: Date
  bookFile: VFile
  /** Receives the time of each step (`browser-start`, `pdf`, `pdf.load`…). */
  lap: (step: string) => void
  timings: Record<string, number>
  progress?: OnProgress | undefined
  /** Read where each page starts, for the EPUB's print page markers. */
  pageStarts?: boolean | undefined
}

export interface PdfOutput {
  render(printHtml: string, context: Readonly<RenderContext>): Promise<{ bytes: Uint8Array; facts: PdfFacts; pageStarts: PageStart[] | undefined }>
  /** Closes the page opened ahead if nothing printed in it (a build that failed first), in a browser kept open. */
  release(): void
}

export async function openPdfOutput(context: Readonly<PdfContext>): Promise<PdfOutput> {
  const { metadata, timeout } = context
  const pdf = await import('../pdf/make-pdf.js')
  context.browser.start()
  // The page to print in, opened as soon as the browser is up, while this thread still makes the HTML (Chromium's
  // newPage is 0.1 s and more): for the first document only (a build's variants print one after another).
  let ahead: Promise<Page> | undefined = context.browser.get().then((browser) => browser.newPage())
  ahead.catch(() => undefined) // A failure is told where the page is awaited (or a new one is opened).
  return {
    async render(printHtml, run) {
      run.progress?.({ stage: 'browser' })
      const browser = await context.browser.get()
      run.lap('browser-start')
      const page = ahead
      ahead = undefined
      const made = await pdf.makePdf(browser, {
        ...(page ? { page } : {}),
        html: printHtml,
        metadata,
        baseDir: run.projectDir,
        book: run.book,
        date: run.date,
        timeout,
        progress: run.progress,
        pageStarts: run.pageStarts,
      })
      run.lap('pdf')
      for (const [step, ms] of Object.entries(made.timings)) run.timings[`pdf.${step}`] = ms
      for (const blocked of made.blocked) {
        run.bookFile.message(`Resource ${blocked.url} was not loaded: ${blocked.reason}`, { ruleId: 'blocked-resource', source: 'galley:pdf' })
      }
      for (const finding of made.findings) {
        const message = run.bookFile.message(finding.reason, { ruleId: finding.ruleId, source: 'galley:pdf-check' })
        // What the finding is about (a heading's text, a note's id, the overflowing text), for `galley check` to find in the source.
        if (finding.subject !== undefined) message.actual = finding.subject
      }
      return { bytes: made.bytes, facts: made.facts, pageStarts: made.pageStarts }
    },
    release() {
      void ahead?.then((page) => page.close()).catch(() => undefined)
      ahead = undefined
    },
  }
}
