// Inserts soft hyphens by the document language (Chromium's own hyphenation needs a download that never happens).
import type { Element, Root, Text } from 'hast'
import { createRequire } from 'node:module'
import { SKIP, visit } from '../tree-visit.js'

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
  return (tree: Root): void => {
    // Books repeat their words: hyphenate each once, and only those no earlier build did.
    const hyphenated = hyphenator(options.lang, options.known, options.learned ?? new Map())
    if (!hyphenated) return
    visit(tree, (node, _index, parent) => {
      if (node.type === 'element' && skipTags.has((node as Element).tagName)) return SKIP
      if (node.type !== 'text' || !parent) return
      const text = node as Text
      text.value = text.value.replace(words, (word) => (hyphenates(word) ? hyphenated(word) : word))
      return undefined
    })
  }
}

/**
 * Hyphenates the words of some text that are not in `known` before the tree is made, into `into`, for
 * `rehypeHyphenate`'s `known`: work for a thread that would otherwise wait (on citeproc). Words the tree turns out
 * not to have are not kept.
 */
export function hyphenateAhead(lang: string, texts: Iterable<string>, into: Map<string, string>, known?: ReadonlyMap<string, string>): void {
  const hyphenated = hyphenator(lang, undefined, into)
  if (!hyphenated) return
  for (const text of texts) for (const [word] of text.matchAll(words)) if (hyphenates(word) && !known?.has(word)) hyphenated(word)
}

const words = /[^\s/@:_\d]*[\p{L}][^\s]*/gu

/** Whether print hyphenates a word (`galley check` counts on it when it looks for what cannot break). */
export function hyphenates(word: string): boolean {
  return word.length >= 6 && !/[/@:_\d]/.test(word) && !/^https?/.test(word)
}

/** A word → hyphenated word function that looks in `known` and `done` first and records in `done`; none without patterns. */
function hyphenator(lang: string, known: ReadonlyMap<string, string> | undefined, done: Map<string, string>): ((word: string) => string) | undefined {
  const patterns = patternModule(lang)
  if (patterns === undefined) return undefined
  let hyphenate: Hyphenate | undefined
  return (word) => {
    let result = done.get(word)
    if (result === undefined) {
      result = known?.get(word)
      if (result === undefined) {
        hyphenate ??= (require(patterns) as { hyphenateSync: Hyphenate }).hyphenateSync
        result = hyphenate(word, { minWordLength: 6 })
      }
      done.set(word, result)
    }
    return result
  }
}
