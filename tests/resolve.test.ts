// The build's environment is read once, from `BuildOptions.env`: the date, the time limit and the CSL directory.
import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { resolveBuild } from '../src/resolve.js'
import { makeProject } from './helpers/project.js'

describe('resolveBuild', () => {
  it('reads SOURCE_DATE_EPOCH, GALLEY_TIMEOUT and CSL_DIR from the env it is given, not from the process', async () => {
    const dir = makeProject({ 'a.md': '# A\n' })
    const env = { SOURCE_DATE_EPOCH: '1700000000', GALLEY_TIMEOUT: '1234', CSL_DIR: '/somewhere/csl' }
    const resolved = await resolveBuild({ inputs: ['a.md'], to: ['html'], cwd: dir, env })
    expect(resolved.date.toISOString()).toBe('2023-11-14T22:13:20.000Z')
    expect(resolved.timeout).toBe(1234)
    expect(resolved.cslDir).toBe('/somewhere/csl')
    expect(resolved.target('pdf', '-key')).toBe(path.join(dir, 'dist', 'a-key.pdf'))
    const plain = await resolveBuild({ inputs: ['a.md'], to: ['html'], cwd: dir, env: {}, now: () => new Date(0) })
    expect(plain.date.getTime()).toBe(0)
    expect(plain.timeout).toBeUndefined()
    expect(plain.cslDir).toBe('/usr/share/citation-style-language')
  })

  it('finds a style by name in the CSL_DIR of the build\'s env', async () => {
    const csl = makeProject({})
    mkdirSync(path.join(csl, 'styles'))
    cpSync(path.resolve('styles/csl/chicago-author-date.csl'), path.join(csl, 'styles', 'only-in-csl-dir.csl'))
    const references = JSON.stringify([{ id: 'a', type: 'book', title: 'T', author: [{ family: 'Writer', given: 'W' }], issued: { 'date-parts': [[2001]] } }])
    const dir = makeProject({ 'a.md': '---\ntitle: T\nbibliography: refs.json\ncsl: only-in-csl-dir\n---\n\nAs @a says.\n', 'refs.json': references })
    const result = await build({ inputs: ['a.md'], to: ['html'], cwd: dir, env: { CSL_DIR: csl }, noCache: true })
    expect(readFileSync(result.outputs[0]?.path ?? '', 'utf8')).toContain('Writer (2001)')
    await expect(build({ inputs: ['a.md'], to: ['html'], cwd: dir, env: {}, noCache: true })).rejects.toThrow(/CSL style "only-in-csl-dir" not found/)
  })
})
