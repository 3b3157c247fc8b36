// The PDF output: start the browser, print with the layout pass, set the properties, check the result.
// Loaded only by builds that make a PDF (puppeteer, pdf-lib and pdf.js take half a second to import).
import { ParseSpeeds, PDFDocument } from 'pdf-lib'
import type { Browser } from 'puppeteer-core'
import type { Metadata } from '../config/schema.js'
import { textBlock } from '../html/page-css.js'
import { findBrowser, launchBrowser } from './browser.js'
import { checkPdf, type PdfFacts, type PdfFinding } from './check-pdf.js'
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
  const { metadata } = options
  const printed = await renderPdf(browser, {
    html: options.html,
    baseDir: options.baseDir,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    layout: { ...textBlock(metadata), notes: metadata.notes, book: options.book, bookTitle: metadata.title },
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.pageStarts ? { pageStarts: true } : {}),
  })
  options.progress?.({ stage: 'pdf-check' })
  const { lap, timings } = stopwatch()
  // One load of the printed PDF: set its properties, check it, save it. pdf-lib yields to the event loop every
  // 50-100 objects by default, a timer each time; a book has 10^5 objects and nothing else waits on this process.
  const document = await PDFDocument.load(printed.pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })
  setPdfProperties(document, { metadata, date: options.date, fingerprint: options.html })
  lap('properties')
  // The text layer's edit inflates and deflates page streams on libuv's threads while the check reads the PDF here.
  const [check] = await Promise.all([
    checkPdf(document, printed.pdf, { footnotes: metadata.notes === 'footnotes', overflows: printed.layout?.overflows ?? [], stalls: printed.layout?.stalls ?? [] }),
    removeSoftHyphens(document),
  ])
  lap('check')
  if (metadata.bleed !== undefined || metadata.cropMarks || metadata.registrationMarks) {
    addPrintMarks(document, { bleed: lengthInPoints(metadata.bleed ?? '0mm'), cropMarks: metadata.cropMarks, registrationMarks: metadata.registrationMarks })
  }
  const bytes = await document.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY })
  lap('save')
  return { bytes, findings: check.findings, blocked: printed.blocked, facts: check.facts, pageStarts: printed.pageStarts, timings: { ...printed.timings, ...timings } }
}
