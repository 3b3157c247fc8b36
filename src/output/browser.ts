// The one browser of a build: the PDF prints in it and the EPUB's cover is drawn in it. Started once, on the first
// ask or early (before the parse, when an output will surely need it), and closed by the build unless the caller
// keeps it open across builds (watch mode, `--batch`).
import type { Browser } from 'puppeteer-core'
import type { Metadata } from '../config/schema.js'

export interface BrowserOwner {
  /** The browser, started now if nothing has asked for it yet. */
  get(): Promise<Browser>
  /** Starts it without waiting, so its start-up overlaps the work before it is needed; a failure is told by `get`. */
  start(): void
  /**
   * Closes the browser this build started (not one the caller keeps open), as soon as no output needs it: an idle
   * Chromium still costs CPU. A later `get` starts another.
   */
  close(): Promise<void>
}

export interface BrowserContext {
  /**
   * The command line's metadata: the `browser` key may be set there only, so it is known before the parse. The
   * kept browser is started from it too.
   */
  runner: Metadata
  env: NodeJS.ProcessEnv
  /** Milliseconds before a browser that does not start is given up (`GALLEY_TIMEOUT`). */
  timeout: number | undefined
  /** A browser the caller keeps open across builds. */
  kept?: ((metadata: Metadata) => Promise<Browser>) | undefined
}

export function ownBrowser(context: Readonly<BrowserContext>): BrowserOwner {
  let browser: Promise<Browser> | undefined
  let closing = Promise.resolve()
  const launch = async (): Promise<Browser> => {
    if (context.kept) return context.kept(context.runner)
    const { findBrowser, launchBrowser } = await import('../pdf/browser.js')
    const executablePath = findBrowser(context.runner.browser, context.env)
    return launchBrowser(context.timeout === undefined ? { executablePath } : { executablePath, timeout: context.timeout })
  }
  const get = (): Promise<Browser> => {
    if (!browser) {
      browser = launch()
      browser.catch(() => undefined) // Told where it is awaited.
    }
    return browser
  }
  return {
    get,
    start() {
      void get()
    },
    close() {
      const open = browser
      if (open && !context.kept) {
        browser = undefined
        closing = closing.then(() => open.then((started) => started.close())).catch(() => undefined)
      }
      return closing
    },
  }
}
