// The GitHub-flavoured syntax that Pandoc's own Markdown also has: footnotes, pipe tables, `~~strikeout~~` and task
// lists; and Pandoc's own `$…$`/`$$…$$` math (`pandoc-math.ts`) and definition lists (`pandoc-definition-lists.ts`). Not GFM's bare-URL autolinks: Pandoc's Markdown leaves `https://…` in running text as text (links are
// written `<https://…>`), and that extension alone cost a third of the parse time.
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote'
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough'
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table'
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item'
import { gfmFootnote } from 'micromark-extension-gfm-footnote'
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough'
import { gfmTable } from 'micromark-extension-gfm-table'
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item'
import type { Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types'
import type { Processor } from 'unified'
import { pandocDefinitionLists, pandocDefinitionListsFromMarkdown } from './pandoc-definition-lists.js'
import { pandocMath, pandocMathFromMarkdown } from './pandoc-math.js'

export function remarkPandocExtensions(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(nearFootnoteCalls(gfmFootnote()), gfmStrikethrough({ singleTilde: false }), gfmTable(), gfmTaskListItem(), pandocMath(), pandocDefinitionLists())
  ;(data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown(), pandocMathFromMarkdown(), pandocDefinitionListsFromMarkdown())
}

/** Tokens at which gfmFootnote's walk back from a `]` stops, having found its opening or that there is none. */
const walkEnds = new Set(['labelImage', 'gfmFootnoteCall', 'labelLink', 'label', 'image', 'link'])

/**
 * The footnote extension with its `]` construct (a note call written `![^a]`) stopped early: for every `]` it walks
 * back through the paragraph's events to the nearest bracket, and when brackets have been closed or never open
 * (20 kB of `](`) that walk is the whole paragraph each time, 21 s in all. An opening more than 1,002 characters back
 * (`![^`, then a label, at most 999 characters as everywhere in CommonMark and in this extension's own note calls and
 * definitions) cannot make a note call, so the walk is cut there; a nearer opening goes to the extension as before.
 * Without any note definition, no walk is needed at all.
 */
function nearFootnoteCalls(extension: Extension): Extension {
  const text = extension.text ?? {}
  const constructs = [text[93] ?? []].flat()
  const near = constructs.map((construct): Construct => ({
    ...construct,
    tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State) {
      // Without note definitions (found before any inline text is read) no call can match.
      if (!this.parser.gfmFootnotes?.length) return nok
      const from = this.now().offset - 1002
      for (let index = this.events.length - 1; index >= 0; index--) {
        const token = this.events[index]?.[1]
        if (!token || token.start.offset < from) return nok
        if (walkEnds.has(token.type)) break
      }
      return construct.tokenize.call(this, effects, ok, nok)
    },
  }))
  return { ...extension, text: { ...text, [93]: near } }
}
