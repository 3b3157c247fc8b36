// Cuts the book into chapters by its headings (Pandoc's top-level division), whatever files it was written in.
import type { ElementContent, Root, RootContent } from 'hast'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import { abstractMarker } from '../markdown/metadata-abstract.js'
import { classNames } from './class-names.js'

/** What a level-1 heading opens: a part (level 2 opens its chapters), a chapter, or a section of an article. */
export type Division = 'part' | 'chapter' | 'section'

declare module 'vfile' {
  interface DataMap {
    /** The book's top-level division, as `rehypeChapters` resolved it. */
    division: Division
  }
}

/** LaTeX classes with chapters: Pandoc's `top-level-division: default` makes level-1 headings chapters in them. */
const chapterClasses = new Set(['book', 'report', 'memoir', 'scrbook', 'scrreprt', 'extbook', 'extreport', 'tufte-book'])

/**
 * Pandoc's rule for `top-level-division: default`: sections, unless the `documentclass` has chapters. Galley adds
 * one: a book given as several files has chapters, since each file is one (or more). One file with `#` headings is
 * an article (a journal paper, an essay) unless it says otherwise, as it is in Pandoc's PDF.
 */
export function topLevelDivision(metadata: Pick<Metadata, 'topLevelDivision' | 'documentclass'>, fileCount: number): Division {
  if (metadata.topLevelDivision !== 'default') return metadata.topLevelDivision
  if (metadata.documentclass !== undefined && chapterClasses.has(metadata.documentclass)) return 'chapter'
  return fileCount > 1 ? 'chapter' : 'section'
}

export interface Options {
  metadata: Pick<Metadata, 'topLevelDivision' | 'documentclass'>
}

/**
 * Each input file arrives as one `section.chapter`. In a book (part or chapter division) each is cut again before
 * every heading that opens a chapter (level 1; in parts, levels 1 and 2), and the files are joined as Pandoc joins
 * them, into one text: text before a file's first such heading goes on with the chapter before (only the book's
 * opening text, before any heading, is a chapter without one), and an empty file makes none. So a one-file book gets
 * the chapters the same book in many files has: the print opens each on a recto with its running head, notes can be
 * numbered per chapter, the EPUB gives each a file. An article keeps one section per file. The division is left on
 * `file.data.division`.
 */
export function rehypeChapters(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const division = topLevelDivision(options.metadata, tree.children.filter(isChapter).length)
    file.data.division = division
    if (division === 'section') return
    const children: RootContent[] = []
    let count = 0
    for (const node of tree.children) {
      if (node.type !== 'element' || !isChapter(node)) {
        children.push(node)
        continue
      }
      const pieces = splitAtHeadings(node.children, division === 'part' ? 2 : 1)
      for (const [index, piece] of pieces.entries()) {
        // Nothing, or only page breaks (`\newpage` before the first heading): the next chapter starts a page anyway.
        if (piece.every((child) => isBlank(child) || isPageBreak(child))) continue
        // The abstract waits at the book's start for the title block (`rehypeDocument` takes it there): before the
        // first heading, it is no chapter of its own, which would print as an empty page.
        const next = pieces[index + 1]
        if (next && piece.every((child) => isBlank(child) || isAbstract(child) || isPageBreak(child))) {
          next.unshift(...piece.filter((child) => !isPageBreak(child)))
          continue
        }
        // Text before a file's first chapter heading goes on with the chapter before, as in the one text Pandoc reads.
        const previous = children.findLast(isChapter)
        if (index === 0 && previous?.type === 'element') {
          previous.children.push(...piece)
          continue
        }
        count++
        const part = division === 'part' && headingLevel(piece.find((child) => !isBlank(child))) === 1
        const className = part ? ['chapter', 'part'] : ['chapter']
        children.push({ type: 'element', tagName: 'section', properties: { ...node.properties, className, id: `chapter-${count}` }, children: piece })
      }
    }
    tree.children = children
  }
}

/**
 * The nodes cut before every heading of `level` or above among them (not inside other elements, as Pandoc's
 * sections), each heading with what follows it; the first piece holds what comes before the first heading.
 */
export function splitAtHeadings(nodes: readonly ElementContent[], level: number): ElementContent[][] {
  const pieces: ElementContent[][] = [[]]
  for (const node of nodes) {
    const nodeLevel = headingLevel(node)
    if (nodeLevel !== undefined && nodeLevel <= level) pieces.push([])
    pieces.at(-1)?.push(node)
  }
  return pieces
}

/** 1 to 6 for `h1` to `h6`, else undefined. */
export function headingLevel(node: RootContent | undefined): number | undefined {
  if (node?.type !== 'element') return undefined
  const match = /^h([1-6])$/.exec(node.tagName)
  return match ? Number(match[1]) : undefined
}

export function isChapter(node: RootContent): boolean {
  return node.type === 'element' && node.tagName === 'section' && classNames(node.properties['className']).includes('chapter')
}

function isAbstract(node: RootContent): boolean {
  return node.type === 'element' && node.properties['dataTitleBlock'] === abstractMarker
}

function isPageBreak(node: RootContent): boolean {
  return node.type === 'element' && classNames(node.properties['className']).includes('galley-page-break')
}

export function isBlank(node: RootContent): boolean {
  return (node.type === 'text' && node.value.trim() === '') || node.type === 'comment'
}
