// Prints one HTML document to PDF in Chromium, loading nothing but the document and files under the project.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, HTTPRequest, Page } from 'puppeteer-core'
import { RenderError } from '../errors.js'
import { mediaType } from '../html/images.js'
import { allowedPath, probeImage } from '../markdown/remark-resources.js'
import { stopwatch } from '../stopwatch.js'
import type { OnProgress } from '../progress.js'
import { layoutGlobal, layoutScript } from './layout-script.js'
import type { Laid } from './layout/passes.js'
import { textBlockStyleId, type LineBreakResult, type PageStart, type PaginateParams, type PaginateResult } from './layout/types.js'

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
  /** Requests that were refused (outside the project, remote, missing). */
  blocked: { url: string; reason: string }[]
  /** Milliseconds spent loading the page (`load`), improving line breaks (`lines`), in the layout pass (`layout`) and printing (`print`). */
  timings: Record<string, number>
}

export async function renderPdf(browser: Browser, options: RenderOptions): Promise<RenderResult> {
  const page = await (options.page?.catch(() => browser.newPage()) ?? browser.newPage())
  const blocked: RenderResult['blocked'] = []
  const baseDir = path.resolve(options.baseDir)
  try {
    await page.setRequestInterception(true)
    // With a layout pass, the page is loaded as the passes measure it (print styles, the text block's width), so that
    // the layout Chromium makes while loading is the one they start from instead of a screen-sized one thrown away.
    const html = options.layout ? withTextBlockWidth(options.html, options.layout.width) : options.html
    page.on('request', (request) => {
      void answer(request, html, baseDir, blocked)
    })
    const timeout = options.timeout ?? 60_000
    const { lap, timings } = stopwatch()
    // Read (or, from the sources, bundled) while the page loads.
    const script = options.layout ? layoutScript() : undefined
    script?.catch(() => undefined) // Reported where it is awaited.
    if (options.layout) {
      await page.emulateMediaType('print')
      await page.setViewport({ width: Math.ceil(options.layout.width) + 200, height: Math.ceil(options.layout.height) + 200 })
    }
    await page.goto(`${origin}/index.html`, { waitUntil: 'load', timeout })
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    lap('load')
    options.loaded?.()
    let layout: PaginateResult | undefined
    let lines: LineBreakResult | undefined
    if (options.layout && script) {
      const { progress } = options
      await page.evaluate(await script)
      progress?.({ stage: 'layout' })
      // The layout pass names each page as it lays it out; the console events arrive while it runs.
      if (progress) {
        page.on('console', (message) => {
          const laid = /^galley-page (\d+)$/.exec(message.text())
          if (laid) progress({ stage: 'layout', done: Number(laid[1]) })
        })
      }
      const params: PaginateParams = { ...options.layout, ...(progress ? { progress: true } : {}), ...(options.pageStarts ? { pageList: true } : {}) }
      const laid = (await page.evaluate(`${layoutGlobal}.layOutDocument(${JSON.stringify(params)})`)) as Laid
      ;({ lines, layout } = laid)
      timings['lines'] = laid.linesMs
    }
    const finalHtml = options.keepFinalHtml ? await page.content() : undefined
    lap('layout')
    // The line pass ran in the same call as the layout pass, whose time is the rest.
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
    return { pdf, blocked, layout, ...(lines ? { lines } : {}), ...(layout?.pageList ? { pageStarts: layout.pageList } : {}), ...(finalHtml === undefined ? {} : { finalHtml }), timings }
  } catch (error) {
    throw new RenderError(`Chromium could not print the document: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, undefined, { cause: error })
  } finally {
    await page.close().catch(() => undefined)
  }
}

/** The document with the body as wide as the text block in print (as the layout passes set it), until they are done. */
function withTextBlockWidth(html: string, width: number): string {
  const style = `<style id="${textBlockStyleId}">@media print { body { width: ${width}px; max-width: none; margin: 0; padding: 0; } }</style>`
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
