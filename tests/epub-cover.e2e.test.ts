// The EPUB's drawn cover: a 1600×2560 JPEG from Chromium, declared as the cover image, cached by its words, and an
// SVG with a warning when no browser can draw it.
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject } from './helpers/project.js'
import { unpack, unpackBytes } from './helpers/epub.js'
import { epubcheck } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const noBrowser = { ...env, GALLEY_BROWSER: '/nonexistent/chromium' }

/** Width and height from a JPEG's start-of-frame segment. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const data = Buffer.from(bytes)
  if (data.readUInt16BE(0) !== 0xffd8) return undefined
  let at = 2
  while (at + 9 < data.length) {
    const marker = data.readUInt16BE(at)
    if (marker >= 0xffc0 && marker <= 0xffc2) return { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) }
    at += 2 + data.readUInt16BE(at + 2)
  }
  return undefined
}

function messagesOf(result: Awaited<ReturnType<typeof build>>): string[] {
  return result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId ?? ''}: ${message.reason}`))
}

const book = { 'book.md': '---\ntitle: "Ἡ Ἀρχαία Γραμματεία and Other Stories"\nsubtitle: A Subtitle\nauthor: [Ana Petrović, Nguyễn Minh]\nlang: de\n---\n\n# Eins\n\nText.\n' }

describe('the drawn cover', () => {
  it('is a 1600×2560 JPEG, the OPF cover-image, shown by cover.xhtml, and epubcheck passes', async () => {
    const dir = makeProject(book)
    const result = await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env })
    const file = result.outputs[0]?.path ?? ''
    expect(messagesOf(result)).toEqual([])
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    expect(files.get('EPUB/package.opf')).toContain('<item id="cover-image" href="cover.jpg" media-type="image/jpeg" properties="cover-image"/>')
    expect(files.get('EPUB/cover.xhtml')).toContain('<img src="cover.jpg" alt="Umschlag: Ἡ Ἀρχαία Γραμματεία and Other Stories"')
    expect(files.has('EPUB/cover.svg')).toBe(false)
    const jpeg = unpackBytes(file).get('EPUB/cover.jpg')
    expect(jpeg && jpegSize(jpeg)).toEqual({ width: 1600, height: 2560 })
  }, 300_000)

  it('is taken from the cache on a rebuild, with no browser started', async () => {
    const dir = makeProject(book)
    const first = unpackBytes((await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env })).outputs[0]?.path ?? '').get('EPUB/cover.jpg')
    const again = await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env: noBrowser })
    expect(messagesOf(again)).toEqual([])
    const second = unpackBytes(again.outputs[0]?.path ?? '').get('EPUB/cover.jpg')
    expect(second).toBeDefined()
    expect(Buffer.from(second ?? []).equals(Buffer.from(first ?? [1]))).toBe(true)
  }, 300_000)

  it('falls back to the SVG cover with a warning when no browser can be started', async () => {
    const dir = makeProject(book)
    const result = await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env: noBrowser, noCache: true })
    expect(messagesOf(result)).toEqual([expect.stringMatching(/^raster-cover: The cover could not be drawn as a JPEG \(The browser \/nonexistent\/chromium does not exist/)])
    const file = result.outputs[0]?.path ?? ''
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    expect(files.get('EPUB/package.opf')).toContain('<item id="cover-image" href="cover.svg" media-type="image/svg+xml" properties="cover-image"/>')
    expect(files.has('EPUB/cover.jpg')).toBe(false)
  }, 300_000)

  it('draws in the PDF\'s browser when a PDF is made in the same build', async () => {
    const dir = makeProject(book)
    const result = await build({ inputs: ['book.md'], to: ['pdf', 'epub'], cwd: dir, env, noCache: true })
    expect(messagesOf(result)).toEqual([])
    const jpeg = unpackBytes(result.outputs.find((output) => output.format === 'epub')?.path ?? '').get('EPUB/cover.jpg')
    expect(jpeg && jpegSize(jpeg)).toEqual({ width: 1600, height: 2560 })
  }, 300_000)
})
