// The PDF output: a browser started as soon as the output is opened (its start-up overlaps the text's preparation),
// the print HTML laid out and printed, and what the printing reported turned into messages.
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import type { Browser, PdfFacts } from '../pdf/make-pdf.js'
import type { OnProgress } from '../progress.js'

export interface PdfContext {
  metadata: Metadata
  env: NodeJS.ProcessEnv
  /** Milliseconds before a browser that does not start, load or print is given up (`GALLEY_TIMEOUT`). */
  timeout: number | undefined
  /** A browser the caller keeps open across builds (watch mode); else this output starts and closes its own. */
  browser?: ((metadata: Metadata) => Promise<Browser>) | undefined
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
}

export interface PdfOutput {
  /** The browser this output prints with (the EPUB's cover is drawn in it too). */
  browser(): Promise<Browser>
  render(printHtml: string, context: Readonly<RenderContext>): Promise<{ bytes: Uint8Array; facts: PdfFacts }>
  /** Closes the browser this output started (not one the caller passed in). */
  close(): Promise<void>
}

export async function openPdfOutput(context: Readonly<PdfContext>): Promise<PdfOutput> {
  const { metadata, timeout } = context
  const pdf = await import('../pdf/make-pdf.js')
  const browserPromise = context.browser ? context.browser(metadata) : pdf.startBrowser(metadata, context.env, timeout)
  browserPromise.catch(() => undefined) // Reported where it is awaited.
  return {
    browser: () => browserPromise,
    async render(printHtml, run) {
      run.progress?.({ stage: 'browser' })
      const browser = await browserPromise
      run.lap('browser-start')
      const made = await pdf.makePdf(browser, { html: printHtml, metadata, baseDir: run.projectDir, book: run.book, date: run.date, timeout, progress: run.progress })
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
      return { bytes: made.bytes, facts: made.facts }
    },
    async close() {
      if (!context.browser) await browserPromise.then((browser) => browser.close()).catch(() => undefined)
    },
  }
}
