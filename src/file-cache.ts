// Galley's caches on disk (`.galley-cache/<kind>/`): one file per content-addressed key, written atomically, pruned
// to the most recently used entries, each with a checksum of its bytes. A cache that cannot be read or written, or
// an entry that was damaged, only costs time, never an error or a wrong output.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import { galleyRoot } from './paths.js'

/** A key → value store; the stages that use it do no I/O of their own. */
export interface Cache {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

export interface FileCacheOptions {
  /** `json` for small records that people may want to read; `v8` (structured clone) for trees, several times faster. */
  format?: 'json' | 'v8'
  /** Entries kept in the directory after a write; the least recently used go first. Default 200. */
  keep?: number
}

/** Where a project keeps its cache of one kind (`citations`, `parse`, `parts`, `hyphenation`). */
export function cacheDir(projectDir: string, kind: string): string {
  return path.join(projectDir, '.galley-cache', kind)
}

/** The kinds of cache a build keeps, each with how it is stored: trees and bytes as v8, the few large ones pruned hard. */
const cacheKinds = {
  parse: { format: 'v8' },
  citations: {},
  parts: { format: 'v8' },
  hyphenation: { format: 'v8', keep: 8 },
  math: { format: 'v8', keep: 8 },
  code: { format: 'v8', keep: 8 },
  cover: { format: 'v8', keep: 8 },
  'epub-fonts': { format: 'v8', keep: 8 },
} as const satisfies Record<string, FileCacheOptions>

export type CacheKind = keyof typeof cacheKinds

/** A build's caches, one of each kind, in `dir`'s `.galley-cache/`; none when `enabled` is false (`--no-cache`). */
export function buildCaches(dir: string, enabled: boolean): (kind: CacheKind) => Cache | undefined {
  const opened = new Map<CacheKind, Cache>()
  return (kind) => {
    if (!enabled) return undefined
    let cache = opened.get(kind)
    if (!cache) {
      cache = fileCache(cacheDir(dir, kind), cacheKinds[kind])
      opened.set(kind, cache)
    }
    return cache
  }
}

export function fileCache(dir: string, options: FileCacheOptions = {}): Cache {
  const v8Format = options.format === 'v8'
  const extension = v8Format ? '.v8' : '.json'
  const keep = options.keep ?? 200
  const decode = (bytes: Buffer): unknown => (v8Format ? v8.deserialize(bytes) : JSON.parse(bytes.toString('utf8')))
  const encode = (value: unknown): Buffer => (v8Format ? v8.serialize(value) : Buffer.from(JSON.stringify(value)))
  return {
    get(key) {
      const file = path.join(dir, key + extension)
      let value: unknown
      try {
        value = decode(verified(readFileSync(file)))
      } catch {
        return undefined // Missing, unreadable or damaged: a miss, and the build writes it afresh.
      }
      // A hit counts as a use: the chapters an author is not editing are read at every build and written only once,
      // and pruning by write time dropped them after a few hundred edits to another chapter.
      try {
        const now = new Date()
        utimesSync(file, now, now)
      } catch {
        // Read-only cache: it is still a hit.
      }
      return value
    },
    set(key, value) {
      try {
        mkdirSync(dir, { recursive: true })
        const file = path.join(dir, key + extension)
        const temporary = `${file}.${process.pid}.tmp`
        const payload = encode(value)
        writeFileSync(temporary, Buffer.concat([checksum(payload), payload]))
        renameSync(temporary, file)
        prune(dir, extension, keep)
      } catch {
        // Not writable, or a value that cannot be stored: the next build recomputes it.
      }
    },
  }
}

/** SHA-256 of an entry's payload, stored before it. */
function checksum(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest()
}

/** The payload of a stored entry, if its checksum holds; a damaged or truncated entry throws. */
function verified(stored: Buffer): Buffer {
  const payload = stored.subarray(32)
  if (stored.length < 32 || !checksum(payload).equals(stored.subarray(0, 32))) throw new Error('damaged cache entry')
  return payload
}

function prune(dir: string, extension: string, keep: number): void {
  const entries = readdirSync(dir).filter((name) => name.endsWith(extension))
  if (entries.length <= keep) return
  const byAge = entries.map((name) => ({ name, mtime: statSync(path.join(dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime)
  for (const { name } of byAge.slice(0, entries.length - keep)) rmSync(path.join(dir, name), { force: true })
}

/**
 * A cache key: a hash of Galley's code fingerprint and the given parts, each prefixed by its length so that two parts
 * cannot run together into a third.
 */
export function contentKey(parts: Iterable<string>): string {
  const hash = createHash('sha256')
  for (const part of [codeFingerprint(), ...parts]) hash.update(`${part.length}:`).update(part)
  return hash.digest('hex')
}

let fingerprint: string | undefined

/**
 * A hash of Galley's own code (every module next to this one) and of the exact dependency versions: part of every
 * cache key, so that a changed Galley never reads what an older one cached.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint
  const hash = createHash('sha256')
  const root = path.dirname(fileURLToPath(import.meta.url))
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) visit(full)
      else if (/\.[cm]?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts')) hash.update(`${full}\0`).update(readFileSync(full))
    }
  }
  visit(root)
  for (const manifest of ['package.json', 'package-lock.json']) {
    try {
      hash.update(readFileSync(path.join(galleyRoot, manifest)))
    } catch {
      // An installed Galley has no lock file; its package.json pins the versions.
    }
  }
  fingerprint = hash.digest('hex')
  return fingerprint
}
