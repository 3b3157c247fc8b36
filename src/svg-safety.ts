// Whether an SVG image is safe to publish: no script, no event handlers, nothing fetched from elsewhere.

/**
 * Why an SVG may not be used, or undefined when it is safe. SVG is a document format: opened from an EPUB or inlined,
 * it can run script and fetch remote files. Galley does not rewrite SVG; it refuses one that holds any of these
 * (a conservative reading: an unusual but harmless file may be refused, never the other way round).
 */
export function unsafeSvgReason(svg: string): string | undefined {
  const text = svg.replace(/<!--[\s\S]*?-->/g, '')
  if (/<(?:[\w-]+:)?script\b/i.test(text)) return 'it contains a script'
  if (/<(?:[\w-]+:)?(?:foreignObject|iframe|embed|object|audio|video|handler|listener)\b/i.test(text)) return 'it embeds other documents'
  if (/\son[a-z]+\s*=/i.test(text)) return 'it has event handlers'
  if (/<!(?:DOCTYPE[^>]*\[|ENTITY)/i.test(text)) return 'it declares entities'
  if (/<(?:[\w-]+:)?(?:set|animate\w*)\b[^>]*attributeName\s*=\s*["']?(?:[\w-]+:)?href/i.test(text)) return 'it animates a link'
  if (/@import/i.test(text)) return 'its style imports a file'
  // Every reference must stay inside the image: `#id`, or a raster image given inline.
  const inside = /^\s*(?:#|data:image\/(?:png|jpeg|gif|webp)[;,])/i
  for (const match of text.matchAll(/\s(?:[\w-]+:)?(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const url = decodeEntities(match[1] ?? match[2] ?? '')
    if (!inside.test(url)) return `it refers to ${url.slice(0, 60) || 'another file'}`
  }
  for (const match of text.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\)/gi)) {
    const url = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '')
    if (!inside.test(url)) return `its style refers to ${url.slice(0, 60) || 'another file'}`
  }
  return undefined
}

/** XML character references and the five named entities, so `&#x6A;avascript:` is read as the reader reads it. */
function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
  return text.replace(/&(?:#x([\da-f]+)|#(\d+)|(\w+));/gi, (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    const code = hex ? Number.parseInt(hex, 16) : decimal ? Number(decimal) : undefined
    if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
    return named[name ?? ''] ?? whole
  })
}
