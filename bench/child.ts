// One benchmark job in a fresh process, so its time and memory are its own: a Galley build, or the PDF floor.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Format } from '../src/build.js'

/**
 * The browser code, for the jobs that print. Loaded only by them: a build job loads what the CLI loads and no more
 * (these static imports used to load puppeteer-core into every build job, 0.4 s of each process's time).
 */
async function printing(): Promise<typeof import('../src/pdf/browser.js') & typeof import('../src/pdf/render-pdf.js')> {
  return { ...(await import('../src/pdf/browser.js')), ...(await import('../src/pdf/render-pdf.js')) }
}

async function main(argv: readonly string[]): Promise<void> {
  const [job = '', dir = '', ...rest] = argv
  if (job === 'build') {
    // The bundle `npm run compile` makes, which the CLI runs: its load time is part of every build a user times.
    const bundle = new URL('../../lib/bundle/index.js', import.meta.url).href // lib-bench/bench/ → lib/bundle/
    const { build } = (await import(bundle)) as typeof import('../src/index.js')
    const to = (rest[0] ?? 'html').split(',') as Format[]
    const started = performance.now()
    const result = await build({ inputs: [], to, cwd: dir, outputDir: path.join(dir, 'dist'), env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }, noCache: rest.includes('--no-cache') })
    const warnings = result.files.reduce((count, file) => count + file.messages.length, 0)
    const checks = result.files.flatMap((file) => file.messages.filter((message) => message.source === 'galley:pdf-check').map((message) => message.reason))
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, timings: result.timings, warnings, checks, pages: result.pdf?.pages })}\n`)
  } else if (job === 'floor') {
    // Chromium printing a finished HTML once: load, wait for fonts, print. Browser start-up is not counted.
    const html = await readFile(path.join(dir, 'final.html'), 'utf8')
    const { findBrowser, launchBrowser, renderPdf } = await printing()
    const browser = await launchBrowser({ executablePath: findBrowser(undefined) })
    try {
      const started = performance.now()
      const result = await renderPdf(browser, { html, baseDir: dir })
      const ms = performance.now() - started
      await writeFile(path.join(dir, 'floor.pdf'), result.pdf)
      process.stdout.write(`${JSON.stringify({ ms })}\n`)
    } finally {
      await browser.close()
    }
  } else if (job === 'final-html') {
    const { build } = await import('../src/build.js')
    // Galley's PDF stage alone (HTML → finished PDF), and the HTML as it is finally printed, for the floor.
    const result = await build({ inputs: [], to: ['html'], cwd: dir, outputDir: path.join(dir, 'dist'), env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } })
    const printed = await readFile(path.join(dir, 'dist', 'chapter-01.html'), 'utf8')
    const { textBlock } = await import('../src/html/page-css.js')
    const { findBrowser, launchBrowser, renderPdf } = await printing()
    const browser = await launchBrowser({ executablePath: findBrowser(undefined) })
    try {
      const started = performance.now()
      const rendered = await renderPdf(browser, {
        html: printed,
        baseDir: dir,
        keepFinalHtml: true,
        layout: { ...textBlock(result.metadata), notes: result.metadata.notes, book: true, bookTitle: result.metadata.title },
      })
      const ms = performance.now() - started
      await writeFile(path.join(dir, 'final.html'), rendered.finalHtml ?? '')
      process.stdout.write(`${JSON.stringify({ ms, pages: rendered.layout?.pages })}\n`)
    } finally {
      await browser.close()
    }
  } else {
    throw new Error(`unknown job ${job}`)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
