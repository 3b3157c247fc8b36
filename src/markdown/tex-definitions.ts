// LaTeX macro definitions as Pandoc's latex_macros reads them: found in text, and whole paragraphs of them.

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
