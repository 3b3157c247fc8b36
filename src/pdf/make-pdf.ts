// The PDF output: start the browser, print with the layout pass, set the properties, check the result.
// Loaded only by builds that make a PDF (puppeteer, pdf-lib and pdf.js take half a second to import).
import type { Browser, Page } from 'puppeteer-core'
import type { Metadata } from '../config/schema.js'
import { textBlock } from '../html/page-css.js'
import { findBrowser, launchBrowser } from './browser.js'
import { checkPdf, type PdfFacts, type PdfFinding } from './check-pdf.js'
import { PageTextThread, preparePageText } from './page-text.js'
import { openPdf } from './pdf-file.js'
import { setPdfProperties } from './pdf-properties.js'
import { addPrintMarks, lengthInPoints } from './print-marks.js'
import type { PageStart } from './layout/types.js'
import { renderPdf } from './render-pdf.js'
import { removeSoftHyphens } from './whole-words.js'
import { stopwatch } from '../stopwatch.js'
import type { OnProgress } from '../progress.js'

export type { Browser, PdfFacts }

export function startBrowser(metadata: Metadata, env: NodeJS.ProcessEnv, timeout: number | undefined): Promise<Browser> {
  const executablePath = findBrowser(metadata.browser, env)
  return launchBrowser(timeout === undefined ? { executablePath } : { executablePath, timeout })
}

export interface PdfOptions {
  /** A page opened ahead in `browser`, to print in. */
  page?: Promise<Page> | undefined
  html: string
  metadata: Metadata
  /** Project directory: the only place the page may load files from. */
  baseDir: string
  /** A book (chapters or parts, not an article): chapter openings and heads. */
  book: boolean
  date: Date
  timeout: number | undefined
  progress?: OnProgress | undefined
  /** Read where each page starts, for the EPUB's print page markers. */
  pageStarts?: boolean | undefined
}

export interface MadePdf {
  bytes: Uint8Array
  findings: PdfFinding[]
  blocked: { url: string; reason: string }[]
  facts: PdfFacts
  /** Where each page starts, when asked for (the layout pass notes it as it goes). */
  pageStarts: PageStart[] | undefined
  /** Milliseconds per step: load, layout, print (in Chromium), then properties, check (with the text layer's edit) and save (in Node). */
  timings: Record<string, number>
}

export async function makePdf(browser: Browser, options: PdfOptions): Promise<MadePdf> {
  // The check's text reader (pdf.js) starts while the browser lays out and prints, instead of after (and not while
  // the page loads, when this process answers its requests): in a thread of its own, or compiled here.
  let textThread: PageTextThread | undefined
  const loaded = (): void => {
    textThread = PageTextThread.spawn()
    if (!textThread) preparePageText()
  }
  try {
    return await printAndFinish(browser, options, loaded, () => textThread)
  } finally {
    await textThread?.close()
  }
}

async function printAndFinish(browser: Browser, options: PdfOptions, loaded: () => void, textThread: () => PageTextThread | undefined): Promise<MadePdf> {
  const { metadata } = options
  const printed = await renderPdf(browser, {
    ...(options.page ? { page: options.page } : {}),
    html: options.html,
    baseDir: options.baseDir,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    layout: { ...textBlock(metadata), notes: metadata.notes, book: options.book, bookTitle: metadata.title },
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.pageStarts ? { pageStarts: true } : {}),
    loaded,
  })
  options.progress?.({ stage: 'pdf-check' })
  const { lap, timings } = stopwatch()
  // The thread parses the PDF for its text while this one opens it for editing (its objects parsed as they are looked up).
  const text = textThread()?.open(printed.pdf)
  const pdf = await openPdf(printed.pdf)
  const { document } = pdf
  setPdfProperties(document, { metadata, date: options.date, fingerprint: options.html })
  lap('properties')
  // The line pass left no soft hyphen in the text when it knew where every line breaks; otherwise the text layer's
  // edit inflates and deflates page streams on libuv's threads while the check reads the PDF here.
  const [check] = await Promise.all([
    checkPdf(document, printed.pdf, { footnotes: metadata.notes === 'footnotes', overflows: printed.layout?.overflows ?? [], stalls: printed.layout?.stalls ?? [], printed: pdf.printed, ...(text ? { text } : {}) }),
    printed.lines?.softHyphensLeft === 0 ? 0 : removeSoftHyphens(document),
  ])
  lap('check')
  if (metadata.bleed !== undefined || metadata.cropMarks || metadata.registrationMarks) {
    addPrintMarks(document, { bleed: lengthInPoints(metadata.bleed ?? '0mm'), cropMarks: metadata.cropMarks, registrationMarks: metadata.registrationMarks })
  }
  const bytes = await pdf.save()
  lap('save')
  return { bytes, findings: check.findings, blocked: printed.blocked, facts: check.facts, pageStarts: printed.pageStarts, timings: { ...printed.timings, ...timings } }
}
