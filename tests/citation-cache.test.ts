// The citation cache: a prose edit reuses it; a changed entry, locator, order or style never gets stale text.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'

const refs = [
  { id: 'doe', type: 'book', title: 'The First Book', author: [{ family: 'Doe', given: 'Jo' }], issued: { 'date-parts': [[2020]] }, publisher: 'Press' },
  { id: 'roe', type: 'book', title: 'The Second Book', author: [{ family: 'Roe', given: 'Ri' }], issued: { 'date-parts': [[2019]] }, publisher: 'Press' },
]
const manuscript = (body: string, csl = 'chicago-author-date'): string => `---\ntitle: Cache\nbibliography: refs.json\ncsl: ${csl}\n---\n\n${body}\n`

/** The HTML of a build, and whether its citations came from the cache or from citeproc. */
async function html(dir: string): Promise<{ text: string; from: string | undefined }> {
  const result = await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '1700000000' } })
  return { text: readFileSync(path.join(dir, 'out.html'), 'utf8').replaceAll('\u00AD', ''), from: result.citations }
}

function cacheFiles(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, '.galley-cache', 'citations'))
  } catch {
    return []
  }
}

describe('citation cache', () => {
  it('reuses results after a prose edit and recomputes after any change citeproc would see', async () => {
    const dir = makeProject({ 'ms.md': manuscript('First [@doe, 12], then [@roe].'), 'refs.json': JSON.stringify(refs) })
    const first = await html(dir)
    expect(first.text).toContain('(Doe 2020, 12)')
    expect(first.from).toBe('main')
    const stored = cacheFiles(dir)
    expect(stored.length).toBeGreaterThan(0)

    // Prose only: same key, no new cache entry, same citations.
    writeFileSync(path.join(dir, 'ms.md'), manuscript('A new opening sentence. First [@doe, 12], then [@roe].'))
    const prose = await html(dir)
    expect(prose.text).toContain('A new opening sentence.')
    expect(prose.text).toContain('(Doe 2020, 12)')
    expect(prose.from).toBe('cache')
    expect(cacheFiles(dir)).toEqual(stored)

    // A changed entry.
    writeFileSync(path.join(dir, 'refs.json'), JSON.stringify([{ ...refs[0], issued: { 'date-parts': [[2021]] } }, refs[1]]))
    const entry = await html(dir)
    expect(entry.text).toContain('(Doe 2021, 12)')
    expect(entry.from).toBe('main')

    // A changed locator.
    writeFileSync(path.join(dir, 'ms.md'), manuscript('First [@doe, 99], then [@roe].'))
    const locator = await html(dir)
    expect(locator.text).toContain('(Doe 2021, 99)')
    expect(locator.from).toBe('main')

    // Two citations in the other order: a numeric style numbers by first citation.
    writeFileSync(path.join(dir, 'ms.md'), manuscript('First [@doe], then [@roe].', 'ieee'))
    const ieee = (await html(dir)).text
    expect(ieee).toMatch(/data-cites="doe">\[1\]<\/span>.*data-cites="roe">\[2\]/s)
    writeFileSync(path.join(dir, 'ms.md'), manuscript('First [@roe], then [@doe].', 'ieee'))
    expect((await html(dir)).text).toMatch(/data-cites="roe">\[1\]<\/span>.*data-cites="doe">\[2\]/s)

    // Another style.
    writeFileSync(path.join(dir, 'ms.md'), manuscript('First [@roe], then [@doe].', 'apa'))
    const apa = await html(dir)
    expect(apa.text).toContain('(Roe, 2019)')
    expect(apa.from).toBe('main')
  })

  it('gives the same HTML from the cache as from citeproc', async () => {
    const dir = makeProject({ 'ms.md': manuscript('See @doe [p. 3] and [-@roe].', 'chicago-fullnote-bibliography'), 'refs.json': JSON.stringify(refs) })
    const cold = await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'cold.html', noCache: true })
    expect(cacheFiles(dir)).toEqual([])
    await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'fill.html' })
    await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'warm.html' })
    expect(cold.outputs).toHaveLength(1)
    expect(readFileSync(path.join(dir, 'warm.html'), 'utf8')).toBe(readFileSync(path.join(dir, 'cold.html'), 'utf8'))
  })
})
