// A Chromium page with the layout modules (`src/pdf/layout/*`) loaded one by one, for driving each on a small page.
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser, Page } from 'puppeteer-core'
import { fontDataUri, fontFaceCss } from '../../src/html/fonts.js'

const layoutDir = fileURLToPath(new URL('../../src/pdf/layout/', import.meta.url))
const fixture = fileURLToPath(new URL('./layout-fixture.ts', import.meta.url))
const modules = ['breaks', 'line-breaking', 'lines', 'measure', 'notes', 'overflow', 'paginate', 'running-heads', 'segments', 'state', 'toc-numbers', 'window'] as const

/** The global a test page gets: each module's exports under its name (`layoutModules.breaks.splitBlock`). */
export interface LayoutModules {
  breaks: typeof import('../../src/pdf/layout/breaks.js')
  fixture: typeof import('./layout-fixture.js')
  lineBreaking: typeof import('../../src/pdf/layout/line-breaking.js')
  lines: typeof import('../../src/pdf/layout/lines.js')
  measure: typeof import('../../src/pdf/layout/measure.js')
  notes: typeof import('../../src/pdf/layout/notes.js')
  overflow: typeof import('../../src/pdf/layout/overflow.js')
  paginate: typeof import('../../src/pdf/layout/paginate.js')
  runningHeads: typeof import('../../src/pdf/layout/running-heads.js')
  segments: typeof import('../../src/pdf/layout/segments.js')
  state: typeof import('../../src/pdf/layout/state.js')
  tocNumbers: typeof import('../../src/pdf/layout/toc-numbers.js')
  window: typeof import('../../src/pdf/layout/window.js')
}

/** Bundled once per test file. */
let script: Promise<string> | undefined

function modulesScript(): Promise<string> {
  const camel = (name: string): string => name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
  script ??= build({
    stdin: {
      contents: [...modules.map((name) => `export * as ${camel(name)} from './${name}.ts'`), `export * as fixture from '${fixture}'`].join('\n'),
      resolveDir: layoutDir,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'layoutModules',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0]?.text ?? '')
  return script
}

/**
 * A page holding `body` (with `css`), print media, the book's type (Chromium draws a hyphen at a line's end as a box
 * of its own in it, which line breaking relies on), the layout modules loaded as `layoutModules`.
 */
export async function layoutPage(browser: Browser, body: string, css = ''): Promise<Page> {
  const page = await browser.newPage()
  await page.emulateMediaType('print')
  await page.setViewport({ width: 1200, height: 900 })
  const style = `${fontFaceCss(fontDataUri)} body { margin: 0; font: 16px/20px 'Source Serif 4', serif; } ${css}`
  await page.setContent(`<!doctype html><html><head><style>${style}</style></head><body>${body}</body></html>`, { waitUntil: 'load' })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  await page.evaluate(await modulesScript())
  return page
}

