// How wide text sets in a TrueType/OpenType font, from the font's own tables (`cmap`, `head`, `hhea`, `hmtx`), without a
// browser. Kerning and ligatures are left out: they move a word by a few hundredths of an em.

/** Each mapped code point's glyph, from the font's Unicode `cmap` subtable (format 12, else format 4). */
export function characterGlyphs(font: Uint8Array): Map<number, number> {
  const data = Buffer.from(font.buffer, font.byteOffset, font.byteLength)
  const cmap = tableOffset(data, 'cmap')
  const formats = new Map<number, number>()
  for (let index = 0; index < data.readUInt16BE(cmap + 2); index++) {
    const offset = cmap + data.readUInt32BE(cmap + 4 + index * 8 + 4)
    formats.set(data.readUInt16BE(offset), offset)
  }
  const glyphs = new Map<number, number>()
  const format12 = formats.get(12)
  const format4 = formats.get(4)
  if (format12 !== undefined) {
    for (let group = 0; group < data.readUInt32BE(format12 + 12); group++) {
      const at = format12 + 16 + group * 12
      const [start, end, glyph] = [data.readUInt32BE(at), data.readUInt32BE(at + 4), data.readUInt32BE(at + 8)]
      for (let point = start; point <= end; point++) if (glyph + point - start !== 0) glyphs.set(point, glyph + point - start)
    }
  } else if (format4 !== undefined) {
    const segments = data.readUInt16BE(format4 + 6) / 2
    const ends = format4 + 14
    const starts = ends + segments * 2 + 2
    const deltas = starts + segments * 2
    const rangeOffsets = deltas + segments * 2
    for (let segment = 0; segment < segments; segment++) {
      const [end, start] = [data.readUInt16BE(ends + segment * 2), data.readUInt16BE(starts + segment * 2)]
      const delta = data.readInt16BE(deltas + segment * 2)
      const rangeOffset = data.readUInt16BE(rangeOffsets + segment * 2)
      for (let point = start; point <= end && point !== 0xffff; point++) {
        const listed = rangeOffset === 0 ? point : data.readUInt16BE(rangeOffsets + segment * 2 + rangeOffset + (point - start) * 2)
        const glyph = rangeOffset !== 0 && listed === 0 ? 0 : (listed + delta) & 0xffff
        if (glyph !== 0) glyphs.set(point, glyph)
      }
    }
  } else {
    throw new Error('the font has no cmap subtable of format 4 or 12')
  }
  return glyphs
}

/** The advance of each mapped code point, in em. */
export function characterAdvances(font: Uint8Array): Map<number, number> {
  const data = Buffer.from(font.buffer, font.byteOffset, font.byteLength)
  const unitsPerEm = data.readUInt16BE(tableOffset(data, 'head') + 18)
  const metrics = data.readUInt16BE(tableOffset(data, 'hhea') + 34)
  const hmtx = tableOffset(data, 'hmtx')
  // Glyphs after the last full metric share its advance (monospaced tails).
  const advance = (glyph: number): number => data.readUInt16BE(hmtx + Math.min(glyph, metrics - 1) * 4)
  return new Map([...characterGlyphs(font)].map(([point, glyph]) => [point, advance(glyph) / unitsPerEm]))
}

function tableOffset(data: Buffer, tag: string): number {
  for (let index = 0; index < data.readUInt16BE(4); index++) {
    const record = 12 + index * 16
    if (data.toString('latin1', record, record + 4) === tag) return data.readUInt32BE(record + 8)
  }
  throw new Error(`the font has no ${tag} table`)
}
