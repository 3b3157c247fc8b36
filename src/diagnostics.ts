// Every rule id Galley reports, with the stage that reports it, how serious it is and one line on what it means.

/**
 * How `galley check` counts a finding: an `error` is something a reader of the published document would see as
 * wrong (a missing source, a broken link), so check exits 1; a `warning` is worth fixing before print; a `note` is
 * for the author to judge. A build reports every one of them as a warning and still writes its outputs.
 */
export type Severity = 'error' | 'warning' | 'note'

export interface Rule {
  /** The `source` of the message, as the reporter shows it after the rule id. */
  source: string
  severity: Severity
  /** What the rule finds, in one line (the README's rule table). */
  doc: string
}

/**
 * The registry (remark-lint's `origin` + `url` per rule): every message Galley emits carries one of these ids; a test
 * fails on an id that is not here, and the README's table is generated from it (`UPDATE=1 npx vitest run tests/diagnostics.test.ts`).
 */
export const rules = {
  'nul-character': { source: 'galley:markdown', severity: 'warning', doc: 'The manuscript holds a NUL character; it is shown as �.' },
  'empty-manuscript': { source: 'galley:markdown', severity: 'warning', doc: 'A manuscript file has no content.' },
  'raw-html': { source: 'galley:markdown', severity: 'warning', doc: 'Raw HTML is left out of the output.' },
  'raw-tex': { source: 'galley:markdown', severity: 'warning', doc: 'Raw LaTeX is left out of the output, as Pandoc leaves it out of HTML and EPUB.' },
  'bad-attribute': { source: 'galley:markdown', severity: 'warning', doc: 'An image `width`/`height` that is not a size is ignored.' },
  'unknown-format-condition': { source: 'galley:markdown', severity: 'warning', doc: 'A `when-format`/`unless-format` names a format Galley does not write; the condition matches none.' },
  'line-block': { source: 'galley:markdown', severity: 'warning', doc: 'A line block whose inline markup runs from one line into the next is left as a paragraph.' },
  'title-block': { source: 'galley:markdown', severity: 'warning', doc: 'A Pandoc `% Title` block is not read as metadata; write a YAML block.' },
  'quarto-shortcode': { source: 'galley:markdown', severity: 'warning', doc: 'A Quarto shortcode (`{{< meta … >}}`, an `{{< include … >}}` inside a line…) is not run; it stays as written. `{{< pagebreak >}}` alone is a page break, `{{< include file.qmd >}}` alone on its line is carried out.' },
  'quarto-include': { source: 'galley:markdown', severity: 'error', doc: 'An `{{< include … >}}` names a file that cannot be included (missing, outside the project, not UTF-8, including itself, nested more than 10 deep); it stays as written.' },
  'unbalanced-div': { source: 'galley:markdown', severity: 'warning', doc: 'A fenced div `:::` is never closed, or a `:::` closes none.' },
  'unsafe-link': { source: 'galley:resources', severity: 'error', doc: 'A `javascript:`, `data:`, `file:`… link is removed; its text is kept.' },
  'unsafe-resource': { source: 'galley:resources', severity: 'error', doc: 'An image that could run script (an SVG with script, a `data:` URL of another type) is not used.' },
  'remote-resource': { source: 'galley:resources', severity: 'error', doc: 'A remote image is not fetched; its description is shown.' },
  'resource-outside-project': { source: 'galley:resources', severity: 'error', doc: 'An image outside the project is not used.' },
  'missing-resource': { source: 'galley:resources', severity: 'error', doc: 'An image file is not found; its description is shown.' },
  'unsupported-resource': { source: 'galley:resources', severity: 'error', doc: 'An image that is not PNG, JPEG, GIF, SVG or WebP is not used.' },
  'runner-only-setting': { source: 'galley:config', severity: 'warning', doc: 'A document sets a key only the command line may set (`browser`); it is ignored.' },
  'invalid-metadata': { source: 'galley:config', severity: 'warning', doc: 'A metadata value Galley cannot use (not a length, a language tag, a number…) is ignored, as Pandoc keeps but ignores it.' },
  'missing-title': { source: 'galley:config', severity: 'warning', doc: 'No `title` in the metadata; "Untitled" is used.' },
  'reading-without-title': { source: 'galley:config', severity: 'warning', doc: 'A reading of a course pack has no `title` in its front matter and opens with no level-1 heading; it is named by its file.' },
  'crossref-undefined': { source: 'galley:crossref', severity: 'error', doc: 'A cross-reference (`@fig:x`, `@tbl-x`, `\\ref{x}`) names a label no figure, table, equation or section has; shown in bold as `¿label?`, as pandoc-crossref shows it.' },
  'crossref-duplicate': { source: 'galley:crossref', severity: 'warning', doc: 'Two figures, tables, equations or sections have the same label; references go to the first.' },
  'unknown-locale': { source: 'galley:citations', severity: 'warning', doc: 'No CSL locale for the document language; another one\'s terms are used.' },
  'invalid-csl': { source: 'galley:citations', severity: 'warning', doc: 'A CSL element citeproc-js cannot use is ignored, as in Pandoc.' },
  'missing-citation-key': { source: 'galley:citations', severity: 'error', doc: 'A citation (or `nocite`) key is not in the bibliography; shown in bold as `key?`.' },
  'citation-no-printed-form': { source: 'galley:citations', severity: 'warning', doc: 'A cite prints nothing in this style, so it is left out.' },
  'incomplete-entry': { source: 'galley:citations', severity: 'warning', doc: 'A cited bibliography entry has no title or no date.' },
  'duplicate-id': { source: 'galley:bibliography', severity: 'warning', doc: 'Two bibliography entries share an id; the later one is used.' },
  'invalid-field': { source: 'galley:bibliography', severity: 'warning', doc: 'A bibliography field of the wrong type is ignored.' },
  'math-error': { source: 'galley:math', severity: 'error', doc: 'A formula does not parse; its TeX is shown in code.' },
  'math-macro': { source: 'galley:math', severity: 'warning', doc: 'A macro definition does not parse and is left out.' },
  'math-font': { source: 'galley:math', severity: 'warning', doc: 'The math font is not installed; formulas use the system\'s.' },
  'unsafe-output': { source: 'galley:html', severity: 'error', doc: 'The last guard on the HTML removed something unsafe an earlier stage let through.' },
  'raster-cover': { source: 'galley:epub', severity: 'warning', doc: 'The cover could not be drawn as a JPEG (no browser started); the EPUB gets an SVG cover, which some readers and stores do not show.' },
  'cover-image': { source: 'galley:epub', severity: 'warning', doc: 'The `cover-image` cannot be used; the EPUB gets a drawn cover.' },
  'blocked-resource': { source: 'galley:pdf', severity: 'error', doc: 'The page being printed asked for a file outside the project, or a missing one; it was not loaded.' },
  'font-not-embedded': { source: 'galley:pdf-check', severity: 'error', doc: 'A font in the PDF is not embedded.' },
  'not-tagged': { source: 'galley:pdf-check', severity: 'warning', doc: 'The PDF has no structure tree, so screen readers cannot read it in order.' },
  'no-outline': { source: 'galley:pdf-check', severity: 'warning', doc: 'The PDF has no bookmarks.' },
  'toc-page-mismatch': { source: 'galley:pdf-check', severity: 'error', doc: 'A page number in the contents is not the page its entry is on.' },
  'note-page-mismatch': { source: 'galley:pdf-check', severity: 'error', doc: 'A footnote is not on the page of its reference.' },
  'text-outside-text-area': { source: 'galley:pdf-check', severity: 'error', doc: 'Text runs outside the text block of a page.' },
  'layout-stalled': { source: 'galley:pdf-check', severity: 'warning', doc: 'The PDF layout pass stopped making progress (it was making empty pages); the rest of that chapter was paginated without it.' },
  'empty-last-page': { source: 'galley:pdf-check', severity: 'warning', doc: 'The PDF ends with an empty page.' },
  'cannot-build': { source: 'galley:check', severity: 'error', doc: 'The document cannot be built at all (a missing file, bad metadata, a broken bibliography or style); a build exits 2.' },
  'missing-link-target': { source: 'galley:check', severity: 'error', doc: 'An internal link `#id` leads to no element of the document.' },
  'image-under-150dpi': { source: 'galley:check', severity: 'warning', doc: 'An image prints at under 150 dots per inch at its printed size: visibly coarse.' },
  'image-under-300dpi': { source: 'galley:check', severity: 'note', doc: 'An image prints at under 300 dots per inch, what print shops ask for photographs.' },
  'unreadable-image': { source: 'galley:check', severity: 'note', doc: 'An image\'s pixel size cannot be read from its header, so its resolution is not checked.' },
  'missing-alt-text': { source: 'galley:check', severity: 'warning', doc: 'An image has no description for readers who cannot see it.' },
  'long-unbreakable-token': { source: 'galley:check', severity: 'warning', doc: 'A word, code span or URL with no break in it is wider than the text measure.' },
  'heading-level-skip': { source: 'galley:check', severity: 'warning', doc: 'A heading is more than one level below the heading before it (`#` then `###`).' },
  'unused-bibliography-entry': { source: 'galley:check', severity: 'note', doc: 'A bibliography entry is never cited (nor listed by `nocite`).' },
} as const satisfies Record<string, Rule>

export type RuleId = keyof typeof rules

export function isRuleId(id: unknown): id is RuleId {
  return typeof id === 'string' && Object.hasOwn(rules, id)
}

/** The README's rule table, one row per rule in the registry's order (by stage; a rule id may also be a metadata key). */
export function ruleTable(): string {
  const rows = Object.entries(rules).map(([id, rule]: [string, Rule]) => `| ${rule.source.replace('galley:', '')} | \`${id}\` | ${rule.severity} | ${rule.doc} |`)
  return ['| stage | rule | in `galley check` | meaning |', '|---|---|---|---|', ...rows].join('\n')
}
