// `build` as the library and the CLI call it. When citeproc will have to run if the book cites anything
// (`--no-cache`, or a project's first build), its worker is started first and boots while the rest of Galley loads (a
// tenth of a second), so it is ready by the time the build knows what to register; a book that cites nothing stops
// it again. The rest of the build is in `./build.ts`.
import { existsSync } from 'node:fs'
import type { BuildOptions, BuildResult } from './build.js'
import { CiteprocThread } from './citations/citeproc-thread.js'
import { cacheDir } from './file-cache.js'

/** Builds the requested outputs. Throws `GalleyError`s for fatal input or render problems; warnings are on `files`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  // Every build with a cache keeps parsed chapters: without them, this is the first.
  const uncached = options.noCache === true || !existsSync(cacheDir(options.cwd ?? process.cwd(), 'parse'))
  const citeproc = uncached && options.earlyCiteproc !== false ? CiteprocThread.spawn() : undefined
  try {
    const galley = await import('./build.js')
    return await galley.build(options, citeproc)
  } finally {
    citeproc?.close()
  }
}
