// The on-disk cache keeps the entries builds use, not only those they wrote last.
import { existsSync, mkdtempSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileCache } from '../src/file-cache.js'

describe('file cache', () => {
  it('prunes the least recently used entries: a hit keeps an old entry', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-file-cache-'))
    const cache = fileCache(dir, { keep: 2 })
    const file = (key: string): string => path.join(dir, `${key}.json`)
    cache.set('unchanged-chapter', 1)
    cache.set('edited-chapter', 2)
    // Written long ago, both; the unchanged chapter is then read by a build, the edited one is not.
    for (const key of ['unchanged-chapter', 'edited-chapter']) utimesSync(file(key), new Date(2020, 0, 1), new Date(2020, 0, 1))
    utimesSync(file('edited-chapter'), new Date(2021, 0, 1), new Date(2021, 0, 1))
    expect(cache.get('unchanged-chapter')).toBe(1)
    cache.set('edited-again', 3)
    expect(existsSync(file('unchanged-chapter'))).toBe(true)
    expect(existsSync(file('edited-chapter'))).toBe(false)
    expect(cache.get('edited-again')).toBe(3)
  })
})
