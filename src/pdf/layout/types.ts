// What the layout passes are given and give back: the only part of them that Node sees.

/** What the page needs to know; lengths in CSS pixels. */
export interface PaginateParams {
  /** Text block width and height (page minus margins). */
  width: number
  height: number
  /** `footnotes`: notes at the foot of the page that references them; `endnotes`: leave the notes section. */
  notes: 'footnotes' | 'endnotes'
  /** A book (chapters or parts): each `section.chapter` starts a page, with the chapter title in recto heads. */
  book: boolean
  /** Verso running head of a book (its title). */
  bookTitle: string
  /** Also report where each page's text starts, for the EPUB's page list. */
  pageList?: boolean
  /** Tell the console `galley-page N` as page N is laid out, for a progress display (the events reach Node at once). */
  progress?: boolean
  /** The part of a book this page lays out, when two pages lay out one each (see `parts.ts`). */
  part?: PartPlan
}

/** A part of a book: segments `from` to `to` (not included) of the whole book's, which the page kept of them. */
export interface PartPlan {
  from: number
  to: number
  /** The ids that the lists of figures, tables and listings point at, read in the whole book. */
  targets: string[]
}

export interface PaginateResult {
  pages: number
  /** Page of each heading with an id, and of each note (footnote mode). */
  headings: { id: string; page: number; text: string }[]
  notes: { id: string; page: number; referencePage: number }[]
  /** `@page` rules for the named pages the script assigned (chapter openings, chapter heads). */
  css: string
  /** With `pageList`: where each page's text starts. */
  pageList?: PageStart[]
  /** Boxes wider than the text block (long URLs, wide tables, big images), with the page they are on. */
  overflows: { page: number; text: string }[]
  /** Pages where the pass stopped making progress (pages with nothing on them, one after another), and what came next. */
  stalls: { page: number; text: string }[]
  /** Each block of notes put at a page foot: its page, top within the text block, height, and its notes' height. */
  areas: { page: number; top: number; height: number; notes: number }[]
  /** Page of each figure, table and listing a list of them names. */
  targetPages: Record<string, number>
}

/** Lengths in CSS pixels. */
export interface LineBreakParams {
  /** Text block width. */
  width: number
  /** `footnotes`: notes are measured as they will sit at the foot of a page; `endnotes`: where they are. */
  notes: 'footnotes' | 'endnotes'
}

export interface LineBreakResult {
  /** Lines of the paragraphs looked at (those with a soft hyphen). */
  lines: number
  /** Of them, lines that end in a hyphen (at a soft hyphen or a hard one), and runs of three or more such lines. */
  hyphenated: number
  ladders: number
  /** Words whose soft hyphens were taken out. */
  words: number
  /** Rounds of measuring: each round edits at most one line of each paragraph, the first that needs it. */
  rounds: number
  /**
   * Text nodes still holding a soft hyphen: the others' became the hyphen a line breaks at, or went, so the PDF's
   * text layer has whole words. When none are left, the PDF needs no edit of its text.
   */
  softHyphensLeft: number
}

export interface PageStart {
  /** The page's number as printed (its folio). */
  page: number
  /** Its first characters, soft hyphens and zero-width spaces left out. */
  text: string
  /** The characters before it in its part of the book (the end of the page before), likewise: they tell apart two places that start alike. */
  before: string
}

/** The style sheet Node puts in the page to lay the document out at the text block's width until the passes are done. */
export const textBlockStyleId = 'galley-text-block-width'
/** The style sheet that hides a document loaded to be laid out in parts, until the page has kept its part. */
export const hiddenStyleId = 'galley-part-hidden'
