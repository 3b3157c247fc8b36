// Reads a figure's description as Markdown, so its caption keeps emphasis, links and citations, as Pandoc's does.
import type { Nodes, Paragraph, PhrasingContent, Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { visit } from '../tree-visit.js'
import { remarkPandocExtensions } from './remark-pandoc-extensions.js'

/**
 * A paragraph holding only an image with a description is a figure (Pandoc's implicit_figures). The parser keeps only
 * the description's plain text (`image.alt`); this reads the description again from the source, as inline Markdown,
 * into a `figureCaption` after the image, where the later passes (citations, smart punctuation) see it and the HTML
 * stage makes it the `<figcaption>`. A description that does not read back to the same text (one broken over lines
 * inside a block quote, say) keeps its plain text.
 */
export function remarkFigureCaptions() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    const place = location(file)
    visit(tree, 'paragraph', (paragraph: Paragraph) => {
      const image = paragraph.children.length === 1 ? paragraph.children[0] : undefined
      if (image?.type !== 'image' || !image.alt?.trim()) return
      const start = image.position?.start.offset
      const end = image.position?.end.offset
      if (start === undefined || end === undefined || !source.startsWith('![', start)) return
      const close = closingBracket(source, start + 1, end)
      if (close === undefined) return
      const caption = readInline(source.slice(start + 2, close))
      if (!caption || toString(caption) !== image.alt) return
      for (const node of caption) shiftPositions(node, start + 2, place)
      paragraph.children.push({ type: 'figureCaption', children: caption })
    })
  }
}

/** The `]` that closes the `[` at `open`, across nested brackets, escapes and code spans; undefined before `end`. */
function closingBracket(source: string, open: number, end: number): number | undefined {
  let depth = 0
  for (let i = open; i < end; i++) {
    const char = source[i]
    if (char === '\\') i += 1
    else if (char === '`') {
      const run = /^`+/.exec(source.slice(i, end))?.[0] ?? '`'
      const closing = source.indexOf(run, i + run.length)
      if (closing !== -1 && closing < end) i = closing + run.length - 1
    } else if (char === '[') depth += 1
    else if (char === ']') {
      depth -= 1
      if (depth === 0) return i
    }
  }
  return undefined
}

/** The inline content of `text` read as one paragraph, or undefined when it reads as anything else. */
function readInline(text: string): PhrasingContent[] | undefined {
  const root = unified().use(remarkParse).use(remarkPandocExtensions).parse(text)
  const only = root.children.length === 1 ? root.children[0] : undefined
  return only?.type === 'paragraph' ? only.children : undefined
}

/** Moves positions read from a slice of the source starting at `base` to where they are in the whole source. */
function shiftPositions(node: Nodes, base: number, place: ReturnType<typeof location>): void {
  visit(node, (inner) => {
    const position = inner.position
    if (!position) return
    for (const point of [position.start, position.end]) {
      const offset = (point.offset ?? 0) + base
      const moved = place.toPoint(offset)
      point.offset = offset
      if (moved) {
        point.line = moved.line
        point.column = moved.column
      }
    }
  })
}
