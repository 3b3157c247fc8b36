// `galley build --watch`: build, then build again whenever a file the build read changes, in one process that keeps
// the browser open. Parsed chapters and citations come from `.galley-cache/`, so a prose edit costs one chapter's
// parse and the HTML (and the PDF's layout, if a PDF is wanted).
import { watch, type FSWatcher } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'puppeteer-core'
import type { Metadata } from '../config/schema.js'

export interface WatchOptions {
  /** One build; resolves to the files it read (none when it failed before knowing) and its exit code. */
  build: (browser: (metadata: Metadata) => Promise<Browser>) => Promise<{ sources: readonly string[]; code: number }>
  /** Starts the browser the first time a build asks for one (as that build's metadata says). */
  startBrowser: (metadata: Metadata) => Promise<Browser>
  /** Files to watch before any build has succeeded (the manuscripts named on the command line). */
  initial: readonly string[]
  report: (line: string) => void
  /** Stops watching; by default SIGINT or SIGTERM (Ctrl-C). */
  stop?: Promise<void>
}

/** Waits this long after a change for more: editors write a file in several steps. */
const settle = 60

export async function watchAndBuild(options: WatchOptions): Promise<number> {
  let browser: Promise<Browser> | undefined
  const sharedBrowser = (metadata: Metadata): Promise<Browser> => {
    browser ??= options.startBrowser(metadata)
    return browser
  }
  const initial = options.initial.map((file) => path.resolve(file))
  let watched = new Set(initial)
  const watchers = new Map<string, FSWatcher>()
  let running: Promise<void> | undefined
  let pending = false
  let timer: NodeJS.Timeout | undefined

  /** One watcher per directory (editors replace files, which a watcher on the file itself would miss). */
  const rewatch = (): void => {
    const directories = new Set([...watched].map((file) => path.dirname(file)))
    for (const [directory, watcher] of watchers) {
      if (!directories.has(directory)) {
        watcher.close()
        watchers.delete(directory)
      }
    }
    for (const directory of directories) {
      if (watchers.has(directory)) continue
      try {
        const watcher = watch(directory, (_event, name) => {
          if (name && watched.has(path.join(directory, name.toString()))) schedule()
        })
        watcher.on('error', () => watchers.delete(directory))
        watchers.set(directory, watcher)
      } catch {
        // A directory that does not exist (yet): nothing to watch there.
      }
    }
  }

  const run = async (): Promise<void> => {
    do {
      pending = false
      const started = performance.now()
      const result = await options.build(sharedBrowser)
      if (result.sources.length > 0) watched = new Set([...initial, ...result.sources])
      rewatch()
      options.report(`built in ${Math.round(performance.now() - started)} ms; watching ${watched.size} files for changes (Ctrl-C to stop)`)
    } while (pending)
  }
  const schedule = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (running) {
        pending = true
        return
      }
      running = run().finally(() => {
        running = undefined
      })
    }, settle)
  }

  running = run().finally(() => {
    running = undefined
  })
  const stop =
    options.stop ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve())
      process.once('SIGTERM', () => resolve())
    })
  await stop
  clearTimeout(timer)
  for (const watcher of watchers.values()) watcher.close()
  await running
  if (browser) await browser.then((opened) => opened.close()).catch(() => undefined)
  return 0
}
