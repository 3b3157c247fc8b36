// Finds and starts the system's Chromium; Galley never downloads a browser.
import { existsSync } from 'node:fs'
import puppeteer, { type Browser } from 'puppeteer-core'
import { RenderError } from '../errors.js'

const systemPaths = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

/** Flags that let Chromium run as root on a closed network without phoning home. */
const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-extensions',
  '--font-render-hinting=none',
]

/** The browser to use: from config, then `GALLEY_BROWSER`, then `PUPPETEER_EXECUTABLE_PATH`, then system paths. */
export function findBrowser(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = configured ?? env['GALLEY_BROWSER'] ?? env['PUPPETEER_EXECUTABLE_PATH']
  if (explicit) {
    if (!existsSync(explicit)) throw new RenderError(`The browser ${explicit} does not exist; fix the "browser" setting or GALLEY_BROWSER`)
    return explicit
  }
  const found = systemPaths.find((candidate) => existsSync(candidate))
  if (!found) {
    throw new RenderError(
      'No Chromium or Chrome found for the PDF: run `npm run setup` (installs Debian\'s chromium), or set GALLEY_BROWSER to a Chromium executable',
    )
  }
  return found
}

export interface LaunchOptions {
  executablePath: string
  /** Give up on a browser that does not start within this many milliseconds. */
  timeout?: number
}

export async function launchBrowser(options: LaunchOptions): Promise<Browser> {
  try {
    return await puppeteer.launch({
      executablePath: options.executablePath,
      headless: true,
      args: launchArgs,
      timeout: options.timeout ?? 30_000,
      protocolTimeout: 120_000,
    })
  } catch (error) {
    throw new RenderError(`Chromium (${options.executablePath}) did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, undefined, { cause: error })
  }
}
