// The mdast nodes Galley adds to Markdown, and the typed data stages pass each other on `file.data`.
import type { BlockContent, Data, Literal, Parent, PhrasingContent } from 'mdast'
import type {} from 'mdast-util-to-hast' // Brings the `hName`/`hProperties` fields of mdast `Data`.
import type { Point } from 'unist'

/** One `@key` inside a citation, with the affixes exactly as written (locators are split off by the citations stage). */
export interface CitationItemSyntax {
  key: string
  prefix: string
  suffix: string
  suppressAuthor: boolean
  /** Where the `@` of the key is in the source. */
  start: Point
}

/**
 * A Pandoc citation: `[see @a, p. 3; -@b]` (mode `normal`) or `@a [p. 3]` (mode `narrative`).
 * `value` is the source text, kept so unprocessed citations degrade to what the author wrote.
 */
export interface Citation extends Literal {
  type: 'citation'
  mode: 'normal' | 'narrative'
  items: CitationItemSyntax[]
  /** The affixes are Markdown source (`[*cf.* @a]`, whose markup split the text): the citations stage formats them. */
  markdownAffixes?: boolean
  /** A LaTeX reference, `\ref{x}`, `\eqref{x}`… (`remarkTexReferences`): a cross-reference to any label, never a citation. */
  texCommand?: 'ref' | 'eqref' | 'autoref' | 'cref' | 'Cref'
  data?: Data
}

declare module 'mdast' {
  interface ParagraphData {
    /**
     * The file a paragraph of only `{{< include FILE >}}` names, as written (`remarkQuartoShortcodes`); `expandIncludes`
     * puts the file's content in its place, or reports why it cannot and leaves the text.
     */
    quartoInclude?: string
    /**
     * A table's `: caption` after a blank line below a simple, multiline or grid table, which CommonMark read as a
     * definition of the table's text (`remarkPandocTables`); its marker is gone with the list.
     */
    tableCaption?: boolean
  }
  interface HeadingData {
    /** The text its identifier is made from, as written (`remarkHeadingIdText`). */
    idText?: string
  }
  interface TableData {
    /**
     * A grid table with cells across columns or rows (their `colSpan`/`rowSpan` in the cells' `hProperties`) or a
     * header of other than one row: how many of its first rows are the header (`remarkPandocTables`).
     */
    headerRows?: number
  }
  interface PhrasingContentMap {
    citation: Citation
  }
  interface RootContentMap {
    citation: Citation
  }
}

/** What the HTML stage makes of a formula (`remarkMathToMathml`): its MathML, or the fallback for TeX that does not parse. */
export interface MathData extends Data {
  mathml?: import('hast').ElementContent[]
  /** The TeX to render when it is not the source as written: without the `\label{…}`s of a numbered equation. */
  tex?: string
  /** A numbered equation's numbers (`remarkCrossref`), each with its label: one, or one per `\label` of an `align`. */
  numbers?: { label: string; index: string }[]
}

/** Pandoc's inline math, `$…$` (`pandoc-math.ts`): the TeX as written between the dollars. */
export interface InlineMath extends Literal {
  type: 'inlineMath'
  data?: MathData
}

/** Pandoc's display math, `$$…$$`: inline content too, as in Pandoc, set on a line of its own. */
export interface DisplayMath extends Literal {
  type: 'displayMath'
  data?: MathData
}

declare module 'mdast' {
  interface PhrasingContentMap {
    inlineMath: InlineMath
    displayMath: DisplayMath
  }
  interface RootContentMap {
    inlineMath: InlineMath
    displayMath: DisplayMath
  }
}

/** A figure's caption, read from its image's description (`remarkFigureCaptions`); it follows the image in its paragraph. */
export interface FigureCaption extends Parent {
  type: 'figureCaption'
  children: PhrasingContent[]
  data?: Data
}

declare module 'mdast' {
  interface PhrasingContentMap {
    figureCaption: FigureCaption
  }
  interface RootContentMap {
    figureCaption: FigureCaption
  }
}

/** A Pandoc fenced div, `::: {#refs .class}` … `:::`; rendered as a `<div>` with those attributes. */
export interface FencedDiv extends Parent {
  type: 'fencedDiv'
  children: BlockContent[]
  data?: Data
}

declare module 'mdast' {
  interface BlockContentMap {
    fencedDiv: FencedDiv
  }
  interface RootContentMap {
    fencedDiv: FencedDiv
  }
}

/** A Pandoc definition list (`pandoc-definition-lists.ts`): each term followed by its definitions. */
export interface DefinitionList extends Parent {
  type: 'defList'
  children: (DefinitionTerm | DefinitionDescription)[]
  data?: Data
}

export interface DefinitionTerm extends Parent {
  type: 'defListTerm'
  children: PhrasingContent[]
  data?: Data
}

/** One definition; `spread` when a blank line comes before it (Pandoc's loose list: its paragraphs stay paragraphs). */
export interface DefinitionDescription extends Parent {
  type: 'defListDescription'
  spread: boolean
  children: BlockContent[]
  data?: Data
}

declare module 'mdast' {
  interface BlockContentMap {
    defList: DefinitionList
  }
  interface RootContentMap {
    defList: DefinitionList
    defListTerm: DefinitionTerm
    defListDescription: DefinitionDescription
  }
}

/** A table's `Table: …` caption (`remarkTableCaptions`): the table's first child, before its rows. */
export interface TableCaption extends Parent {
  type: 'tableCaption'
  children: PhrasingContent[]
  data?: Data
}

declare module 'mdast' {
  interface TableContentMap {
    tableCaption: TableCaption
  }
  interface RootContentMap {
    tableCaption: TableCaption
  }
}

declare module 'vfile' {
  interface DataMap {
    /** The YAML front matter of this file, parsed into a metadata layer. */
    frontMatter: import('../config/metadata.js').Layer
    /** The source offsets [start, end) of the YAML blocks `remarkYamlBlocks` took out of the tree, so no later pass reads their fences as Markdown. */
    yamlBlocks: [number, number][]
    /** Files the parse looked for (absolute path, what `probeImage` said of it): a cached parse depends on them too. */
    probedFiles: [string, string][]
    /** Where the book's citations came from: the cache, citeproc in the early worker, or citeproc on this thread. */
    citeproc: 'cache' | 'worker' | 'main'
    /** The bibliography entries the book cites or lists through `nocite`, as the citations stage found them. */
    citedKeys: string[]
  }
}

declare module 'hast' {
  interface ElementData {
    /** A heading's `idText`, carried from mdast to `rehypeHeadingIds`. */
    idText?: string
  }
}

/**
 * One input file of a book, or a stretch of one: its content and the VFile that its messages belong to. A file with
 * Quarto includes at its top level is cut into several, the included file's content between (`expandIncludes`), so
 * every node keeps the file its position is in; `input` is the input file it was read for (the same for all its
 * stretches and the files they include), `included` is set for an included file's.
 */
export interface Chapter extends Parent {
  type: 'chapter'
  children: import('mdast').RootContent[]
  data: Data & { file: import('vfile').VFile; index: number; input?: number; included?: boolean }
}

declare module 'mdast' {
  interface RootContentMap {
    chapter: Chapter
  }
}

/** A code block's Pandoc attributes (`remarkCodeAttributes`): ```` ```{#id .python .numberLines startFrom="5"} ````. */
export interface CodeAttributes {
  id?: string
  /** In the order written; the first one a grammar is known for is the language, as in Pandoc. */
  classes: string[]
  /** `.numberLines` (or `.number-lines`): lines numbered from `startFrom` (default 1). */
  numberLines: boolean
  startFrom: number
  /** Other `key=value` attributes, as inert `data-*` properties. */
  properties: import('hast').Properties
}

declare module 'mdast' {
  interface CodeData {
    attributes?: CodeAttributes
    /** The highlighted code (`remarkHighlightCode`) and the language it was read as. */
    highlighted?: { language: string; children: import('hast').ElementContent[] }
    /** A listing's caption read from a paragraph beside the block (`codeBlockCaptions`), until `remarkCrossref` numbers it. */
    caption?: import('mdast').PhrasingContent[]
  }
}

/** The five kinds of callout, Quarto's and GitHub's alike. */
export type CalloutKind = 'note' | 'tip' | 'important' | 'warning' | 'caution'

/**
 * A callout (`remarkCallouts`): Quarto's `::: {.callout-note}` or GitHub's `> [!NOTE]`. Its first child is its
 * `calloutTitle` when the author gave one (`title="…"` or a first heading); otherwise the HTML stage writes the kind's
 * name in the document's language.
 */
export interface Callout extends Parent {
  type: 'callout'
  kind: CalloutKind
  children: (BlockContent | CalloutTitle)[]
  data?: Data
}

/** A callout's own title, as inline content. */
export interface CalloutTitle extends Parent {
  type: 'calloutTitle'
  children: PhrasingContent[]
  data?: Data
}

declare module 'mdast' {
  interface BlockContentMap {
    callout: Callout
  }
  interface RootContentMap {
    callout: Callout
    calloutTitle: CalloutTitle
  }
}
