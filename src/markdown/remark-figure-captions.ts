// Reads a figure's description as Markdown, so its caption keeps emphasis, links and citations, as Pandoc's does.
import type { Image, Paragraph, Root } from 'mdast'
import type { Node } from 'unist'
import { toString } from 'mdast-util-to-string'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { visit } from '../tree-visit.js'
import { assertDepth } from './remark-depth-limit.js'
import { parseInline } from './parse-inline.js'
import { shiftPositions } from './shift-positions.js'
import type { FigureCaption } from './types.js'

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
      const children = parseInline(source.slice(start + 2, close))
      if (!children) return
      const figureCaption: FigureCaption = { type: 'figureCaption', children }
      shiftPositions(figureCaption, start + 2, place)
      // The parse's nesting limit saw only the description's plain text.
      assertDepth(figureCaption, file)
      if (toString(figureCaption) !== image.alt) return
      paragraph.children.push(figureCaption)
      labelFromCaption(image, figureCaption)
    })
  }
}

const figureLabel = /[ \t]*\\label\{(fig[:-][^{}\s]+)\}/

/**
 * `![Caption.\label{fig:x}](x.png)`, as JOSS papers and other Markdown written for LaTeX label a figure: the figure's
 * label, as `{#fig:x}` would give it, so `\ref{fig:x}` and `@fig:x` number it instead of printing "¿fig:x?"; the
 * `\label` leaves the caption (Pandoc drops it as raw TeX). A figure that has an identifier keeps it.
 */
function labelFromCaption(image: Image, caption: FigureCaption): void {
  const label = figureLabel.exec(image.alt ?? '')?.[1]
  if (!label || image.data?.hProperties?.['id'] !== undefined) return
  for (const child of caption.children) {
    if (child.type !== 'text' || !figureLabel.test(child.value)) continue
    child.value = child.value.replace(figureLabel, '')
    image.alt = (image.alt ?? '').replace(figureLabel, '')
    image.data = { ...image.data, hProperties: { ...image.data?.hProperties, id: label } }
    return
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

