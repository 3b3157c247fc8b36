// Inserts soft hyphens by the document language (Chromium's own hyphenation needs a download that never happens).
import type { Element, Root, Text } from 'hast'
import { createRequire } from 'node:module'
import { SKIP, visit } from 'unist-util-visit'

const require = createRequire(import.meta.url)

export interface Options {
  lang: string
  /** Words hyphenated by an earlier build (word → word with soft hyphens); default none. */
  known?: ReadonlyMap<string, string>
  /** Receives every word this document hyphenates, for the next build's `known`. */
  learned?: Map<string, string>
}

type Hyphenate = (text: string, options?: { minWordLength?: number }) => string

/** `hyphen` pattern module names for BCP 47 tags that differ from them. */
const patternNames: Record<string, string> = { en: 'en-us', de: 'de-1996', el: 'el-monoton', mn: 'mn-cyrl', sr: 'sr-cyrl', no: 'nb' }

/** The `hyphen` pattern module for a language, found without loading it (German's patterns take 90 ms to load). */
function patternModule(lang: string): string | undefined {
  const tag = lang.toLowerCase()
  const language = tag.split('-')[0] ?? tag
  for (const name of [tag, patternNames[tag], patternNames[language], language]) {
    if (!name) continue
    try {
      return require.resolve(`hyphen/${name}/index.js`)
    } catch {
      // Try the next, more general name.
    }
  }
  return undefined
}

/** Never in headings, code, the title block, or words that are URLs, e-mail addresses or identifiers. */
const skipTags = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'script', 'style', 'title', 'header', 'nav', 'svg', 'math'])

/**
 * Soft hyphens in running text, for justified print. A word is left alone when it holds `/`, `@`, `:`, `_`,
 * digits or is short; hyphenated lines are limited by the browser's line breaker, not here.
 */
export function rehypeHyphenate(options: Readonly<Options>) {
  const patterns = patternModule(options.lang)
  return (tree: Root): void => {
    if (patterns === undefined) return
    let hyphenate: Hyphenate | undefined
    // Books repeat their words: hyphenate each once, and only those no earlier build did.
    const done = options.learned ?? new Map<string, string>()
    const hyphenated = (word: string): string => {
      let result = done.get(word)
      if (result === undefined) {
        result = options.known?.get(word)
        if (result === undefined) {
          hyphenate ??= (require(patterns) as { hyphenateSync: Hyphenate }).hyphenateSync
          result = hyphenate(word, { minWordLength: 6 })
        }
        done.set(word, result)
      }
      return result
    }
    visit(tree, (node, _index, parent) => {
      if (node.type === 'element' && skipTags.has((node as Element).tagName)) return SKIP
      if (node.type !== 'text' || !parent) return
      const text = node as Text
      text.value = text.value.replace(/[^\s/@:_\d]*[\p{L}][^\s]*/gu, (word) =>
        word.length < 6 || /[/@:_\d]/.test(word) || /^https?/.test(word) ? word : hyphenated(word),
      )
      return undefined
    })
  }
}
