// Where Galley's own files (styles, fonts' CSS) are, wherever its compiled code runs from.
import { existsSync, statSync } from 'node:fs'
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

/** Whether `file` (absolute) is `dir` or below it: the one test for "inside the project". */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file)
  return !relative.startsWith('..') && !path.isAbsolute(relative)
}

/** Whether `file` (absolute) exists and is a file, not a directory. */
export function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile()
}
