// The text of chosen pages of a PDF, each run with where it starts, read by pdf.js: in a worker thread when there is one.
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../worker-thread.js'

/** A run of text and where it starts, in the page's PDF units. */
export interface TextRun {
  str: string
  x: number
  y: number
}

/** One PDF's pages, read as asked for. */
export interface PageText {
  /** The runs of each page asked for (pages counted from 1), blank runs left out. */
  read(pages: readonly number[]): Promise<Map<number, TextRun[]>>
  close(): Promise<void>
}

/** Front pages read ahead at most, while no page has been asked for. */
const FRONT_PAGES = 8

/**
 * pdf.js reading `bytes` in this thread; it starts parsing the file at once. With `readAhead`, it also reads, as
 * soon as the file is parsed and until pages are asked for, the last page (the check always reads it), then the
 * first pages in order (where contents pages are): the time the asker spends finding which pages it needs.
 */
export function openPageText(bytes: Uint8Array, options: { readAhead?: boolean } = {}): PageText {
  const opened = loadPdfJs().then(({ getDocument }) => getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise)
  opened.catch(() => undefined) // Reported by `read`.
  // One page at a time, each read once.
  const pages = new Map<number, Promise<TextRun[]>>()
  let queue: Promise<unknown> = opened
  const readPage = (number: number): Promise<TextRun[]> => {
    const known = pages.get(number)
    if (known) return known
    const reading = queue.then(async () => {
      const page = await (await opened).getPage(number)
      const content = await page.getTextContent()
      page.cleanup()
      return content.items.flatMap((item) => ('str' in item && item.str.trim() !== '' ? [{ str: item.str, x: item.transform[4] ?? 0, y: item.transform[5] ?? 0 }] : []))
    })
    queue = reading.catch(() => undefined)
    pages.set(number, reading)
    return reading
  }
  let asked = false
  if (options.readAhead) {
    const readAhead = async (): Promise<void> => {
      const { numPages } = await opened
      await readPage(numPages)
      // One page at a time, so that pages asked for wait for one page read ahead at most.
      for (let number = 1; number <= Math.min(FRONT_PAGES, numPages) && !asked; number++) await readPage(number)
    }
    readAhead().catch(() => undefined) // A page that fails is reported if it is asked for.
  }
  return {
    async read(numbers) {
      asked = true
      const sorted = [...new Set(numbers)].sort((a, b) => a - b)
      return new Map(await Promise.all(sorted.map(async (number) => [number, await readPage(number)] as const)))
    },
    async close() {
      await queue
      await (await opened.catch(() => undefined))?.destroy()
    },
  }
}

/** What the thread is sent: the PDF, as soon as it is printed, then the pages to read. */
export type PageTextMessage = { open: Uint8Array } | { read: number[] }
export type PageTextReply = { pages: [number, TextRun[]][] } | { failed: string }

/**
 * pdf.js in a worker thread, started while the browser still lays out and prints: it compiles pdf.js then (a tenth of
 * a second), parses the printed PDF while this thread opens it for editing, and reads the pages asked for while
 * this thread takes the soft hyphens out. pdf.js never loads in this thread (see `loadPdfJs` for why that matters).
 */
export class PageTextThread {
  /** Undefined when running from the TypeScript sources, which have no worker script, or when no thread can start. */
  static spawn(): PageTextThread | undefined {
    const worker = startWorker(new URL('./page-text-worker.js', import.meta.url))
    return worker && new PageTextThread(worker)
  }

  readonly #worker: Worker
  readonly #replies: PageTextReply[] = []
  #waiting: ((reply: PageTextReply | undefined) => void) | undefined
  #ended = false

  private constructor(worker: Worker) {
    this.#worker = worker
    const settle = (reply: PageTextReply | undefined): void => {
      if (reply) this.#replies.push(reply)
      else this.#ended = true
      const waiting = this.#waiting
      this.#waiting = undefined
      waiting?.(this.#replies.shift())
    }
    worker.on('message', (reply: PageTextReply) => settle(reply))
    worker.once('error', () => settle(undefined))
    worker.once('exit', () => settle(undefined))
    // Until it is asked for pages, the worker does not keep the process alive.
    worker.unref()
  }

  /** The PDF's pages, read in the thread; read here if the thread fails. */
  open(bytes: Uint8Array): PageText {
    this.#worker.postMessage({ open: bytes } satisfies PageTextMessage)
    return {
      read: async (pages) => {
        this.#worker.postMessage({ read: [...pages] } satisfies PageTextMessage)
        const reply = await this.#reply()
        if (reply && 'pages' in reply) return new Map(reply.pages)
        const here = openPageText(bytes)
        try {
          return await here.read(pages)
        } finally {
          await here.close()
        }
      },
      close: () => this.close(),
    }
  }

  async #reply(): Promise<PageTextReply | undefined> {
    const ready = this.#replies.shift()
    if (ready || this.#ended) return ready
    // Waited for: nothing else may be keeping the process alive meanwhile.
    this.#worker.ref()
    try {
      return await new Promise((resolve) => {
        this.#waiting = resolve
      })
    } finally {
      this.#worker.unref()
    }
  }

  async close(): Promise<void> {
    if (this.#ended) return
    this.#ended = true
    await this.#worker.terminate()
  }
}

let pdfJs: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | undefined

/**
 * Loads pdf.js in this thread ahead of a check that will read text here (a tenth of a second of compiling), for a
 * caller that has time to spare while the browser works. A failure is the check's to report.
 */
export function preparePageText(): void {
  loadPdfJs().catch(() => undefined)
}

/**
 * pdf.js, loaded when first needed, with the worker it runs in this thread. Its legacy build installs core-js's
 * `Uint8Array.fromBase64` in JavaScript where Node lacks it, and puppeteer uses `fromBase64` whenever it exists, to
 * decode the printed PDF and every file served to the page: that polyfill took 0.7 s of CPU per medium book's PDF
 * (without it puppeteer uses Node's `Buffer`). So the static pdf.js added is taken away again (and `fromHex`, its
 * kin); pdf.js calls it only for signatures and XFA, which the check does not read. The methods on instances
 * (`toHex`, for the document's fingerprint) stay: puppeteer does not use them.
 */
export function loadPdfJs(): Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> {
  pdfJs ??= (async () => {
    const added = (['fromBase64', 'fromHex'] as const).filter((name) => !Object.hasOwn(Uint8Array, name))
    const module = await import('pdfjs-dist/legacy/build/pdf.mjs')
    // The worker module that pdf.js would import itself on the first `getDocument` (the same URL, so the same module).
    const worker: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs'
    await import(worker)
    for (const name of added) Reflect.deleteProperty(Uint8Array, name)
    return module
  })()
  return pdfJs
}
