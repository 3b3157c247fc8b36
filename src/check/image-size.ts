// An image's size in pixels, read from its file header: PNG, JPEG, GIF and WebP (the raster types Galley publishes).

export interface PixelSize {
  width: number
  height: number
}

/** The pixel size the header states, or undefined for a file that is none of the four types or is cut short. */
export function imageSize(bytes: Uint8Array): PixelSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const ascii = (at: number, length: number): string => String.fromCharCode(...bytes.subarray(at, at + length))
  if (bytes.length >= 24 && ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR') return sized(view.getUint32(16), view.getUint32(20))
  if (bytes.length >= 10 && ascii(0, 4) === 'GIF8') return sized(view.getUint16(6, true), view.getUint16(8, true))
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return webpSize(bytes, view, ascii(12, 4))
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes, view)
  return undefined
}

function sized(width: number, height: number): PixelSize | undefined {
  return width > 0 && height > 0 ? { width, height } : undefined
}

/** The three WebP encodings keep their size in three places (Google's container specification). */
function webpSize(bytes: Uint8Array, view: DataView, chunk: string): PixelSize | undefined {
  if (chunk === 'VP8 ') return sized(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff)
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true)
    return sized((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
  }
  if (chunk === 'VP8X') {
    const width = ((bytes[24] ?? 0) | ((bytes[25] ?? 0) << 8) | ((bytes[26] ?? 0) << 16)) + 1
    const height = ((bytes[27] ?? 0) | ((bytes[28] ?? 0) << 8) | ((bytes[29] ?? 0) << 16)) + 1
    return sized(width, height)
  }
  return undefined
}

/** Walks the JPEG's segments to its start-of-frame marker (SOF0–SOF15, not DHT, JPG or DAC), which holds the size. */
function jpegSize(bytes: Uint8Array, view: DataView): PixelSize | undefined {
  let at = 2
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined
    const marker = bytes[at + 1] ?? 0
    if (marker === 0xff) {
      at += 1 // Fill byte.
      continue
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized(view.getUint16(at + 7), view.getUint16(at + 5))
    }
    // Markers without a length: restart markers and TEM.
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2
      continue
    }
    at += 2 + view.getUint16(at + 2)
  }
  return undefined
}
