// The text face for the EPUB: whole TrueType files cut down to the characters the book uses, in every script it uses.
import { readFileSync } from 'node:fs'
import subsetFont from 'subset-font'
import { contentKey, type Cache } from '../file-cache.js'
import { trueTypeFaces, type TrueTypeFace } from '../html/fonts.js'

export interface SubsetFace {
  face: TrueTypeFace
  /** The TrueType subset. */
  bytes: Uint8Array
}

/**
 * Printable ASCII is always kept, whatever the text holds: list and note numbers, the hyphen a reader sets when it
 * hyphenates, and what reading systems draw in the book's face (page numbers, "of", a search term the reader types).
 */
const alwaysKept = Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCodePoint(0x20 + index)).join('') + '\u00A0\u2010\u2011\u2013\u2014\u2018\u2019\u201C\u201D\u2026'

/** The characters style sheet rules draw with `content: "…"` (CSS escapes such as `\2042` read). */
export function cssContentText(css: string): string {
  return [...css.matchAll(/content:\s*"((?:[^"\\]|\\.)*)"/g)]
    .map(([, value = '']) => value.replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16))))
    .join('')
}

/**
 * Every weight and style of the text face subset to `text` (each keeps all the book's characters: which words are
 * bold or italic is the reader's style sheet's business too). Layout features (kerning, ligatures, old-style
 * figures) are kept, and so is every glyph they reach from the kept characters.
 */
export async function subsetFaces(text: string, cache?: Cache): Promise<SubsetFace[]> {
  const characters = [...new Set(alwaysKept + text)].filter((character) => character >= ' ').sort().join('')
  // The subsets depend only on the characters: a prose edit that brings no new one reuses them (HarfBuzz's wasm
  // start and the subsetting were half a second of every EPUB build).
  const key = contentKey(['epub-fonts', ...trueTypeFaces.map((face) => face.name), characters])
  const cached = cache?.get(key)
  if (Array.isArray(cached) && cached.length === trueTypeFaces.length && cached.every((bytes) => bytes instanceof Uint8Array)) {
    return trueTypeFaces.map((face, index) => ({ face, bytes: cached[index] as Uint8Array }))
  }
  const subsets: SubsetFace[] = []
  // One at a time: subset-font queues its calls on one WebAssembly instance anyway.
  for (const face of trueTypeFaces) subsets.push({ face, bytes: new Uint8Array(await subsetFont(readFileSync(face.file), characters, { targetFormat: 'sfnt' })) })
  cache?.set(key, subsets.map((subset) => subset.bytes))
  return subsets
}
