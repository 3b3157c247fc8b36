// Writes tiny, valid PNG bar charts with node:zlib, so benchmark books have real images and no image dependency.
import { deflateSync } from 'node:zlib'

/** An sRGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number]

const crcTable = ((): Uint32Array => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(body.length + 8)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), body.length + 4)
  return out
}

/**
 * A `width`×`height` RGB PNG: a light background, a baseline and one bar per value (0–1) in `colour`.
 * Bars rather than a flat fill so a reader looking at a rendered page can tell the figures apart.
 */
export function barChartPng(width: number, height: number, values: readonly number[], colour: Rgb): Buffer {
  const background: Rgb = [246, 244, 239]
  const axis: Rgb = [60, 60, 60]
  const stride = width * 3 + 1
  const pixels = Buffer.alloc(stride * height)
  const margin = Math.round(height * 0.1)
  const baseline = height - margin
  const slot = (width - 2 * margin) / Math.max(1, values.length)
  for (let y = 0; y < height; y++) {
    // Filter type 0 (None) on every row: compression is not the point here.
    pixels[y * stride] = 0
    for (let x = 0; x < width; x++) {
      let rgb = background
      const bar = Math.floor((x - margin) / slot)
      const inSlot = (x - margin) % slot
      const value = values[bar]
      if (y === baseline && x >= margin && x < width - margin) rgb = axis
      else if (value !== undefined && x >= margin && inSlot > slot * 0.2 && inSlot < slot * 0.8) {
        const top = baseline - Math.round(value * (baseline - margin))
        if (y >= top && y < baseline) rgb = colour
      }
      const at = y * stride + 1 + x * 3
      pixels[at] = rgb[0]
      pixels[at + 1] = rgb[1]
      pixels[at + 2] = rgb[2]
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // colour type: truecolour RGB
  header[10] = 0 // compression
  header[11] = 0 // filter method
  header[12] = 0 // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', new Uint8Array(0)),
  ])
}
