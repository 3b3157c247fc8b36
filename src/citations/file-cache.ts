// The citation cache on disk: one JSON file per key under the project's `.galley-cache/`.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { CitationCache } from './cached-engine.js'

export function fileCache(dir: string): CitationCache {
  return {
    get(key) {
      try {
        return JSON.parse(readFileSync(path.join(dir, `${key}.json`), 'utf8')) as unknown
      } catch {
        return undefined // Missing or unreadable: a miss, never an error.
      }
    },
    set(key, value) {
      try {
        mkdirSync(dir, { recursive: true })
        const file = path.join(dir, `${key}.json`)
        const temporary = `${file}.${process.pid}.tmp`
        writeFileSync(temporary, JSON.stringify(value))
        renameSync(temporary, file)
      } catch {
        // A cache that cannot be written only costs time on the next build.
      }
    },
  }
}
