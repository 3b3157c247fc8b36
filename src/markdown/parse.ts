// Parses one Markdown file (Pandoc's dialect, as far as unified is taught it) into mdast with citation nodes.
import path from 'node:path'
import type { Root } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { readYamlLayer, type Layer } from '../config/metadata.js'
import { remarkAttributes } from './remark-attributes.js'
import { remarkDepthLimit } from './remark-depth-limit.js'
import { remarkFencedDivs } from './remark-fenced-divs.js'
import { remarkFigureCaptions } from './remark-figure-captions.js'
import { remarkHeadingIdText } from './remark-heading-id-text.js'
import { remarkPandocExtensions } from './remark-pandoc-extensions.js'
import { remarkPandocCitations } from './remark-pandoc-citations.js'
import { remarkPandocTables } from './remark-pandoc-tables.js'
import { remarkRawTex } from './remark-raw-tex.js'
import { remarkSubSuper } from './remark-sub-super.js'
import { remarkResources } from './remark-resources.js'
import { remarkSmartPunctuation } from './remark-smart-punctuation.js'
import { remarkTableCaptions } from './remark-table-captions.js'
import { remarkYamlBlocks, yamlFence } from './remark-yaml-blocks.js'

/**
 * The front matter as `remarkYamlBlocks` will read it, and the text after it, without parsing the Markdown: a
 * YAML block between a `---` line at the very start and the next `---` or `...` line (later blocks are not guessed). For guesses made before the parse
 * (`startCiteprocEarly`).
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
}

/**
 * The Markdown half of the chain, in this order: parse (CommonMark, the GFM syntax Pandoc shares, front matter); read front matter
 * and later metadata blocks; simple, multiline and grid tables, found in the source where CommonMark saw rules and paragraphs;
 * Pandoc attributes and fenced divs, which rewrite block structure; figure captions read from the source (after the
 * attributes, which end a figure's paragraph); citations, which need the text exactly as
 * written (escapes, offsets); raw TeX left out (after citations, whose offsets it would shift); `^sup^` and `~sub~`; smart punctuation, as it changes the text; heading id texts, before resources replace
 * a missing image by its description in brackets (an identifier does not change when the file appears); resources;
 * table captions last, as they cut the `Table:` marker out of text that the passes before them read against the
 * source.
 */
export async function parseMarkdown(file: VFile, options: Readonly<ParseOptions> = {}): Promise<Root> {
  const processor = unified()
    .use(remarkParse)
    .use(remarkFrontmatter, [yamlFence(String(file.value))])
    .use(remarkPandocExtensions)
    .use(remarkDepthLimit)
    .use(remarkYamlBlocks)
    .use(remarkPandocTables)
    .use(remarkAttributes)
    .use(remarkFencedDivs)
    .use(remarkFigureCaptions)
    .use(remarkPandocCitations)
    .use(remarkRawTex)
    .use(remarkSubSuper)
    .use(remarkSmartPunctuation)
    .use(remarkHeadingIdText)
    .use(remarkResources, { projectDir: options.projectDir ?? path.resolve(file.cwd), ...(options.resourcePath ? { resourcePath: options.resourcePath } : {}) })
    .use(remarkTableCaptions)
  return (await processor.run(processor.parse(file), file)) as Root
}
