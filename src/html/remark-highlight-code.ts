// Highlights the book's code blocks at build time with starry-night (GitHub's TextMate grammars), as hast with
// `pl-*` classes: no script, no inline style. Loaded only for a book with a code block in a language; each grammar
// is loaded only when a block uses it. A language no grammar is known for stays plain, without a warning, as in Pandoc.
import type { ElementContent } from 'hast'
import type { Code, Root } from 'mdast'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { contentKey, type Cache } from '../file-cache.js'
import { visit } from '../tree-visit.js'
import { grammarScopes } from './code-languages.js'

export interface Options {
  /** Where the highlighting of earlier builds is kept (language and code → hast), so a rebuild highlights only new blocks. Default none. */
  cache?: Cache | undefined
}

type StarryNightModule = typeof import('@wooorm/starry-night')
type StarryNight = Awaited<ReturnType<StarryNightModule['createStarryNight']>>
type Grammar = import('@wooorm/starry-night').Grammar

/**
 * Pandoc's names (its `--list-highlight-languages`) that are not also starry-night's, for the same languages; the
 * rest of Pandoc's names are starry-night's too.
 */
const pandocNames: Readonly<Record<string, string>> = {
  commonlisp: 'source.commonlisp',
  fortranfixed: 'source.fortran',
  fortranfree: 'source.fortran.modern',
  isocpp: 'source.c++',
  javascriptreact: 'source.js',
  literatehaskell: 'text.tex.latex.haskell',
  objectivecpp: 'source.objc++',
  sqlmysql: 'source.sql',
  sqlpostgresql: 'source.sql',
  gnuassembler: 'source.x86',
  fasm: 'source.assembly',
  modula2: 'source.modula2',
  modula3: 'source.modula-3',
  mandoc: 'text.roff',
  sgml: 'text.xml',
  relaxng: 'text.xml',
}

/** The grammar scope for a class of a code block (`python`, `py`, `{.r}`), or undefined when none is known. */
export function scopeOf(name: string): string | undefined {
  const key = name.toLowerCase()
  if (Object.hasOwn(pandocNames, key)) return pandocNames[key]
  return Object.hasOwn(grammarScopes, key) ? grammarScopes[key] : undefined
}

/** The language of a block: its first class that names a grammar, as Pandoc takes the first class it knows. */
export function languageOf(node: Code): { language: string; scope: string } | undefined {
  const classes = node.data?.attributes?.classes ?? (node.lang ? [node.lang] : [])
  for (const language of classes) {
    const scope = scopeOf(language)
    if (scope) return { language, scope }
  }
  return undefined
}

// starry-night's entry module imports all of its ~700 grammars (0.8 s); its engine is read from its own file instead,
// and each grammar from `@wooorm/starry-night/<scope>` when a block needs it. Neither is bundled (scripts/bundle.mjs).
const load = createRequire(import.meta.url)
let engine: Promise<StarryNightModule> | undefined
function starryNightModule(): Promise<StarryNightModule> {
  const entry = path.join(path.dirname(load.resolve('@wooorm/starry-night')), 'lib', 'index.js')
  engine ??= import(pathToFileURL(entry).href) as Promise<StarryNightModule>
  return engine
}

async function grammar(scope: string): Promise<Grammar | undefined> {
  try {
    return ((await import(`@wooorm/starry-night/${scope}`)) as { default: Grammar }).default
  } catch {
    return undefined // A scope a grammar embeds but starry-night does not ship: that part stays plain.
  }
}

/**
 * A highlighter with the grammars for `scopes` and those they embed (HTML's scripts and styles, a shell's
 * here-documents), registered at once: starry-night builds its registry afresh at each registration.
 */
async function highlighterFor(scopes: Iterable<string>): Promise<StarryNight> {
  const grammars: Grammar[] = []
  const tried = new Set<string>()
  // The blocks' own grammars embed others (one level: a here-document's Markdown does not bring in every language
  // Markdown embeds); those they depend on outright come along at any depth.
  let wanted = [...new Set(scopes)]
  let depth = 0
  while (wanted.length > 0) {
    for (const scope of wanted) tried.add(scope)
    const found = (await Promise.all(wanted.map(grammar))).filter((each): each is Grammar => each !== undefined)
    grammars.push(...found)
    const next = found.flatMap((each) => (depth === 0 ? embedded(each) : [...(each.dependencies ?? [])]))
    wanted = [...new Set(next)].filter((scope) => !tried.has(scope))
    depth += 1
  }
  return (await starryNightModule()).createStarryNight(grammars)
}

/** The other grammars a grammar includes (`{include: 'source.js'}`) or depends on; starry-night lists only the latter. */
function embedded(grammar: Grammar): string[] {
  const found = new Set<string>(grammar.dependencies ?? [])
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item)
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'include' && typeof item === 'string') {
          if (!item.startsWith('#') && !item.startsWith('$')) found.add(item.split('#')[0] ?? item)
        } else walk(item)
      }
    }
  }
  walk(grammar)
  return [...found]
}

export function remarkHighlightCode(options: Readonly<Options> = {}) {
  return async (tree: Root): Promise<void> => {
    const blocks: { node: Code; language: string; scope: string }[] = []
    visit(tree, 'code', (node: Code) => {
      const found = languageOf(node)
      if (found) blocks.push({ node, ...found })
    })
    if (blocks.length === 0) return
    const cacheKey = contentKey(['code'])
    const stored = options.cache?.get(cacheKey)
    const previous = stored instanceof Map ? (stored as Map<string, ElementContent[]>) : undefined
    const highlighted = new Map<string, ElementContent[]>()
    const keyOf = (block: (typeof blocks)[number]): string => `${block.scope}\n${block.node.value}`
    const toDo = blocks.filter((block) => !previous?.has(keyOf(block)))
    const highlighter = toDo.length > 0 ? await highlighterFor(toDo.map((block) => block.scope)) : undefined
    for (const block of blocks) {
      const key = keyOf(block)
      let children = highlighted.get(key) ?? previous?.get(key)
      if (!children && highlighter?.scopes().includes(block.scope)) children = highlighter.highlight(block.node.value, block.scope).children as ElementContent[]
      if (!children) continue
      highlighted.set(key, children)
      // Each block gets its own copy: later passes (hyphenation, line splitting) change the tree in place.
      block.node.data = { ...block.node.data, highlighted: { language: block.language, children: structuredClone(children) } }
    }
    if (options.cache && (previous?.size !== highlighted.size || [...highlighted.keys()].some((key) => !previous.has(key)))) options.cache.set(cacheKey, highlighted)
  }
}
