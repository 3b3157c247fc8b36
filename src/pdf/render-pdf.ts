// Prints one HTML document to PDF in Chromium, loading nothing but the document and files under the project.
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import type { Browser, HTTPRequest, Page } from 'puppeteer-core'
import { RenderError } from '../errors.js'
import { mediaType } from '../html/images.js'
import { allowedPath, probeImage } from '../markdown/remark-resources.js'
import { stopwatch } from '../stopwatch.js'
import type { OnProgress } from '../progress.js'
import { layoutGlobal, layoutScript } from './layout-script.js'
import type { Laid } from './layout/passes.js'
import { hiddenStyleId, textBlockStyleId, type LineBreakResult, type PageStart, type PaginateParams, type PaginateResult, type PartPlan } from './layout/types.js'

/** A part of a book as a page laid it out (the rest also as HTML). */
type PartLaid = Laid & { plan: PartPlan; html?: string }

/** The made-up origin the document is served from; requests to it are answered from the project directory. */
const origin = 'http://galley.invalid'

export interface RenderOptions {
  /** A blank page of `browser` opened ahead (while the HTML was made), used instead of a new one and closed like it. */
  page?: Promise<Page> | undefined
  html: string
  /** Files the document refers to by relative URL are read from here, and only from here. */
  baseDir: string
  /** Milliseconds before a page that does not finish loading or printing is given up. */
  timeout?: number
  /** The layout pass (footnotes, TOC numbers, running heads); without it, Chromium prints the HTML as it is. */
  layout?: PaginateParams
  /** Also return the document as printed, after the layout pass (the benchmark prints it again as a floor). */
  keepFinalHtml?: boolean
  /** Told when the layout pass and the printing start. */
  progress?: OnProgress
  /** Also have the layout pass note where each page starts (for the EPUB's print page markers). */
  pageStarts?: boolean
  /**
   * Lay a book out in two parts at once, in two pages (see `layout/parts.ts`); by default when the document is big
   * enough and the machine has two cores.
   */
  parts?: boolean
  /** Called once the page and its files have loaded: from then on this process mostly waits for the browser. */
  loaded?: () => void
}

export interface RenderResult {
  pdf: Uint8Array
  /** What the layout pass found, when it ran, and what line breaking before it changed. */
  layout: PaginateResult | undefined
  lines?: LineBreakResult
  finalHtml?: string
  /** Where each page starts, when asked for and the layout pass ran. */
  pageStarts?: PageStart[]
  /** Pages of the browser the layout pass ran in: two when a book was laid out in two parts at once. */
  parts?: 1 | 2
  /** Requests that were refused (outside the project, remote, missing). */
  blocked: { url: string; reason: string }[]
  /** Milliseconds spent loading the page (`load`), improving line breaks (`lines`), in the layout pass (`layout`) and printing (`print`). */
  timings: Record<string, number>
}

export async function renderPdf(browser: Browser, options: RenderOptions): Promise<RenderResult> {
  const page = await (options.page?.catch(() => browser.newPage()) ?? browser.newPage())
  // A second page, for a book laid out in two parts at once: opened now, so that it loads while the first does.
  const helper = options.layout && (options.parts ?? worthParts(options.html)) ? browser.newPage() : undefined
  const blocked: RenderResult['blocked'] = []
  const baseDir = path.resolve(options.baseDir)
  try {
    // With a layout pass, the page is loaded as the passes measure it (print styles, the text block's width), so that
    // the layout Chromium makes while loading is the one they start from instead of a screen-sized one thrown away.
    // Laid out in parts, each page loads the document hidden, and lays out only its part.
    const html = options.layout ? withTextBlockWidth(options.html, options.layout.width) : options.html
    const pageHtml = helper ? withStyle(html, hiddenStyleId, 'body { display: none !important; }') : html
    const timeout = options.timeout ?? 60_000
    const { lap, timings } = stopwatch()
    // Read (or, from the sources, bundled) while the page loads.
    const script = options.layout ? layoutScript() : undefined
    script?.catch(() => undefined) // Reported where it is awaited.
    const open = async (target: Page, refused: RenderResult['blocked']): Promise<void> => {
      await load(target, { html: pageHtml, baseDir, timeout, layout: options.layout, blocked: refused })
      if (script) await target.evaluate(await script)
    }
    const { progress } = options
    const params: PaginateParams | undefined = options.layout && { ...options.layout, ...(progress ? { progress: true } : {}), ...(options.pageStarts ? { pageList: true } : {}) }
    // Each page tells of its own pages as it lays them out; the display counts both.
    const done: [number, number] = [0, 0]
    const hear = (target: Page, which: 0 | 1): void => {
      if (!progress) return
      hearPages(target, (laid) => {
        done[which] = laid
        progress({ stage: 'layout', done: done[0] + done[1] })
      })
    }
    // The second page keeps the rest of the book and lays it out while the first page does the first part; it loads
    // the same files as the first, which reports their refusals.
    const rest = helper && params ? helper.then(async (second) => {
      await open(second, [])
      hear(second, 1)
      return call<PartLaid | undefined>(second, 'layOutPart', params, 'rest')
    }) : undefined
    rest?.catch(() => undefined) // Reported where it is awaited.
    await open(page, blocked)
    lap('load')
    options.loaded?.()
    let layout: PaginateResult | undefined
    let lines: LineBreakResult | undefined
    let parts: 1 | 2 | undefined
    if (params) {
      progress?.({ stage: 'layout' })
      hear(page, 0)
      const first = rest ? await call<PartLaid | undefined>(page, 'layOutPart', params, 'first') : undefined
      if (first && rest) {
        const second = await rest
        if (second?.html === undefined || second.plan.from !== first.plan.to) throw new Error('the two pages split the book at different chapters')
        lines = joinLines(first.lines, second.lines)
        layout = await call<PaginateResult>(page, 'joinParts', params, first.layout, second.layout, second.html)
        timings['lines'] = first.linesMs
        parts = 2
      } else {
        const laid = await call<Laid>(page, 'layOutDocument', params)
        ;({ lines, layout } = laid)
        timings['lines'] = laid.linesMs
        parts = 1
      }
    }
    const finalHtml = options.keepFinalHtml ? await page.content() : undefined
    lap('layout')
    // The line pass ran inside the same call as the layout pass (in parts, the first page's).
    if (timings['lines'] !== undefined) timings['layout'] = (timings['layout'] ?? 0) - timings['lines']
    options.progress?.({ stage: 'printing', ...(layout ? { total: layout.pages } : {}) })
    const pdf = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      outline: true,
      tagged: true,
      timeout,
    })
    lap('print')
    return { pdf, blocked, layout, ...(lines ? { lines } : {}), ...(layout?.pageList ? { pageStarts: layout.pageList } : {}), ...(finalHtml === undefined ? {} : { finalHtml }), ...(parts ? { parts } : {}), timings }
  } catch (error) {
    throw new RenderError(`Chromium could not print the document: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, undefined, { cause: error })
  } finally {
    await Promise.all([page.close().catch(() => undefined), helper?.then((target) => target.close()).catch(() => undefined)])
  }
}

/**
 * A document big enough to lay out in two parts at once, on a machine with a core for each: below that, loading the
 * document in a second page costs about what the second part saves.
 */
function worthParts(html: string): boolean {
  return availableParallelism() >= 2 && html.length >= PARTS_FROM
}

/**
 * Characters of HTML from which a book is laid out in two parts. Measured on two cores, in alternating runs of the PDF
 * stage's browser part (the same PDF either way), in one page and in two parts: a thesis of 101 pages (0.76 MB) 3.6
 * and 3.3 s (faster in 10 runs of 10), the medium benchmark book (1.0 MB, 187 pages) 6.4 and 5.1 s (9 of 10), the
 * large one (3.4 MB) a sixth faster; the small one (0.39 MB, 16 pages) 0.63 and 0.79 s (the second page's load, and
 * the first page taking in the second's pages, cost more than the half of its passes they save). Improving the lines
 * of each half in its own page and laying the whole out in the first, tried too, came out between the two.
 */
const PARTS_FROM = 600_000

/** Loads the document in `page` as printing wants it, with every request answered from the project or refused. */
async function load(page: Page, source: { html: string; baseDir: string; timeout: number; layout: PaginateParams | undefined; blocked: RenderResult['blocked'] }): Promise<void> {
  const { html, baseDir, blocked, layout, timeout } = source
  await page.setRequestInterception(true)
  page.on('request', (request) => {
    void answer(request, html, baseDir, blocked)
  })
  if (layout) {
    await page.emulateMediaType('print')
    await page.setViewport({ width: Math.ceil(layout.width) + 200, height: Math.ceil(layout.height) + 200 })
  }
  await page.goto(`${origin}/index.html`, { waitUntil: 'load', timeout })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
}

/** Calls one of the layout script's functions in `page` (arguments passed as values: a part's HTML is megabytes). */
function call<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    (global, fn, values) => (globalThis as unknown as Record<string, Record<string, (...values: unknown[]) => unknown>>)[global]?.[fn]?.(...values),
    layoutGlobal,
    name,
    args,
  ) as Promise<T>
}

/** The layout pass names each page as it lays it out; the console events arrive while it runs. */
function hearPages(page: Page, onLaid: (laid: number) => void): void {
  page.on('console', (message) => {
    const laid = /^galley-page (\d+)$/.exec(message.text())
    if (laid) onLaid(Number(laid[1]))
  })
}

/** What the line pass did in two parts, as one. */
function joinLines(first: LineBreakResult, rest: LineBreakResult): LineBreakResult {
  return {
    lines: first.lines + rest.lines,
    hyphenated: first.hyphenated + rest.hyphenated,
    ladders: first.ladders + rest.ladders,
    words: first.words + rest.words,
    rounds: Math.max(first.rounds, rest.rounds),
    softHyphensLeft: first.softHyphensLeft + rest.softHyphensLeft,
  }
}


/** The document with the body as wide as the text block in print (as the layout passes set it), until they are done. */
function withTextBlockWidth(html: string, width: number): string {
  return withStyle(html, textBlockStyleId, `@media print { body { width: ${width}px; max-width: none; margin: 0; padding: 0; } }`)
}

/** The document with a style sheet of id `id` at the end of its head. */
function withStyle(html: string, id: string, css: string): string {
  const style = `<style id="${id}">${css}</style>`
  const head = html.indexOf('</head>')
  return head === -1 ? style + html : html.slice(0, head) + style + html.slice(head)
}

async function answer(request: HTTPRequest, html: string, baseDir: string, blocked: RenderResult['blocked']): Promise<void> {
  const url = request.url()
  if (url.startsWith('data:')) return request.continue()
  if (url === `${origin}/index.html`) return request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
  // Chromium asks for a favicon on its own; it is no resource of the document's.
  if (url === `${origin}/favicon.ico`) return request.respond({ status: 204, body: '' })
  if (!url.startsWith(`${origin}/`)) {
    blocked.push({ url, reason: 'outside the project (Galley loads no remote resources)' })
    return request.abort('blockedbyclient')
  }
  const relative = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '')
  // The same test as every other reader: inside the project once links are followed, and no unsafe SVG.
  const outcome = probeImage(baseDir, path.resolve(baseDir, relative))
  const file = allowedPath(outcome)
  if (file === undefined) {
    blocked.push({ url: relative, reason: outcome === 'outside' ? 'outside the project directory' : outcome === 'missing' ? 'file not found' : outcome })
    return request.abort(outcome === 'outside' ? 'blockedbyclient' : 'failed')
  }
  try {
    // The type from the name, as a file server gives it: Chromium draws an SVG served without one as a broken image.
    const contentType = mediaType(relative)
    return request.respond({ status: 200, body: Buffer.from(await readFile(file)), ...(contentType ? { contentType } : {}) })
  } catch {
    blocked.push({ url: relative, reason: 'file not found' })
    return request.abort('failed')
  }
}
