// Which characters a TrueType/OpenType font maps to glyphs (its `cmap` table, formats 4 and 12), for tests.
import { characterGlyphs } from '../../src/check/font-metrics.js'

/** The code points with a glyph (other than .notdef) in the font's Unicode cmap subtable. */
export function mappedCodePoints(font: Uint8Array): Set<number> {
  return new Set(characterGlyphs(font).keys())
}
