// Kindle's format: calibre's ebook-convert (Debian's calibre) turns the sample EPUB, with the page markers and page
// list of the PDF made in the same build, into AZW3 (KF8) with nothing to complain of: no error, no warning, no CSS it
// cannot read. Skipped where calibre is not installed.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { unpack } from './helpers/epub.js'

const ebookConvert = '/usr/bin/ebook-convert'
const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

describe.skipIf(!existsSync(ebookConvert))('AZW3 conversion (calibre)', () => {
  it('converts the sample EPUB with its print page list with no error or warning in its log', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'galley-kindle-'))
    const result = await build({ inputs: ['manuscript/china-north-korea.md'], to: ['pdf', 'epub'], cwd: path.resolve(import.meta.dirname, '..'), outputDir: out, env, noCache: true })
    const epub = result.outputs.find((output) => output.format === 'epub')?.path ?? ''
    const files = unpack(epub)
    expect(files.get('EPUB/nav.xhtml')).toContain('epub:type="page-list"')
    expect([...files.values()].some((text) => text.includes('role="doc-pagebreak"'))).toBe(true)
    const azw3 = path.join(out, 'book.azw3')
    const run = spawnSync(ebookConvert, [epub, azw3], { encoding: 'utf8', env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' }, timeout: 240_000 })
    const log = `${run.stdout}\n${run.stderr}`
    expect(run.status, log).toBe(0)
    expect(log).toContain('Creating KF8 output')
    expect(log.split('\n').filter((line) => /warn|error|fail|invalid|unknown|not supported|css/i.test(line) && !/Flattening CSS/.test(line))).toEqual([])
    expect(statSync(azw3).size).toBeGreaterThan(100_000)
  }, 300_000)
})
