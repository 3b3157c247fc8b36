// Pandoc's `smart` extension: curly quotes and apostrophes, `--` en dash, `---` em dash, `...` ellipsis.
import type { Parent, PhrasingContent, Root } from 'mdast'
import { visit } from 'unist-util-visit'

const opensAfter = /[\s([{\u2014\u2013/-]/u
const letter = /[\p{L}\p{N}]/u

/**
 * Smartens `text` that follows the character `before` (a space at the start of a block), as Pandoc's reader does:
 * a quote after a space, an opening bracket or a dash opens; one after a letter or punctuation closes; a single
 * quote between letters, or before a number after a space (`'90s`), is an apostrophe.
 */
export function smarten(text: string, before = ' '): string {
  if (!/["'.-]/.test(text)) return text
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? ''
    const previous = i === 0 ? before : (out.at(-1) ?? before)
    const next = text[i + 1] ?? ''
    if (char === '-' && next === '-') {
      const em = text[i + 2] === '-'
      out += em ? '\u2014' : '\u2013'
      i += em ? 2 : 1
    } else if (char === '.' && next === '.' && text[i + 2] === '.') {
      out += '\u2026'
      i += 2
    } else if (char === '"') {
      out += opensAfter.test(previous) && next !== '' && !/\s/.test(next) ? '\u201C' : '\u201D'
    } else if (char === "'") {
      if (letter.test(previous)) out += '\u2019'
      else if (opensAfter.test(previous) && /\d/.test(next) && /\d{2}/.test(text.slice(i + 1, i + 3))) out += '\u2019'
      else out += opensAfter.test(previous) && next !== '' && !/\s/.test(next) ? '\u2018' : '\u2019'
    } else {
      out += char
    }
  }
  return out
}

/** Blocks whose text reads as one run: quotes can open in one inline node and close in another. */
const runs = new Set(['paragraph', 'heading', 'tableCell'])

export function remarkSmartPunctuation() {
  return (tree: Root): void => {
    visit(tree, (node) => {
      if (!runs.has(node.type)) return
      let previous = ' '
      const walk = (parent: Parent): void => {
        for (const child of parent.children as PhrasingContent[]) {
          if (child.type === 'text') {
            child.value = smarten(child.value, previous)
            previous = child.value.at(-1) ?? previous
          } else if (child.type === 'inlineCode' || child.type === 'html') {
            previous = 'x' // Code is left as written; what follows it is not at a word start.
          } else if (child.type === 'break') {
            previous = ' '
          } else if ('children' in child) {
            walk(child)
          } else {
            previous = 'x' // Citations, images, footnote marks read as a word.
          }
        }
      }
      walk(node as Parent)
    })
  }
}
