// Where Galley's own files are, and the one test for "inside the project" that every reader of a named file uses.
import { existsSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The directory holding Galley's `package.json` and `styles/`: found upwards from this module. */
export const galleyRoot: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'styles', 'print.css'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('Galley installation is incomplete: styles/print.css not found')
    dir = parent
  }
  return dir
})()

/** Whether `file` (absolute) is `dir` or below it, as written (no links followed). */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file)
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
}

/** A file a document named, checked: its real path, or why it may not be read. */
export type ProjectFile = { file: string; refused?: undefined } | { file?: undefined; refused: 'outside' | 'missing' | 'not-a-file' }

/**
 * The one test for files a document names (images, cover, bibliography, style, input files): the file must exist
 * and, with every symbolic link resolved, lie inside the project directory (itself resolved). A link inside the
 * project that points out of it is refused like a path that leads out.
 */
export function projectFile(projectDir: string, file: string): ProjectFile {
  const absolute = path.resolve(projectDir, file)
  const root = realPath(projectDir) ?? path.resolve(projectDir)
  // Refused as written before anything is looked up, so no outside path is probed.
  if (!isInside(path.resolve(projectDir), absolute) && !isInside(root, absolute)) return { refused: 'outside' }
  const real = realPath(absolute)
  if (real === undefined) return { refused: 'missing' }
  if (!isInside(root, real)) return { refused: 'outside' }
  try {
    if (!statSync(real).isFile()) return { refused: 'not-a-file' }
  } catch {
    return { refused: 'missing' }
  }
  return { file: real }
}

function realPath(file: string): string | undefined {
  try {
    return realpathSync(file)
  } catch {
    return undefined
  }
}
