// Pandoc's `abstract:` is Markdown: read like the chapters, so its citations, formulas and emphasis come out as theirs.
import type { Root } from 'mdast'
import { VFile } from 'vfile'
import { visit } from '../tree-visit.js'
import { parseMarkdown, type ParseOptions } from './parse.js'
import type { FencedDiv } from './types.js'

/** The `data-title-block` value of the abstract's div, by which the HTML stage moves it into the title block. */
export const abstractMarker = 'abstract'

/**
 * Puts the abstract, read as Markdown, at the head of the book's first chapter in a `div.abstract`; the document stage
 * (`rehypeDocument`) moves it into the title block once citations and formulas are done. Its messages go to
 * `reportTo` (the first chapter), without places: they are places in the metadata, not in the chapter.
 */
export async function insertAbstract(book: Root, abstract: string, reportTo: VFile, options: Readonly<ParseOptions>): Promise<void> {
  const first = book.children[0]
  if (first?.type !== 'chapter') return
  const file = new VFile({ path: reportTo.path, cwd: reportTo.cwd, value: abstract })
  const tree = await parseMarkdown(file, options)
  // The parse's own messages, their rules unchanged.
  for (const message of file.messages) reportTo.message(`In the abstract: ${message.reason}`, { ruleId: message.ruleId, source: message.source ?? 'galley:markdown' })
  // Offsets into the abstract's text would be read against the chapter's source by later passes.
  visit(tree, (node) => {
    delete node.position
  })
  const div: FencedDiv = {
    type: 'fencedDiv',
    children: tree.children.filter((node) => node.type !== 'yaml') as FencedDiv['children'],
    data: { hName: 'div', hProperties: { className: ['abstract'], dataTitleBlock: abstractMarker } },
  }
  first.children.unshift(div)
}
