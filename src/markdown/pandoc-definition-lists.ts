// Pandoc's definition lists (a term line, then `:` or `~` definitions): micromark-extension-definition-list, taught Pandoc's `~` marker.
import type { CompileContext, Extension as FromMarkdownExtension, Token as MdastToken } from 'mdast-util-from-markdown'
import { defList } from 'micromark-extension-definition-list'
import type { Code, Construct, Effects, Event, Extension, Resolver, State } from 'micromark-util-types'
import type { DefinitionDescription, DefinitionList, DefinitionTerm } from './types.js'

const colon = 58
const tilde = 126
const taught = Symbol('galley: reads ~ as :')

/**
 * The extension reads PHP Markdown Extra's lists, whose definitions start with `:` only; Pandoc's also start with `~`.
 * Its construct checks the marker once, on the first character it is given, and its continuation tries the same
 * construct object for the next definition, so the one patch is to that object: the first character handed to it is
 * read as `:` when it is `~`, and consumed or refused as the `~` it is (so the marker token spans the `~` as written). Idempotent, and it refuses a version
 * whose construct no longer has this shape rather than reading lists wrongly.
 */
function withTilde(extension: Extension): Extension {
  const document = extension.document ?? {}
  const construct = document[colon]
  if (!construct || Array.isArray(construct) || (construct as Construct).name !== 'defList' || typeof (construct as Construct).tokenize !== 'function') {
    throw new Error('micromark-extension-definition-list changed shape: check src/markdown/pandoc-definition-lists.ts against it')
  }
  const patched = construct as Construct & { [taught]?: true }
  if (!patched[taught]) {
    const tokenize = patched.tokenize
    patched.tokenize = function (effects, ok, nok) {
      // The marker reaches the construct as `:` and is consumed, or refused, as the `~` it is.
      let tildeMarker = false
      const real = (code: Code): Code => {
        const marker = tildeMarker && code === colon
        tildeMarker = false
        return marker ? tilde : code
      }
      const shim: Effects = Object.create(effects)
      shim.consume = (code) => effects.consume(real(code))
      const refuse = (code: Code) => nok(real(code))
      let start: State
      if (this.containerState?.type == null) {
        // A new list: the extension's own test for a term before it walks back over the whole document each time
        // (`:::` lines after paragraphs: quadratic), so the same test is made here, walking back only as far as it
        // must, and the construct is told the list is open, as its test would have opened it.
        if (!possibleTerm(this.events)) return refuse
        this.containerState ??= {}
        this.containerState.type = 'defList'
        start = tokenize.call(this, shim, ok, refuse)
        effects.enter('defList', { _container: true })
      } else start = tokenize.call(this, shim, ok, refuse)
      return (code: Code) => {
        tildeMarker = code === tilde
        return start(tildeMarker ? colon : code)
      }
    }
    patched.resolveAll = bySegments(patched.resolveAll)
    patched[taught] = true
  }
  return { document: { ...document, [tilde]: patched } }
}

/**
 * Whether the line before may be a definition's term, as the extension's `checkPossibleDefTerm` decides it: the flow
 * that the document's trailing run of flow chunks feeds, read back from its end (past one blank line at most, and
 * not before the run's first chunk), ends in a paragraph or a table row. The run's first chunk is looked for only as
 * far back as the flow is read, not to the start of the document each time.
 */
function possibleTerm(events: Event[]): boolean {
  const last = events.at(-1)
  if (events.length <= 1 || !last) return false
  const lazyLines = (last[2].parser as unknown as { lazy: Record<number, boolean> }).lazy
  let index = events.length - 1
  let quoted = false
  let ended = false
  let flowEvents: Event[] | undefined
  let runStart = Infinity
  const stepBack = (): void => {
    const event = events[index]
    if (!event) {
      ended = true
      return
    }
    const [kind, token] = event
    if (index === events.length - 1 && token.type === 'blockQuote' && kind === 'exit') quoted = true
    else if (token.type === 'chunkFlow') {
      if (kind === 'enter') {
        flowEvents ??= (token as typeof token & { _tokenizer?: { events: Event[] } })._tokenizer?.events
        runStart = token.start.offset
      }
    } else if (!between.has(token.type)) {
      ended = true
      return
    }
    index--
  }
  while (!ended && !flowEvents) stepBack()
  if (!flowEvents) return false
  let blankLines = 0
  for (let at = flowEvents.length - 1; at >= 0; at--) {
    const [kind, token] = flowEvents[at] as Event
    while (!ended && token.start.offset < runStart) stepBack()
    if (token.start.offset < runStart) return false
    if (kind === 'enter' && token.type === 'lineEndingBlank') {
      if (blankLines >= 1) return false
      blankLines++
    }
    if (!flowFiller.has(token.type)) {
      if (quoted && !lazyLines[token.end.line]) return false
      return termTypes.has(token.type)
    }
  }
  return false
}

const flowFiller = new Set(['lineEnding', 'linePrefix', 'lineEndingBlank', 'content'])
const termTypes = new Set(['paragraph', 'chunkContent', 'tableHead', 'tableRow'])

/** The tokens that may stand between two definition lists the extension joins into one (its `ignorablePrefixTypes`). */
const between = new Set(['linePrefix', 'blockQuotePrefix', 'blockQuoteMarker', 'blockQuotePrefixWhitespace'])

/**
 * The extension's resolver builds each list's terms and definitions by splicing the document's whole event list, and
 * reads a list whose items have blank lines between them as one list per item, joined afterwards with one more splice
 * each: time grew with the square of the items (4,000 items: 6 s). The same resolver, given the events one top-level
 * list at a time (from the end of the list before, so the paragraph it takes as the term is in its part), makes the
 * same edits; the joins across the parts are then made in one pass, as the extension makes them: a list's exit, the
 * prefixes after it and the next list's enter go when nothing else stands between them, and each exit left holds its
 * list's enter token.
 */
function bySegments(resolveAll: Resolver | undefined): Resolver {
  if (!resolveAll) throw new Error('micromark-extension-definition-list changed shape: its construct has no resolveAll')
  return (events, context) => {
    const resolved: Event[] = []
    let start = 0
    let depth = 0
    for (let index = 0; index < events.length; index++) {
      const [kind, token] = events[index] as Event
      if (token.type !== 'defList') continue
      depth += kind === 'enter' ? 1 : -1
      if (depth === 0) {
        for (const event of resolveAll(events.slice(start, index + 1), context)) resolved.push(event)
        start = index + 1
      }
    }
    if (start === 0) return events
    for (let index = start; index < events.length; index++) resolved.push(events[index] as Event)
    return joinAdjacent(resolved)
  }
}

function joinAdjacent(events: Event[]): Event[] {
  const joined: Event[] = []
  const open: Event[1][] = []
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as Event
    if (event[1].type !== 'defList') {
      joined.push(event)
      continue
    }
    if (event[0] === 'enter') {
      open.push(event[1])
      joined.push(event)
      continue
    }
    let next = index + 1
    while (next < events.length && between.has((events[next] as Event)[1].type)) next++
    const following = events[next]
    if (following && following[0] === 'enter' && following[1].type === 'defList') {
      // The next list's enter goes too, so its exit will close the list still open.
      event[1].end = { ...following[1].end }
      index = next
      continue
    }
    const enter = open.pop()
    if (!enter) throw new Error('micromark-extension-definition-list: a definition list closed that never opened')
    joined.push([event[0], enter, event[2]])
  }
  return joined
}

export const pandocDefinitionLists = (): Extension => withTilde(defList)

/** The mdast extension: `defList` holding `defListTerm`s and `defListDescription`s (`spread` when loose). */
export function pandocDefinitionListsFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      defList(this: CompileContext, token: MdastToken): undefined {
        const node: DefinitionList = { type: 'defList', children: [] }
        this.enter(node, token)
      },
      defListTerm(this: CompileContext, token: MdastToken): undefined {
        const node: DefinitionTerm = { type: 'defListTerm', children: [] }
        this.enter(node, token)
      },
      defListDescription(this: CompileContext, token: MdastToken): undefined {
        // The extension marks a definition after a blank line `_loose` on its token.
        const node: DefinitionDescription = { type: 'defListDescription', spread: Boolean((token as MdastToken & { _loose?: boolean })._loose), children: [] }
        this.enter(node, token)
      },
    },
    exit: { defList: exit, defListTerm: exit, defListDescription: exitDescription },
  }

  function exit(this: CompileContext, token: MdastToken): undefined {
    this.exit(token)
  }

  /**
   * Pandoc reads a definition as loose, its paragraphs as paragraphs, also when a blank line comes between its blocks
   * (`:   One.\n\n    Two.`: its reader adds a blank line to the text of a definition that goes on after one). Tight,
   * the paragraphs would lose their `<p>` and run into each other ("One.Two.").
   */
  function exitDescription(this: CompileContext, token: MdastToken): undefined {
    const node = this.stack[this.stack.length - 1]
    if (node?.type === 'defListDescription' && !node.spread) {
      node.spread = node.children.some((child, index) => {
        const next = node.children[index + 1]
        return next?.position && child.position ? next.position.start.line > child.position.end.line + 1 : false
      })
    }
    this.exit(token)
  }
}
