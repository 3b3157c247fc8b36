// Parses one Markdown file (Pandoc's dialect, as far as unified is taught it) into mdast with citation nodes.
import path from 'node:path'
import type { Root } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { readYamlLayer, type Layer } from '../config/metadata.js'
import { remarkAttributes } from './remark-attributes.js'
import { remarkBrackets } from './remark-brackets.js'
import { remarkCallouts } from './remark-callouts.js'
import { remarkCodeAttributes } from './remark-code-attributes.js'
import { remarkDefinitionTerms } from './remark-definition-terms.js'
import { remarkDepthLimit } from './remark-depth-limit.js'
import { remarkEscapedSpaces } from './remark-escaped-spaces.js'
import { remarkExampleLists } from './remark-example-lists.js'
import { remarkFancyLists } from './remark-fancy-lists.js'
import { remarkFencedDivs } from './remark-fenced-divs.js'
import { remarkFigureCaptions } from './remark-figure-captions.js'
import { remarkHeadingIdText } from './remark-heading-id-text.js'
import { remarkLineBlocks } from './remark-line-blocks.js'
import './micromark-edit-map.js' // Before any parse: containers separated by blank lines in linear time.
import { remarkPandocExtensions } from './remark-pandoc-extensions.js'
import { remarkPandocCitations } from './remark-pandoc-citations.js'
import { remarkPandocTables } from './remark-pandoc-tables.js'
import { remarkQuartoShortcodes } from './remark-quarto-shortcodes.js'
import { remarkRawTex } from './remark-raw-tex.js'
import { remarkSubSuper } from './remark-sub-super.js'
import { remarkResources } from './remark-resources.js'
import { remarkSmartPunctuation } from './remark-smart-punctuation.js'
import { remarkTableCaptions, remarkTableLabels } from './remark-table-captions.js'
import { remarkUnsupported } from './remark-unsupported.js'
import { remarkTexReferences } from './remark-tex-references.js'
import { remarkYamlBlocks, yamlFence } from './remark-yaml-blocks.js'

/**
 * The front matter as `remarkYamlBlocks` will read it, and the text after it, without parsing the Markdown: a
 * YAML block between a `---` line at the very start and the next `---` or `...` line (later blocks are not guessed). For guesses made before the parse
 * (`citations/guess.ts`).
 */
export function frontMatterOf(file: VFile): { layer: Layer | undefined; body: string } {
  const text = String(file.value)
  const match = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text)
  if (!match) return { layer: undefined, body: text }
  const layer = readYamlLayer(match[1] ?? '', file.path, path.dirname(path.resolve(file.cwd, file.path)), 2)
  return { layer, body: text.slice(match[0].length) }
}

export interface ParseOptions {
  /** Absolute project directory: images must be inside it. Default: the file's `cwd`. */
  projectDir?: string
  /**
   * Absolute folders where an image not found beside its chapter is looked for (Pandoc's `--resource-path`), still
   * only inside the project. Default: the file's `cwd`, as Pandoc's default is the working directory.
   */
  resourcePath?: readonly string[]
  /** Pandoc's `--default-image-extension`: added to image paths without one. */
  defaultImageExtension?: string
  /** The folder the file's image paths are relative to, when not its own (a file Quarto includes: its main file's). */
  baseDir?: string
}

/**
 * The Markdown half of the chain, in this order: parse (CommonMark, the GFM syntax Pandoc shares, front matter); read front matter
 * and later metadata blocks; definition lists whose terms run over several lines read again as Pandoc's paragraphs; simple, multiline and grid tables, found in the source where CommonMark saw rules and paragraphs;
 * inline notes and bracketed spans, before the heading attributes (`# A [b]{.c}` ends in a span) and the citations
 * (`[@doe]{.x}` is a span, `^[see @doe]` a note, as Pandoc reads them); Pandoc attributes (of code blocks too) and fenced divs, which rewrite block structure; line blocks, example lists and fancy lists, in the paragraphs the divs leave (example numbers before the citations would read `@label`); figure captions read from the source (after the
 * attributes, which end a figure's paragraph); citations, which need the text exactly as
 * written (escapes, offsets); LaTeX's `\ref{x}` and `\eqref{x}` as cross-references; a table caption's `\label{tab:x}` as its label; raw TeX left out (after citations,
 * whose offsets it would shift); Quarto's shortcodes (`{{< pagebreak >}}` a page break as `\newpage` is, the others reported); callouts (after citations too: an alert's `[!NOTE]` is cut from its text); `^sup^` and `~sub~`; escaped spaces as no-break spaces (after the passes that read the text against the source); smart punctuation, as it changes the text; heading id texts, before resources replace
 * a missing image by its description in brackets (an identifier does not change when the file appears); resources;
 * table captions, as they cut the `Table:` marker out of text that the passes before them read against the
 * source; last, warnings for the Pandoc syntax still not read, in what all the others left as text.
 */
export async function parseMarkdown(file: VFile, options: Readonly<ParseOptions> = {}): Promise<Root> {
  const processor = unified()
    .use(remarkParse)
    .use(remarkFrontmatter, [yamlFence(String(file.value))])
    .use(remarkPandocExtensions)
    .use(remarkDepthLimit)
    .use(remarkYamlBlocks)
    .use(remarkDefinitionTerms)
    .use(remarkPandocTables)
    .use(remarkBrackets)
    .use(remarkAttributes)
    .use(remarkCodeAttributes)
    .use(remarkFencedDivs)
    .use(remarkLineBlocks)
    .use(remarkExampleLists)
    .use(remarkFancyLists)
    .use(remarkFigureCaptions)
    .use(remarkPandocCitations)
    .use(remarkTexReferences)
    .use(remarkTableLabels)
    .use(remarkRawTex)
    .use(remarkQuartoShortcodes)
    .use(remarkCallouts)
    .use(remarkSubSuper)
    .use(remarkEscapedSpaces)
    .use(remarkSmartPunctuation)
    .use(remarkHeadingIdText)
    .use(remarkResources, {
      projectDir: options.projectDir ?? path.resolve(file.cwd),
      ...(options.resourcePath ? { resourcePath: options.resourcePath } : {}),
      ...(options.defaultImageExtension ? { defaultImageExtension: options.defaultImageExtension } : {}),
      ...(options.baseDir ? { baseDir: options.baseDir } : {}),
    })
    .use(remarkTableCaptions)
    .use(remarkUnsupported)
  return (await processor.run(processor.parse(file), file)) as Root
}
