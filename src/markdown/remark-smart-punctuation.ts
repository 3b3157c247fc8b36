// Pandoc's `smart` extension: curly quotes and apostrophes, `--` en dash, `---` em dash, `...` ellipsis.
import type { Parent, PhrasingContent, Root } from 'mdast'
import { SKIP, visit } from '../tree-visit.js'

// Pandoc opens a quote after any punctuation but a period (and closing brackets and marks, which here, with no
// quote matching, are too often followed by a closing quote): `x="a"`, `said:"a"` open.
const opensAfter = /[\s([{\u2014\u2013/=:;<>|+&@#%^~_-]/u
const letter = /[\p{L}\p{N}]/u

/**
 * Smartens `text` that follows the character `before` (a space at the start of a block), as Pandoc's reader does:
 * a quote after a space, an opening bracket or a dash opens; one after a letter or punctuation closes; a single
 * quote between letters, or before a number after a space (`'90s`), is an apostrophe.
 */
export function smarten(text: string, before = ' ', after = ''): string {
  if (!/["'.-]/.test(text)) return text
  return text.replace(/---|--|\.\.\.|["']/g, (match: string, offset: number) => {
    if (match === '---') return '\u2014'
    if (match === '--') return '\u2013'
    if (match === '...') return '\u2026'
    // The character before as written: a dash, ellipsis or quote smartened before it reads as the one written.
    const previous = offset === 0 ? before : (text[offset - 1] ?? before)
    // After the text, the first character of what follows it (`"*a*"`: the emphasis starts with a letter).
    const next = text[offset + 1] ?? after
    const opens = opensAfter.test(previous) && next !== '' && !/\s/.test(next)
    if (match === '"') return opens ? '\u201C' : '\u201D'
    if (letter.test(previous)) return '\u2019'
    if (opensAfter.test(previous) && /^\d{2}/.test(text.slice(offset + 1, offset + 3))) return '\u2019'
    return opens ? '\u2018' : '\u2019'
  })
}

/** Blocks whose text reads as one run: quotes can open in one inline node and close in another. */
const runs = new Set(['paragraph', 'heading', 'tableCell'])

export function remarkSmartPunctuation() {
  return (tree: Root): void => {
    visit(tree, (node) => {
      if (!runs.has(node.type)) return undefined
      let previous = ' '
      const walk = (parent: Parent): void => {
        const children = parent.children as PhrasingContent[]
        for (const [index, child] of children.entries()) {
          if (child.type === 'text') {
            child.value = smarten(child.value, previous, firstCharacter(children[index + 1]))
            previous = child.value.at(-1) ?? previous
          } else if (child.type === 'inlineCode' || child.type === 'html') {
            previous = 'x' // Code is left as written; what follows it is not at a word start.
          } else if (child.type === 'break') {
            previous = ' '
          } else if (child.type === 'figureCaption') {
            previous = ' ' // A caption starts afresh after its image.
            walk(child)
          } else if ('children' in child) {
            walk(child)
          } else {
            previous = 'x' // Citations, images, footnote marks read as a word.
          }
        }
      }
      walk(node as Parent)
      return SKIP // Walked: a run holds no other run.
    })
  }
}

/** The first character a reader sees of an inline node ('' for none, a letter for a citation, image or note mark). */
function firstCharacter(node: PhrasingContent | undefined): string {
  if (node === undefined || node.type === 'break') return ''
  if (node.type === 'text' || node.type === 'inlineCode') return node.value[0] ?? ''
  if ('children' in node) return firstCharacter(node.children[0] as PhrasingContent | undefined)
  return 'x'
}
