// An SVG image as EPUB 3 takes it: without the DOCTYPE drawing programs write, and without draw.io's diagram copy.

/**
 * Real SVG files carry two things EPUB 3 refuses though browsers ignore them (epubcheck RSC-005, one error per file,
 * or per entity of the DTD): the SVG 1.1 DOCTYPE with its external DTD (Inkscape, matplotlib, diagrams.net, Illustrator
 * write it), and the `content` attribute in which diagrams.net keeps its editable diagram on the root `<svg>`. Both
 * are taken out; what is drawn does not change. A DOCTYPE with an internal subset (`[…]`, entities the drawing may
 * use) is kept, and so is anything that is not UTF-8 text with one root `<svg>`.
 */
export function epubSvg(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8')
  const root = /<svg\b/.exec(text)
  if (!root) return bytes
  const head = text.slice(0, root.index).replace(/<!DOCTYPE\s+svg\b[^[>]*>\s*/i, '')
  const tagEnd = startTagEnd(text, root.index + root[0].length)
  if (tagEnd === undefined) return bytes
  const tag = text.slice(root.index, tagEnd).replace(/\s+content\s*=\s*(?:"[^"]*"|'[^']*')/, '')
  const cleaned = head + tag + text.slice(tagEnd)
  return cleaned.length === text.length ? bytes : Buffer.from(cleaned, 'utf8')
}

/** Where the start tag that begins before `from` ends (after its `>`), reading quoted values whole: `>` may be in them. */
function startTagEnd(text: string, from: number): number | undefined {
  for (let at = from; at < text.length; at++) {
    const char = text[at]
    if (char === '"' || char === "'") {
      const close = text.indexOf(char, at + 1)
      if (close === -1) return undefined
      at = close
    } else if (char === '>') return at + 1
  }
  return undefined
}
