// LaTeX macro definitions as Pandoc's latex_macros reads them: found in text, and whole paragraphs of them.
import type { Root } from 'mdast'
import type { Chapter } from './types.js'

/** The head of a definition, up to the `{` of its body: `\newcommand{\name}[2][x]{`, `\def\name#1{`. */
const definition = /\\(?:(?:(?:re)?newcommand|providecommand|DeclareMathOperator)\*?\s*(?:\{\s*\\[A-Za-z]+\s*\}|\\[A-Za-z]+)\s*(?:\[\d\]\s*)?(?:\[[^\]]*\]\s*)?|def\s*\\[A-Za-z]+[^{}\\]*)\{/g

/** Each definition in a piece of LaTeX: its head and its body's brace group. */
export function definitions(text: string): string[] {
  return [...text.matchAll(definition)].map((match) => text.slice(match.index, closingBrace(text, match.index + match[0].length - 1)))
}

/** The index after the `}` that closes the `{` at `open` (or the end of the text). */
function closingBrace(text: string, open: number): number {
  let depth = 0
  for (let at = open; at < text.length; at++) {
    const char = text[at]
    if (char === '\\') at++
    else if (char === '{') depth++
    else if (char === '}' && --depth === 0) return at + 1
  }
  return text.length
}

/** Whether a paragraph's source is nothing but macro definitions: TeX for the formulas, not text (nor raw TeX to drop). */
export function isDefinitionParagraph(text: string): boolean {
  return text.startsWith('\\') && definitions(text).reduce((rest, found) => rest.replace(found, ''), text).trim() === ''
}

/**
 * Pandoc's `latex_macros`: a paragraph that is nothing but macro definitions (`\newcommand{\R}{\mathbb{R}}` on a line
 * of its own) is TeX for the formulas, not text, whether the book has a formula or not. Such paragraphs leave the
 * chapters; their source text (`sourceOf` a chapter: its file's text) is returned.
 */
export function takeDefinitionParagraphs(tree: Root, sourceOf: (chapter: Chapter) => string | undefined): string[] {
  const found: string[] = []
  for (const chapter of tree.children) {
    if (chapter.type !== 'chapter') continue
    const source = sourceOf(chapter)
    if (source === undefined) continue
    chapter.children = chapter.children.filter((node) => {
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      if (node.type !== 'paragraph' || start === undefined || end === undefined) return true
      const text = source.slice(start, end)
      if (!isDefinitionParagraph(text)) return true
      found.push(text)
      return false
    })
  }
  return found
}

/** For a book without formulas: its definition paragraphs are dropped all the same, never shown as text. */
export function remarkDropDefinitionParagraphs() {
  return (tree: Root): void => {
    takeDefinitionParagraphs(tree, (chapter) => String(chapter.data.file.value ?? ''))
  }
}
