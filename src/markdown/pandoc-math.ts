// Pandoc's `tex_math_dollars` as a micromark syntax extension: `$…$` inline and `$$…$$` display math, read as raw
// TeX, so no Markdown inline syntax (emphasis, escapes, citations, smart punctuation) ever touches the formula.
import type { CompileContext, Extension as FromMarkdownExtension, Token as MdastToken } from 'mdast-util-from-markdown'
import { asciiDigit, markdownLineEnding, markdownLineEndingOrSpace, markdownSpace } from 'micromark-util-character'
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types'
import type { DisplayMath, InlineMath } from './types.js'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    pandocMathInline: 'pandocMathInline'
    pandocMathDisplay: 'pandocMathDisplay'
    pandocMathMarker: 'pandocMathMarker'
    pandocMathData: 'pandocMathData'
  }
}

const dollar = 36
const backslash = 92
const leftBrace = 123
const rightBrace = 125

/**
 * Display math first, as Pandoc tries it: `$$` opens, then anything but a blank line (which a paragraph cannot hold
 * anyway) up to the next `$$`, with at least one character between. A backslash takes the next character with it,
 * so `\$` never closes (Pandoc 3 reads it so; 2.17 did not).
 */
const displayMath: Construct = { name: 'pandocMathDisplay', tokenize: tokenizeDisplay }

/**
 * Then inline math: `$` not followed by white space or another `$`; raw TeX up to the next `$` that white space does not precede;
 * and that `$` not followed by a digit (`$5 and $6` is no math). A backslash takes the next character with it
 * (`\$`), and `\text{…}` takes a balanced group, which may hold `$` and spaces. Pandoc reads `$$x$`, when no `$$`
 * closes it, as a `$` and the formula `x`.
 */
const inlineMath: Construct = { name: 'pandocMathInline', tokenize: tokenizeInline }

/** The closing `$$` of display math, tried where a `$` may also be part of the formula. */
const doubleDollar: Construct = { tokenize: tokenizeDoubleDollar, partial: true }

/** `\text{…}` after its backslash, for inline math. */
const textGroup: Construct = { tokenize: tokenizeTextGroup, partial: true }

/**
 * A LaTeX math environment outside dollars, `\begin{equation}` … `\end{equation}` (and `align`, `gather`…): Pandoc
 * reads it as raw TeX, and its HTML writers render it as display math with `--mathml`; so it is display math here,
 * the whole environment its TeX. Anything but a blank line may come between (a paragraph holds none anyway).
 */
const mathEnvironment: Construct = { name: 'pandocMathEnvironment', tokenize: tokenizeEnvironment }

/** The environments Pandoc renders as display math when they stand in the text. */
const displayEnvironments = new Set(['equation', 'align', 'alignat', 'gather', 'multline', 'flalign', 'eqnarray'].flatMap((name) => [name, `${name}*`]).concat('displaymath'))

/** The syntax extension for micromark. */
export function pandocMath(): Extension {
  return { text: { [dollar]: [displayMath, inlineMath], [backslash]: [mathEnvironment] } }
}

/**
 * Per parse, per environment name: the end of the text in which an attempt found no `\end{name}`. A later attempt
 * before that point cannot find one either, and fails at once: a paragraph of thousands of `\begin{equation}` that
 * nothing closes is read once, not once per `\begin`. (Keyed by the parser, so nothing outlives a parse.)
 */
const unclosed = new WeakMap<object, Map<string, number>>()

function tokenizeEnvironment(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const opening = '\\begin{'
  let index = 0
  let name = ''
  let closing = ''
  let matched = 0
  let inData = false
  return start

  function start(code: Code): State | undefined {
    effects.enter('pandocMathDisplay')
    effects.enter('pandocMathData')
    inData = true
    return begin(code)
  }

  function begin(code: Code): State | undefined {
    if (index < opening.length) {
      if (code !== opening.charCodeAt(index)) return nok(code)
      index++
      effects.consume(code)
      return begin
    }
    if (code === rightBrace) {
      if (!displayEnvironments.has(name)) return nok(code)
      if (self.now().offset < (unclosed.get(self.parser)?.get(name) ?? -1)) return nok(code)
      closing = `\\end{${name}}`
      effects.consume(code)
      return content
    }
    if (code === null || name.length > 16 || !/[A-Za-z*]/.test(String.fromCharCode(code))) return nok(code)
    name += String.fromCharCode(code)
    effects.consume(code)
    return begin
  }

  function content(code: Code): State | undefined {
    if (code === null) {
      const ends = unclosed.get(self.parser) ?? new Map<string, number>()
      unclosed.set(self.parser, ends)
      ends.set(name, self.now().offset)
      return nok(code)
    }
    if (markdownLineEnding(code)) {
      if (inData) effects.exit('pandocMathData')
      inData = false
      matched = 0
      return contentStart(effects, code, content)
    }
    if (!inData) effects.enter('pandocMathData')
    inData = true
    // `\end{name}` is matched as it goes by: a mismatch starts again, at this character if it is a backslash.
    matched = code === closing.charCodeAt(matched) ? matched + 1 : code === backslash ? 1 : 0
    effects.consume(code)
    if (matched === closing.length) {
      effects.exit('pandocMathData')
      effects.exit('pandocMathDisplay')
      return ok
    }
    return content
  }
}

/** Starts formula content at `code`: data, or a line ending token. */
function contentStart(effects: Effects, code: Code, next: State): State | undefined {
  if (markdownLineEnding(code)) {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return next
  }
  return undefined
}

function tokenizeDisplay(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let size = 0
  let inData = false
  return start

  function start(code: Code): State | undefined {
    effects.enter('pandocMathDisplay')
    return effects.attempt(doubleDollar, content, nok)(code)
  }

  function content(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === dollar && size > 0) {
      if (inData) effects.exit('pandocMathData')
      inData = false
      return effects.attempt(doubleDollar, after, dataDollar)(code)
    }
    if (markdownLineEnding(code)) {
      if (inData) effects.exit('pandocMathData')
      inData = false
      size++
      return contentStart(effects, code, content)
    }
    if (!inData) effects.enter('pandocMathData')
    inData = true
    size++
    effects.consume(code)
    return code === backslash ? escaped : content
  }

  function dataDollar(code: Code): State | undefined {
    effects.enter('pandocMathData')
    inData = true
    size++
    effects.consume(code)
    return content
  }

  function escaped(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return content(code)
    size++
    effects.consume(code)
    return content
  }

  function after(code: Code): State | undefined {
    effects.exit('pandocMathDisplay')
    return ok(code)
  }
}

/** `$$`, opening or closing a display formula, as one marker. */
function tokenizeDoubleDollar(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter('pandocMathMarker')
    effects.consume(code)
    return second
  }

  function second(code: Code): State | undefined {
    if (code !== dollar) return nok(code)
    effects.consume(code)
    effects.exit('pandocMathMarker')
    return ok
  }
}

function tokenizeInline(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let size = 0
  let inData = false
  return start

  function start(code: Code): State | undefined {
    effects.enter('pandocMathInline')
    effects.enter('pandocMathMarker')
    effects.consume(code)
    effects.exit('pandocMathMarker')
    return open
  }

  function open(code: Code): State | undefined {
    if (code === null || code === dollar || markdownLineEndingOrSpace(code)) return nok(code)
    return content(code)
  }

  function enterData(): void {
    if (!inData) effects.enter('pandocMathData')
    inData = true
  }

  function exitData(): void {
    if (inData) effects.exit('pandocMathData')
    inData = false
  }

  function content(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === dollar && size > 0) {
      exitData()
      effects.enter('pandocMathMarker')
      effects.consume(code)
      effects.exit('pandocMathMarker')
      return close
    }
    size++
    if (markdownLineEndingOrSpace(code)) return space(code)
    enterData()
    effects.consume(code)
    return code === backslash ? escaped : content
  }

  /** White space in the formula: a `$` right after it is no closing one, and then there is no formula here. */
  function space(code: Code): State | undefined {
    if (markdownLineEnding(code)) {
      exitData()
      return contentStart(effects, code, space)
    }
    if (markdownSpace(code)) {
      enterData()
      effects.consume(code)
      return space
    }
    if (code === dollar || code === null) return nok(code)
    return content(code)
  }

  function escaped(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === 116 /* t */) return effects.attempt(textGroup, content, escapedCharacter)(code)
    return escapedCharacter(code)
  }

  function escapedCharacter(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) {
      exitData()
      return contentStart(effects, code, content)
    }
    enterData()
    effects.consume(code)
    return content
  }

  function close(code: Code): State | undefined {
    if (asciiDigit(code)) return nok(code)
    effects.exit('pandocMathInline')
    return ok(code)
  }
}

function tokenizeTextGroup(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const word = 'text'
  let index = 0
  let depth = 0
  let inData = true
  return name

  function name(code: Code): State | undefined {
    if (index < word.length) {
      if (code !== word.charCodeAt(index)) return nok(code)
      index++
      effects.consume(code)
      return name
    }
    if (code !== leftBrace) return nok(code)
    return group(code)
  }

  function group(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) {
      if (inData) effects.exit('pandocMathData')
      inData = false
      return contentStart(effects, code, group)
    }
    if (!inData) effects.enter('pandocMathData')
    inData = true
    effects.consume(code)
    if (code === backslash) return groupEscaped
    if (code === leftBrace) depth++
    if (code === rightBrace && --depth === 0) return ok
    return group
  }

  function groupEscaped(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return group(code)
    effects.consume(code)
    return group
  }
}

/** The mdast extension: `inlineMath` and `displayMath` nodes whose `value` is the TeX between the dollars. */
export function pandocMathFromMarkdown(): FromMarkdownExtension {
  return {
    enter: { pandocMathInline: enter('inlineMath'), pandocMathDisplay: enter('displayMath') },
    exit: { pandocMathInline: exit, pandocMathDisplay: exit, pandocMathData: exitData },
  }

  function enter(type: 'inlineMath' | 'displayMath') {
    return function (this: CompileContext, token: MdastToken): undefined {
      const node: InlineMath | DisplayMath = { type, value: '' }
      this.enter(node, token)
      this.buffer()
    }
  }

  function exit(this: CompileContext, token: MdastToken): undefined {
    const value = this.resume()
    const node = this.stack[this.stack.length - 1]
    if (node && 'value' in node) node.value = value
    this.exit(token)
  }

  function exitData(this: CompileContext, token: MdastToken): undefined {
    this.config.enter['data']?.call(this, token)
    this.config.exit['data']?.call(this, token)
  }
}
