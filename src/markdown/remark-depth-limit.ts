// Refuses absurdly deep nesting (a thousand `>` in a row) before any recursive stage can overflow the stack, and
// block nesting while it is parsed, before its cost runs away.
import type { Root } from 'mdast'
import { blockQuote, list, thematicBreak } from 'micromark-core-commonmark'
import { gfmFootnote } from 'micromark-extension-gfm-footnote'
import type { Code, Construct, Effects, Extension, ParseContext, State, TokenizeContext } from 'micromark-util-types'
import type { Processor } from 'unified'
import type { Node } from 'unist'
import type { VFile } from 'vfile'
import { InputError } from '../errors.js'

export interface Options {
  /** Deepest nesting of blocks and inlines allowed. Default 256, far beyond any real document. */
  maxDepth?: number
}

/**
 * Checks the parsed tree with `assertDepth`, and block quotes, lists and footnote definitions while micromark reads
 * them (`nestingLimit`): opening a thousand of them on one line (`- - - …`, `> > > …`) costs micromark and
 * mdast-util-from-markdown time that grows with the square of the line or worse (20 kB of `- ` took 35 s), so the
 * depth error has to come before the tree exists. Use after `remark-parse`, whose parser it wraps to give that error
 * its file and the text `nestingLimit` reads lines of.
 */
export function remarkDepthLimit(this: Processor, options: Readonly<Options> = {}) {
  const maxDepth = options.maxDepth ?? 256
  // The document being parsed; set around each parse, which is synchronous.
  let source = ''
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(nestingLimit(maxDepth, () => source))
  const parse = this.parser
  if (parse) {
    this.parser = (document, file) => {
      source = document
      try {
        return parse(document, file)
      } catch (error) {
        if (error instanceof NestedTooDeep) throw tooDeep(maxDepth, file, error.place)
        throw error
      } finally {
        source = ''
      }
    }
  }
  return (tree: Root, file: VFile): void => assertDepth(tree, file, maxDepth)
}

/** Throws an `InputError` at the first node nested deeper than `maxDepth` (default 256) below `tree`. */
export function assertDepth(tree: Node, file: VFile, maxDepth = 256): void {
  // Iterative on purpose: recursion is exactly what this guards against.
  const stack: { node: Node; depth: number }[] = [{ node: tree, depth: 0 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: Node; depth: number }
    if (depth > maxDepth) throw tooDeep(maxDepth, file, node.position?.start)
    const children = (node as { children?: Node[] }).children
    if (children) for (const child of children) stack.push({ node: child, depth: depth + 1 })
  }
}

function tooDeep(maxDepth: number, file: VFile, start: { line: number; column: number } | undefined): InputError {
  return new InputError(
    `The manuscript nests more than ${maxDepth} levels deep (block quotes, lists or emphasis inside each other); flatten it`,
    start ? { file: file.path, line: start.line, column: start.column } : { file: file.path },
  )
}

/** Thrown out of micromark by `nestingLimit`, where no file is known; `remarkDepthLimit` turns it into an `InputError`. */
export class NestedTooDeep extends Error {
  constructor(readonly place: { line: number; column: number }) {
    super(`Block nesting deeper than the limit at ${place.line}:${place.column}`)
  }
}

/** How deep the containers of the line micromark is reading are, so far. */
interface LineDepth {
  line: number
  depth: number
  /** Offset of the last container counted as opened on this line. */
  lastOpened: number
}

/**
 * A micromark extension that throws `NestedTooDeep` at the marker of the container that would lie deeper than
 * `maxDepth` in the tree, counting as `assertDepth` does: a list and its item are two levels, a block quote or a
 * footnote definition one. micromark reads each line by continuing the containers open from earlier lines, in order,
 * then opening new ones left to right; the wrappers below count both, line by line. Opening a container is tried
 * twice at one place (a check, then the attempt), so it counts once per offset.
 *
 * Each `-` or `*` list item first checks that the rest of its line is no thematic break (`- - -`), which reads to the
 * line's end: for `- - - … x` that is once per level, and the memory it takes made even the 128 levels up to the limit
 * cost seconds. The check is answered from `source()`, the text being parsed, when the line plainly holds another
 * character after the marker, as `x` there.
 */
export function nestingLimit(maxDepth: number, source: () => string): Extension {
  const depths = new WeakMap<ParseContext, LineDepth>()
  const lastOther = lastOtherCharacter(source)
  const lineDepth = (context: TokenizeContext): LineDepth => {
    const line = context.now().line
    let state = depths.get(context.parser)
    if (state?.line !== line) {
      state = { line, depth: 0, lastOpened: -1 }
      depths.set(context.parser, state)
    }
    return state
  }
  const wrap = (construct: Construct, levels: number): Construct => {
    const continuation = construct.continuation
    return {
      ...construct,
      add: 'before',
      tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State) {
        const start = this.now()
        const opened = (code: Code): State | undefined => {
          const state = lineDepth(this)
          if (start.offset > state.lastOpened) {
            state.lastOpened = start.offset
            state.depth += levels
            if (state.depth > maxDepth) throw new NestedTooDeep({ line: start.line, column: start.column })
          }
          return ok(code)
        }
        const context = this
        const check: Effects['check'] = (constructs, returnState, bogusState) =>
          constructs === thematicBreak && bogusState && lastOther(context.now().offset) !== -1 ? bogusState : effects.check(constructs, returnState, bogusState)
        return construct.tokenize.call(this, construct === list ? { ...effects, check } : effects, opened, nok)
      },
      continuation: continuation && {
        ...continuation,
        tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State) {
          const continued = (code: Code): State | undefined => {
            lineDepth(this).depth += levels
            return ok(code)
          }
          return continuation.tokenize.call(this, effects, continued, nok)
        },
      },
    }
  }
  const listItem = wrap(list, 2)
  const document: Record<number, Construct | Construct[]> = { [62]: wrap(blockQuote, 1) }
  // `[^note]: [^other]: …` nests footnote definitions.
  const footnote = gfmFootnote().document?.[91]
  if (footnote) document[91] = [footnote].flat().map((construct) => wrap(construct, 1))
  // `*`, `+`, `-` and the digits: the characters that start a list item, as in micromark's own table.
  for (const code of [42, 43, 45, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57]) document[code] = listItem
  return { document }
}

/**
 * For an offset, the last character of its line that is neither the character at that offset nor a space or tab, or
 * -1. Remembered per line and character, so that asking again at each level of one line reads the line once.
 */
function lastOtherCharacter(source: () => string): (offset: number) => number {
  let text = ''
  let lineStart = -1
  let lineEnd = -1
  const found = new Map<string, number>()
  return (offset) => {
    if (text !== source() || offset < lineStart || offset >= lineEnd) {
      text = source()
      lineStart = offset
      lineEnd = offset
      while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd += 1
      found.clear()
    }
    const marker = text[offset] ?? ''
    let last = found.get(marker)
    if (last === undefined) {
      last = lineEnd - 1
      while (last >= lineStart && (text[last] === marker || text[last] === ' ' || text[last] === '\t')) last -= 1
      if (last < lineStart) last = -1
      found.set(marker, last)
    }
    return last >= offset ? last : -1
  }
}
