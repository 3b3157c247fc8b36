// Reads which characters a TrueType/OpenType font maps to glyphs (its `cmap` table, formats 4 and 12), for tests.

/** The code points with a glyph (other than .notdef) in the font's Unicode cmap subtable. */
export function mappedCodePoints(font: Uint8Array): Set<number> {
  const data = Buffer.from(font.buffer, font.byteOffset, font.byteLength)
  const tables = data.readUInt16BE(4)
  let cmap = -1
  for (let index = 0; index < tables; index++) {
    const record = 12 + index * 16
    if (data.toString('latin1', record, record + 4) === 'cmap') cmap = data.readUInt32BE(record + 8)
  }
  if (cmap < 0) throw new Error('no cmap table')
  const subtables = data.readUInt16BE(cmap + 2)
  const offsets = new Map<number, number>()
  for (let index = 0; index < subtables; index++) {
    const record = cmap + 4 + index * 8
    const offset = cmap + data.readUInt32BE(record + 4)
    offsets.set(data.readUInt16BE(offset), offset)
  }
  const points = new Set<number>()
  const format12 = offsets.get(12)
  const format4 = offsets.get(4)
  if (format12 !== undefined) {
    const groups = data.readUInt32BE(format12 + 12)
    for (let group = 0; group < groups; group++) {
      const at = format12 + 16 + group * 12
      const [start, end, glyph] = [data.readUInt32BE(at), data.readUInt32BE(at + 4), data.readUInt32BE(at + 8)]
      for (let point = start; point <= end; point++) if (glyph + point - start !== 0) points.add(point)
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
        const glyph = rangeOffset === 0 ? (point + delta) & 0xffff : data.readUInt16BE(rangeOffsets + segment * 2 + rangeOffset + (point - start) * 2)
        if (glyph !== 0) points.add(point)
      }
    }
  } else {
    throw new Error('no cmap subtable of format 4 or 12')
  }
  return points
}
