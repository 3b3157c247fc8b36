// The EPUB's fonts: TrueType (which Kindle takes), cut down to the book's characters in every script it uses, with the
// OFL text beside them; `epub-fonts: false` embeds none.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { trueTypeFaces } from '../src/html/fonts.js'
import { mappedCodePoints } from './helpers/cmap.js'
import { unpack, unpackBytes } from './helpers/epub.js'
import { makeProject } from './helpers/project.js'
import { epubcheck } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const greek = 'Η αρχαία γραμματεία'
const cyrillic = 'Русская литература'
const vietnamese = 'Tiếng Việt có dấu'
const book = `---\ntitle: Scripts\nauthor: A. Author\n---\n\n# One\n\n${greek}, **${cyrillic}**, *${vietnamese}*.\n`

describe('EPUB fonts', () => {
  it('are TrueType subsets holding every letter the book uses, Greek, Cyrillic and Vietnamese too, with the OFL beside them', async () => {
    const dir = makeProject({ 'book.md': book })
    const result = await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env })
    const file = result.outputs[0]?.path ?? ''
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    const bytes = unpackBytes(file)
    const opf = files.get('EPUB/package.opf') ?? ''
    expect(opf).not.toContain('woff2')
    expect(opf).toContain('<item id="font-licence" href="fonts/OFL.txt" media-type="text/plain"/>')
    expect(files.get('EPUB/fonts/OFL.txt')).toContain('SIL OPEN FONT LICENSE Version 1.1')
    const css = files.get('EPUB/style.css') ?? ''
    expect(css.startsWith('@namespace epub ')).toBe(true)
    expect(css).not.toContain('unicode-range')
    for (const face of trueTypeFaces) {
      expect(opf).toContain(`<item id="font-${trueTypeFaces.indexOf(face) + 1}" href="fonts/${face.name}" media-type="font/ttf"/>`)
      expect(css).toContain(`font-style: ${face.style};\n  font-weight: ${face.weight};\n  src: url("fonts/${face.name}") format("truetype");`)
      const subset = bytes.get(`EPUB/fonts/${face.name}`) ?? new Uint8Array()
      const mapped = mappedCodePoints(subset)
      for (const character of greek + cyrillic + vietnamese + 'Scripts One') {
        if (character !== ' ') expect(mapped.has(character.codePointAt(0) ?? 0), `${character} in ${face.name}`).toBe(true)
      }
      // Cut down: letters of those scripts the book does not use are not there.
      for (const unused of 'ЖΩỹ') expect(mapped.has(unused.codePointAt(0) ?? 0), `${unused} in ${face.name}`).toBe(false)
      expect(mappedCodePoints(readFileSync(face.file)).has('Ж'.codePointAt(0) ?? 0)).toBe(true)
      expect(subset.length).toBeLessThan(readFileSync(face.file).length / 3)
    }
  }, 300_000)

  it('epub-fonts: false embeds none, and no @font-face refers to one', async () => {
    const dir = makeProject({ 'book.md': book.replace('author: A. Author\n', 'author: A. Author\nepub-fonts: false\n') })
    const result = await build({ inputs: ['book.md'], to: ['epub'], cwd: dir, env })
    const file = result.outputs[0]?.path ?? ''
    expect(epubcheck(file).messages).toEqual([])
    const files = unpack(file)
    expect([...files.keys()].filter((name) => name.startsWith('EPUB/fonts/'))).toEqual([])
    expect(files.get('EPUB/style.css')).not.toContain('@font-face')
    expect(files.get('EPUB/package.opf')).not.toContain('fonts/')
  }, 300_000)
})
