// The metadata Galley understands: Pandoc's key names, their types, defaults and one line of documentation each.

/** A BCP 47 language tag as Galley takes one: it reaches file names (locales, hyphenation patterns), so nothing else. */
export const languageTag = /^[A-Za-z]{1,8}(?:[-_][A-Za-z\d]{1,8})*$/

export interface Author {
  name: string
  affiliation?: string
  email?: string
  /** An ORCID iD, `0000-0002-1825-0097` (a link to orcid.org in the title block). */
  orcid?: string
}

export type PaperSize = 'a4' | 'a5' | 'letter' | 'legal' | 'b5' | { width: string; height: string }

export interface Margins {
  top: string
  bottom: string
  inner: string
  outer: string
}

/** Everything a build needs to know about the document, after merging CLI, config file and front matter. */
export interface Metadata {
  title: string
  subtitle: string | undefined
  author: Author[]
  /** Pandoc's `abstract`: Markdown, set in the title block (its citations and formulas too). */
  abstract: string | undefined
  abstractTitle: string | undefined
  /** Pandoc's `thanks`: acknowledgement of support, under the authors. */
  thanks: string | undefined
  date: string | undefined
  lang: string
  description: string | undefined
  subject: string | undefined
  keywords: string[]
  publisher: string | undefined
  rights: string | undefined
  identifier: string | undefined
  coverImage: string | undefined
  /** The cover image was named by the person running Galley (`--epub-cover-image`, `-M`): it may be outside the project. */
  coverImageTrusted: boolean
  bibliography: string[]
  csl: string | undefined
  references: unknown[]
  nocite: string[]
  referenceSectionTitle: string | undefined
  /** Pandoc's `section-bibliographies`: a reference list at the end of each level-1 section. */
  sectionBibliographies: boolean
  linkCitations: boolean
  linkBibliography: boolean
  suppressBibliography: boolean
  notesAfterPunctuation: boolean
  notes: 'footnotes' | 'endnotes'
  notesNumbering: 'document' | 'chapter'
  topLevelDivision: 'default' | 'section' | 'chapter' | 'part'
  documentclass: string | undefined
  splitLevel: number
  epubFonts: boolean
  pageList: boolean
  toc: boolean
  tocDepth: number
  tocTitle: string
  /** Pandoc's `--number-sections`: headings numbered 1, 1.1, 1.1.1… (not `.unnumbered` ones). */
  numberSections: boolean
  /** Pandoc's `--number-offset`: added to the section number at each level, top level first. */
  numberOffset: number[]
  /** Pandoc's `--shift-heading-level-by`: added to every heading's level (negative raises them). */
  shiftHeadingLevelBy: number
  /** The HTML `<title>` when it should differ from the title. */
  pagetitle: string | undefined
  /**
   * Title and subtitle as written when they hold Markdown markup (`gmr: *Gaussian* Mixtures`), for the title block;
   * `title` and `subtitle` are then their words only, for everything that takes text (PDF and EPUB metadata, heads).
   */
  titleMarkdown: string | undefined
  subtitleMarkdown: string | undefined
  papersize: PaperSize
  margin: Margins
  fontsize: string
  imposition: 'booklet' | '2up' | '4up' | undefined
  bleed: string | undefined
  cropMarks: boolean
  registrationMarks: boolean
  /** Quarto's profiles: what `when-profile` / `unless-profile` conditions see. */
  profile: string[]
  /** Copies to write from one run, each with one more profile active; the first without a suffix. */
  variants: string[]
  layout: 'default' | 'handout' | 'course-pack'
  nameLine: boolean
  browser: string | undefined
  /**
   * The keys given a value somewhere (command line, config file, front matter): where Pandoc treats a key left unset
   * otherwise than its default (`lang`: the style's `default-locale` for citations; `notes-after-punctuation` for
   * superscript citations).
   */
  given: string[]
  headerIncludes: string[]
  macros: Record<string, string>
  // Cross-references, under pandoc-crossref's names (`remarkCrossref`). Unset words come in the document's language.
  figureTitle: string | undefined
  tableTitle: string | undefined
  listingTitle: string | undefined
  titleDelim: string
  figPrefix: string[]
  tblPrefix: string[]
  eqnPrefix: string[]
  secPrefix: string[]
  lstPrefix: string[]
  codeBlockCaptions: boolean
  chapters: boolean
  chaptersDepth: number
  chapDelim: string
  rangeDelim: string
  linkReferences: boolean
  nameInLink: boolean
  lof: boolean
  lot: boolean
  lol: boolean
  lofTitle: string | undefined
  lotTitle: string | undefined
  lolTitle: string | undefined
  /** Quarto's `crossref:` words, each under its Quarto name (`lst-title`, `lst-prefix`…), for what the keys above leave unset. */
  quartoCrossref: QuartoCrossref
}

/** The keys of Quarto's `crossref:` map that Galley reads. */
export const quartoCrossrefKeys = ['fig-title', 'tbl-title', 'lst-title', 'fig-prefix', 'tbl-prefix', 'lst-prefix', 'eq-prefix', 'sec-prefix', 'title-delim', 'lof-title', 'lot-title', 'lol-title'] as const
export type QuartoCrossref = Partial<Record<(typeof quartoCrossrefKeys)[number], string>> & { 'ref-hyperlink'?: boolean }

type Kind = 'number-offset' | 'signed-integer' | 'string' | 'boolean' | 'integer' | 'string-list' | 'authors' | 'list' | 'papersize' | 'margin' | 'notes' | 'notes-numbering' | 'length' | 'lang' | 'style' | 'top-level-division' | 'heading-level' | 'macros' | 'quarto-crossref' | 'imposition' | 'names' | 'layout'

export interface KeySpec {
  /** The key as written in YAML front matter, a config file or `-M key=value`. */
  key: string
  field: keyof Metadata
  kind: Kind
  doc: string
  /** Whether the value names a file, resolved against the directory of the file that set it. */
  path?: boolean
  /**
   * Whether only the person running Galley may set it (command line, environment), never a document or its config
   * file: a document must not choose a program to run.
   */
  runnerOnly?: boolean
}

/** Every metadata key, in the order the README documents them. */
export const keys: readonly KeySpec[] = [
  { key: 'title', field: 'title', kind: 'string', doc: 'Document title; also the PDF/EPUB title and the running head.' },
  { key: 'subtitle', field: 'subtitle', kind: 'string', doc: 'Subtitle under the title.' },
  { key: 'author', field: 'author', kind: 'authors', doc: 'A name, a list of names, or a list of `{name, affiliation}` or `{Name: {institute: id}}` (pandoc-scholar; ids from `institute`).' },
  { key: 'authors', field: 'author', kind: 'authors', doc: 'JOSS\'s name for `author`: `{name, affiliation, orcid, email}`, an affiliation an `index` from `affiliations` (`[{name, index}]`).' },
  { key: 'abstract', field: 'abstract', kind: 'string', doc: 'Abstract (Markdown, citations and formulas too), under the authors; also the EPUB `dc:description` when `description` is unset.' },
  { key: 'abstract-title', field: 'abstractTitle', kind: 'string', doc: 'Heading of the abstract. Default "Abstract" in the document\'s language.' },
  { key: 'thanks', field: 'thanks', kind: 'string', doc: 'Acknowledgement of support (Markdown), under the authors.' },
  { key: 'date', field: 'date', kind: 'string', doc: 'Publication date as written (`2017-01-20` is shown as 20 January 2017).' },
  { key: 'lang', field: 'lang', kind: 'lang', doc: "BCP 47 language: citation locale, hyphenation, `lang` attributes. Default `en-US`; unset, citations use the style's `default-locale`, as in Pandoc." },
  { key: 'description', field: 'description', kind: 'string', doc: 'Short description (EPUB `dc:description`, PDF subject if none).' },
  { key: 'subject', field: 'subject', kind: 'string', doc: 'Subject (PDF subject, EPUB `dc:subject`).' },
  { key: 'keywords', field: 'keywords', kind: 'string-list', doc: 'Keywords (PDF keywords, EPUB subjects).' },
  { key: 'publisher', field: 'publisher', kind: 'string', doc: 'Publisher (EPUB `dc:publisher`).' },
  { key: 'rights', field: 'rights', kind: 'string', doc: 'Copyright or licence statement (EPUB `dc:rights`).' },
  { key: 'identifier', field: 'identifier', kind: 'string', doc: 'Stable identifier (ISBN, DOI, URN); default derived from the content.' },
  { key: 'cover-image', field: 'coverImage', kind: 'string', path: true, doc: 'Cover image for the EPUB; default: one drawn from title and author.' },
  { key: 'bibliography', field: 'bibliography', kind: 'string-list', path: true, doc: 'CSL-JSON, CSL-YAML or BibTeX/BibLaTeX file(s).' },
  { key: 'csl', field: 'csl', kind: 'style', doc: 'CSL style: a path, or a name from `styles/`, the system CSL styles or the bundled ones. Default `chicago-author-date`.' },
  { key: 'references', field: 'references', kind: 'list', doc: 'CSL-JSON entries written in the front matter itself.' },
  { key: 'nocite', field: 'nocite', kind: 'string-list', doc: 'Keys to list in the bibliography without citing them, in citation syntax as Pandoc reads it (`@a @b`, `[@a; @b]`, `@*` or `[@*]` for all).' },
  { key: 'reference-section-title', field: 'referenceSectionTitle', kind: 'string', doc: 'Heading put above the bibliography when it is placed at the end.' },
  { key: 'section-bibliographies', field: 'sectionBibliographies', kind: 'boolean', doc: 'A reference list at the end of each level-1 section (each reading of a course pack), holding the entries cited in it, from the one citeproc run of the whole book (year suffixes and numbers as in the citations). Entries only `nocite` adds stay at the end of the book. Default false.' },
  { key: 'link-citations', field: 'linkCitations', kind: 'boolean', doc: 'Link each citation to its bibliography entry. Default false.' },
  { key: 'link-bibliography', field: 'linkBibliography', kind: 'boolean', doc: 'Turn DOIs and URLs in the bibliography into links. Default true.' },
  { key: 'suppress-bibliography', field: 'suppressBibliography', kind: 'boolean', doc: 'Leave the bibliography out. Default false.' },
  { key: 'notes-after-punctuation', field: 'notesAfterPunctuation', kind: 'boolean', doc: 'Move note citations after a following `.`, `,`, `;`… Default true; superscript citations move only when it is set to true, as in Pandoc.' },
  { key: 'notes', field: 'notes', kind: 'notes', doc: '`footnotes` (default) or `endnotes` (collected at the end of the document).' },
  { key: 'notes-numbering', field: 'notesNumbering', kind: 'notes-numbering', doc: '`document` (default): one sequence of note numbers; `chapter`: each chapter starts again at 1.' },
  { key: 'top-level-division', field: 'topLevelDivision', kind: 'top-level-division', doc: 'What a level-1 heading opens: `chapter`, `part` (level 2 opens chapters) or `section`. Default: chapters when there are several input files or `documentclass` has chapters, else sections (an article).' },
  { key: 'documentclass', field: 'documentclass', kind: 'string', doc: 'As in Pandoc: `book`, `report`, `memoir`, `scrbook`… make level-1 headings chapters when `top-level-division` is not set.' },
  { key: 'split-level', field: 'splitLevel', kind: 'heading-level', doc: 'EPUB: a new content document at each heading of this level or above, and at each chapter. Default 1.' },
  { key: 'epub-chapter-level', field: 'splitLevel', kind: 'heading-level', doc: 'Pandoc 2\'s name for `split-level`.' },
  { key: 'epub-fonts', field: 'epubFonts', kind: 'boolean', doc: 'EPUB: embed the text face (TrueType, cut down to the book\'s characters, with its licence) and the math font. Default true; false embeds no font, and readers use their own.' },
  { key: 'page-list', field: 'pageList', kind: 'boolean', doc: 'EPUB: when a PDF is made in the same build, the PDF\'s page numbers in the text (`doc-pagebreak` markers where each page starts) and a `page-list` to go to them. Default true.' },
  { key: 'toc', field: 'toc', kind: 'boolean', doc: 'Include a table of contents, after the title block. Default false. `\\tableofcontents` alone in a paragraph puts it where it stands instead, with or without `toc`, as in LaTeX.' },
  { key: 'toc-depth', field: 'tocDepth', kind: 'integer', doc: 'Heading levels in the table of contents. Default 3.' },
  { key: 'toc-title', field: 'tocTitle', kind: 'string', doc: 'Title of the table of contents. Default: `Contents` in the document language (`Inhalt`, `Table des matières`…).' },
  { key: 'number-sections', field: 'numberSections', kind: 'boolean', doc: 'Number the headings `1`, `1.1`, `1.1.1`… in the text and the contents, as Pandoc\'s `--number-sections` (`-N`); `.unnumbered` (`{-}`) headings are not numbered. Default false.' },
  { key: 'numbersections', field: 'numberSections', kind: 'boolean', doc: 'The LaTeX template\'s name for `number-sections`.' },
  { key: 'number-offset', field: 'numberOffset', kind: 'number-offset', doc: 'Added to the section numbers, top level first: `5` makes the first heading 6, `1,4` makes a first level-2 heading 1.5; `--number-offset` on the command line also turns numbering on.' },
  { key: 'shift-heading-level-by', field: 'shiftHeadingLevelBy', kind: 'signed-integer', doc: 'Added to every heading\'s level: `1` makes `#` a level-2 heading; `-1` makes `##` level 1, and a level-1 heading that opens the document becomes the title when there is none (a heading shifted below 1 becomes a paragraph). Default 0.' },
  { key: 'pagetitle', field: 'pagetitle', kind: 'string', doc: 'The HTML `<title>` (the browser tab), when it should differ from `title`.' },
  { key: 'papersize', field: 'papersize', kind: 'papersize', doc: '`a4` (default), `a5`, `b5`, `letter`, `legal`, or `WIDTHxHEIGHT` in mm/in (`148mmx210mm`).' },
  { key: 'margin', field: 'margin', kind: 'margin', doc: 'Page margins: one CSS length, or `{top, bottom, inner, outer}`; default chosen for the paper size (a 60–70 character line).' },
  { key: 'fontsize', field: 'fontsize', kind: 'length', doc: 'Body text size, e.g. `11pt` (default for A4/Letter; 10pt on A5, 10.5pt on B5).' },
  { key: 'imposition', field: 'imposition', kind: 'imposition', doc: '`booklet`, `2up` or `4up`: a PDF build also writes `NAME-booklet.pdf` (or `-2up`, `-4up`) beside `NAME.pdf`, imposed as `galley impose` does. Default none.' },
  { key: 'bleed', field: 'bleed', kind: 'length', doc: 'For a print shop: the PDF gets a BleedBox this far beyond the page (its TrimBox), e.g. `3mm`; `.full-bleed` images and blocks run into it. Default none.' },
  { key: 'crop-marks', field: 'cropMarks', kind: 'boolean', doc: 'Crop marks at the corners of each PDF page, outside the bleed, on a larger MediaBox. Default false.' },
  { key: 'registration-marks', field: 'registrationMarks', kind: 'boolean', doc: 'Registration marks (a circled cross) at the middle of each side of each PDF page, outside the bleed, on a larger MediaBox; with or without `crop-marks`. Default false.' },
  { key: 'profile', field: 'profile', kind: 'names', doc: 'Active profiles, as Quarto\'s `--profile`: a name or list (`student`, `[key, print]`, `a,b`); content marked `when-profile`/`unless-profile` shows or hides by them. Default none.' },
  { key: 'variants', field: 'variants', kind: 'names', doc: 'Several copies from one run (`[student, key]`): each adds its name to the active profiles; the first is written as `NAME.pdf`, the others as `NAME-key.pdf`… Default: one copy.' },
  { key: 'layout', field: 'layout', kind: 'layout', doc: '`handout`: a compact title block, no title page, "page n of N" at the foot, narrow margins (A4, Letter, A5). `course-pack` (in `galley.yaml` or `-M`): each input file is a reading, opened by its own front matter\'s `title`, `subtitle`, `author` and `date` (not the pack\'s), its headings one level down, with a table of contents unless `toc: false`. Default `default`.' },
  { key: 'name-line', field: 'nameLine', kind: 'boolean', doc: 'With `layout: handout`: a "Name … Date …" line for the student under the title, in every copy but the answer key (one with the `key` profile active). Default false.' },
  { key: 'browser', field: 'browser', kind: 'string', path: true, runnerOnly: true, doc: 'Chromium/Chrome executable for the PDF, on the command line only (`-M browser=…`; else `GALLEY_BROWSER`, else the usual system paths).' },
  { key: 'header-includes', field: 'headerIncludes', kind: 'string-list', doc: 'LaTeX for the preamble: its `\\newcommand`, `\\renewcommand`, `\\def` and `\\DeclareMathOperator` definitions apply to every formula; the rest is ignored.' },
  { key: 'macros', field: 'macros', kind: 'macros', doc: "TeX macros for every formula, names to definitions: `{RR: '\\mathbb{R}', norm: '\\lVert #1 \\rVert'}`." },
  { key: 'figureTitle', field: 'figureTitle', kind: 'string', doc: 'Word before a labelled figure\'s number in its caption ("Figure 1: …"). Default in the document language.' },
  { key: 'tableTitle', field: 'tableTitle', kind: 'string', doc: 'Word before a labelled table\'s number in its caption ("Table 1: …"). Default in the document language.' },
  { key: 'listingTitle', field: 'listingTitle', kind: 'string', doc: 'Word before a labelled listing\'s number in its caption ("Listing 1: …"). Default in the document language.' },
  { key: 'titleDelim', field: 'titleDelim', kind: 'string', doc: 'What follows the number in a numbered caption. Default `:`.' },
  { key: 'figPrefix', field: 'figPrefix', kind: 'string-list', doc: 'Word before the numbers of `@fig:…` references: one, or `[one, several]`. Default `[fig., figs.]` in English.' },
  { key: 'tblPrefix', field: 'tblPrefix', kind: 'string-list', doc: 'The same for `@tbl:…`. Default `[tbl., tbls.]` in English.' },
  { key: 'eqnPrefix', field: 'eqnPrefix', kind: 'string-list', doc: 'The same for `@eq:…`. Default `[eq., eqns.]` in English.' },
  { key: 'secPrefix', field: 'secPrefix', kind: 'string-list', doc: 'The same for `@sec:…`. Default `[sec., secs.]` in English.' },
  { key: 'lstPrefix', field: 'lstPrefix', kind: 'string-list', doc: 'The same for `@lst:…`. Default `[lst., lsts.]` in English.' },
  { key: 'codeBlockCaptions', field: 'codeBlockCaptions', kind: 'boolean', doc: 'Read a paragraph `Listing: Caption` or `: Caption` just before or after a code block as its caption, its label on the block or as `{#lst:x}` at the caption\'s end. Default false.' },
  { key: 'chapters', field: 'chapters', kind: 'boolean', doc: 'Number figures, tables and equations within chapters ("Figure 2.1"), starting again at each numbered heading of level `chaptersDepth`. Default false.' },
  { key: 'chaptersDepth', field: 'chaptersDepth', kind: 'heading-level', doc: 'The heading level that `chapters` numbers within (2: "Figure 1.2.1"). Default 1.' },
  { key: 'chapDelim', field: 'chapDelim', kind: 'string', doc: 'Between the chapter number and the item number. Default `.`.' },
  { key: 'rangeDelim', field: 'rangeDelim', kind: 'string', doc: 'Between the ends of a run of three or more references ("figs. 1-3"). Default `-`.' },
  { key: 'linkReferences', field: 'linkReferences', kind: 'boolean', doc: 'Make each reference\'s number a link to what it refers to. Default true (pandoc-crossref\'s is false).' },
  { key: 'nameInLink', field: 'nameInLink', kind: 'boolean', doc: 'Put the prefix ("fig.") inside the link of a single reference too. Default false.' },
  { key: 'lof', field: 'lof', kind: 'boolean', doc: 'A list of the labelled figures after the table of contents (HTML; PDF with page numbers; in the EPUB, beside its contents in the navigation document). Default false.' },
  { key: 'lot', field: 'lot', kind: 'boolean', doc: 'A list of the labelled tables after the table of contents. Default false.' },
  { key: 'lol', field: 'lol', kind: 'boolean', doc: 'A list of the labelled listings after the table of contents. Default false.' },
  { key: 'lofTitle', field: 'lofTitle', kind: 'string', doc: 'Title of the list of figures. Default `List of Figures` in the document language.' },
  { key: 'lotTitle', field: 'lotTitle', kind: 'string', doc: 'Title of the list of tables. Default `List of Tables` in the document language.' },
  { key: 'lolTitle', field: 'lolTitle', kind: 'string', doc: 'Title of the list of listings. Default `List of Listings` in the document language.' },
  { key: 'crossref', field: 'quartoCrossref', kind: 'quarto-crossref', doc: 'Quarto\'s cross-reference words, for what the keys above leave unset: `fig-title`, `tbl-title`, `lst-title` (caption words), `fig-prefix`, `tbl-prefix`, `lst-prefix`, `eq-prefix`, `sec-prefix` (the words of Quarto\'s `@fig-x` references), `title-delim`, `lof-title`, `lot-title`, `lol-title`, `ref-hyperlink`; other keys are ignored.' },
]

export const defaults: Metadata = {
  title: 'Untitled',
  subtitle: undefined,
  author: [],
  abstract: undefined,
  abstractTitle: undefined,
  thanks: undefined,
  date: undefined,
  lang: 'en-US',
  description: undefined,
  subject: undefined,
  keywords: [],
  publisher: undefined,
  rights: undefined,
  identifier: undefined,
  coverImage: undefined,
  coverImageTrusted: false,
  bibliography: [],
  csl: undefined,
  references: [],
  nocite: [],
  referenceSectionTitle: undefined,
  sectionBibliographies: false,
  linkCitations: false,
  linkBibliography: true,
  suppressBibliography: false,
  notesAfterPunctuation: true,
  notes: 'footnotes',
  notesNumbering: 'document',
  topLevelDivision: 'default',
  documentclass: undefined,
  splitLevel: 1,
  epubFonts: true,
  pageList: true,
  toc: false,
  tocDepth: 3,
  tocTitle: 'Contents',
  numberSections: false,
  numberOffset: [],
  shiftHeadingLevelBy: 0,
  pagetitle: undefined,
  titleMarkdown: undefined,
  subtitleMarkdown: undefined,
  papersize: 'a4',
  margin: { top: '20mm', bottom: '25mm', inner: '22mm', outer: '28mm' },
  fontsize: '11pt',
  imposition: undefined,
  bleed: undefined,
  cropMarks: false,
  registrationMarks: false,
  profile: [],
  variants: [],
  layout: 'default',
  nameLine: false,
  browser: undefined,
  given: [],
  headerIncludes: [],
  macros: {},
  figureTitle: undefined,
  tableTitle: undefined,
  listingTitle: undefined,
  titleDelim: ':',
  figPrefix: [],
  tblPrefix: [],
  eqnPrefix: [],
  secPrefix: [],
  lstPrefix: [],
  codeBlockCaptions: false,
  chapters: false,
  chaptersDepth: 1,
  chapDelim: '.',
  rangeDelim: '-',
  linkReferences: true,
  nameInLink: false,
  lof: false,
  lot: false,
  lol: false,
  lofTitle: undefined,
  lotTitle: undefined,
  lolTitle: undefined,
  quartoCrossref: {},
}
