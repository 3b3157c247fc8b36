// The one browser of a build: the PDF prints in it and the EPUB's cover is drawn in it. Started once, on the first
// ask (or early, when a later output will surely need it), and closed by the build unless the caller keeps it (watch).
import type { Browser } from 'puppeteer-core'
import type { Metadata } from '../config/schema.js'

export interface BrowserOwner {
  /** The browser, started now if nothing has asked for it yet. */
  get(metadata: Metadata): Promise<Browser>
  /** Starts it without waiting, so its start-up overlaps the work before it is needed; a failure is told by `get`. */
  start(metadata: Metadata): void
  /** Closes the browser this build started (not one the caller keeps open). */
  close(): Promise<void>
}

export interface BrowserContext {
  env: NodeJS.ProcessEnv
  /** Milliseconds before a browser that does not start is given up (`GALLEY_TIMEOUT`). */
  timeout: number | undefined
  /** A browser the caller keeps open across builds (watch mode, `--batch`). */
  kept?: ((metadata: Metadata) => Promise<Browser>) | undefined
}

export function ownBrowser(context: Readonly<BrowserContext>): BrowserOwner {
  let browser: Promise<Browser> | undefined
  const launch = async (metadata: Metadata): Promise<Browser> => {
    if (context.kept) return context.kept(metadata)
    const { findBrowser, launchBrowser } = await import('../pdf/browser.js')
    const executablePath = findBrowser(metadata.browser, context.env)
    return launchBrowser(context.timeout === undefined ? { executablePath } : { executablePath, timeout: context.timeout })
  }
  const get = (metadata: Metadata): Promise<Browser> => {
    if (!browser) {
      browser = launch(metadata)
      browser.catch(() => undefined) // Told where it is awaited.
    }
    return browser
  }
  return {
    get,
    start(metadata) {
      void get(metadata)
    },
    async close() {
      if (!context.kept) await browser?.then((started) => started.close()).catch(() => undefined)
    },
  }
}
