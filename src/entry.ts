// `build` as the library and the CLI call it: the citation session is made and closed here, around the build. When
// citeproc will have to run if the book cites anything (`--no-cache`, or a project's first build), its worker starts
// first and boots while the rest of Galley loads (a tenth of a second). The rest of the build is in `./build.ts`.
import { existsSync } from 'node:fs'
import type { BuildOptions, BuildResult } from './build.js'
import { withCitationSession } from './citations/session.js'
import { cacheDir } from './file-cache.js'

/** Builds the requested outputs. Throws `GalleyError`s for fatal input or render problems; warnings are on `files`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  // Every build with a cache keeps parsed chapters: without them, this is the first.
  const uncached = options.noCache === true || !existsSync(cacheDir(options.cwd ?? process.cwd(), 'parse'))
  return withCitationSession({ worker: options.earlyCiteproc !== false, startNow: uncached }, async (session) => {
    const galley = await import('./build.js')
    return galley.build(options, session)
  })
}
