// The print document, from which both the standalone HTML and the page Chromium prints are written: hyphenated,
// finished part by part, with the words it hyphenated kept for the next build.
import type { Root as HastRoot } from 'hast'
import type { Root as MdastRoot } from 'mdast'
import { contentKey, type Cache, type CacheKind } from '../file-cache.js'
import { hyphenateAhead } from '../html/rehype-hyphenate.js'
import { printDocument } from '../html/print-document.js'
import { SKIP, visit } from '../tree-visit.js'

export interface PrintContext {
  lang: string
  /** Make the page Chromium prints (for a PDF) and/or the standalone HTML. */
  print: boolean
  standalone: boolean
  projectDir: string
  /** The book's chapter files: with `lang`, the key of its hyphenation store. */
  inputs: readonly string[]
  /** The build's caches: the hyphenation store and the finished parts are kept there; none with `--no-cache`. */
  cache: (kind: CacheKind) => Cache | undefined
}

export interface PrintOutput {
  /** While citeproc runs elsewhere, hyphenates the book's new words ahead of `render`. */
  hyphenateAhead(book: MdastRoot): void
  /** The standalone HTML and the HTML to print; hyphenates `tree` in place. `book`: chapter openings and heads. */
  render(tree: HastRoot, book: boolean): { standalone: string | undefined; print: string | undefined }
}

export function openPrintOutput(context: Readonly<PrintContext>): PrintOutput {
  const hyphenation = context.cache('hyphenation')
  const store = hyphenation ? hyphenationStore(hyphenation, context.lang, context.inputs) : undefined
  const previous = store?.previous
  const ahead = new Map<string, string>()
  return {
    hyphenateAhead(book) {
      hyphenateAhead(context.lang, bookText(book), ahead, previous)
    },
    render(tree, book) {
      const learned = new Map<string, string>()
      const printed = printDocument(tree, {
        lang: context.lang,
        book,
        print: context.print,
        standalone: context.standalone,
        projectDir: context.projectDir,
        known: ahead.size === 0 ? previous : new Map([...(previous ?? []), ...ahead]),
        learned,
        parts: context.cache('parts'),
      })
      if (store) updateHyphenation(store, learned, printed.reused > 0)
      return { standalone: printed.standalone, print: printed.print }
    },
  }
}

/** Where the words a book hyphenated are kept between builds, and those an earlier build kept. */
interface HyphenationStore {
  cache: Cache
  key: string
  previous: ReadonlyMap<string, string> | undefined
}

function hyphenationStore(cache: Cache, lang: string, book: readonly string[]): HyphenationStore {
  // One entry per book (its chapter files) and language, so two books in one project keep theirs.
  const key = contentKey([lang, ...book])
  const stored = cache.get(key)
  return { cache, key, previous: stored instanceof Map ? (stored as Map<string, string>) : undefined }
}

/**
 * Keeps the words hyphenated for the next build (a book hyphenates some 15,000 words, and an edit adds a few). When
 * every part was made afresh, only the words the book has now are kept, so the list follows the book as it changes;
 * when some came finished from the cache, their words were not looked at, and the earlier ones stay.
 */
function updateHyphenation(store: HyphenationStore, learned: ReadonlyMap<string, string>, partsReused: boolean): void {
  const previous = store.previous
  const added = [...learned.keys()].some((word) => !previous?.has(word))
  if (partsReused) {
    if (added) store.cache.set(store.key, new Map([...(previous ?? []), ...learned]))
  } else if (added || previous?.size !== learned.size) {
    store.cache.set(store.key, learned)
  }
}

/** The running text of the book tree as written (not headings or code), for `hyphenateAhead`. */
function bookText(book: MdastRoot): string[] {
  const texts: string[] = []
  visit(book, (node) => {
    if (node.type === 'heading') return SKIP
    if (node.type === 'text') texts.push(node.value)
    return undefined
  })
  return texts
}
