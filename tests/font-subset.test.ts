import { describe, expect, it } from 'vitest'
import type { Cache } from '../src/file-cache.js'
import { subsetFaces } from '../src/epub/font-subset.js'

/** A cache in memory that counts what it is asked for. */
function memoryCache(): Cache & { sets: number } {
  const entries = new Map<string, unknown>()
  return {
    sets: 0,
    get: (key) => entries.get(key),
    set(key, value) {
      this.sets += 1
      entries.set(key, value)
    },
  }
}

describe('EPUB font subsets', () => {
  it('are made once per set of characters and then read back from the cache, whatever the characters’ order', async () => {
    const cache = memoryCache()
    const first = await subsetFaces('Grüße, Ἀθῆναι', cache)
    expect(first.length).toBeGreaterThan(0)
    expect(cache.sets).toBe(1)
    const again = await subsetFaces('ῆναιἈθ ,eßürG', cache)
    expect(cache.sets).toBe(1)
    expect(again.map((subset) => subset.bytes)).toEqual(first.map((subset) => subset.bytes))
    const other = await subsetFaces('Grüße, Ἀθῆναι and Ж', cache)
    expect(cache.sets).toBe(2)
    expect(other[0]?.bytes.byteLength).not.toBe(first[0]?.bytes.byteLength)
  }, 60_000)
})
