// Pandoc's definition lists (a term line, then `:` or `~` definitions): micromark-extension-definition-list, taught Pandoc's `~` marker.
import type { CompileContext, Extension as FromMarkdownExtension, Token as MdastToken } from 'mdast-util-from-markdown'
import { defList } from 'micromark-extension-definition-list'
import type { Code, Construct, Effects, Extension } from 'micromark-util-types'
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
      const start = tokenize.call(this, shim, ok, (code) => nok(real(code)))
      return (code: Code) => {
        tildeMarker = code === tilde
        return start(tildeMarker ? colon : code)
      }
    }
    patched[taught] = true
  }
  return { document: { ...document, [tilde]: patched } }
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
    exit: { defList: exit, defListTerm: exit, defListDescription: exit },
  }

  function exit(this: CompileContext, token: MdastToken): undefined {
    this.exit(token)
  }
}
