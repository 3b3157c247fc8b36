// What Node calls in the page: the passes back to back in one call. Whenever a call returns with the document
// changed, Chromium lays the whole document out again for a frame (a second of the benchmark's large book); between
// the line pass and the layout pass, that layout in one column is one the layout pass, in columns, mostly redoes.
import { improveLineBreaks } from './line-breaking.js'
import { paginate } from './paginate.js'
import { textBlockStyleId, type LineBreakResult, type PaginateParams, type PaginateResult } from './types.js'

export interface Laid {
  lines: LineBreakResult
  layout: PaginateResult
  /** Milliseconds the line pass took. */
  linesMs: number
}

/** The document's lines, then its pages; then it is made ready to print. */
export function layOutDocument(params: PaginateParams): Laid {
  const started = performance.now()
  // Lines first: the layout pass then places notes and page breaks by the lines as they will print.
  const lines = improveLineBreaks({ width: params.width, notes: params.notes })
  const linesMs = performance.now() - started
  const layout = paginate(params)
  readyToPrint(layout)
  return { lines, layout, linesMs }
}

/** The page rules the pass wrote put in, and the text block's width taken off: printing sets its own. */
function readyToPrint(layout: PaginateResult): void {
  if (layout.css) {
    const style = document.createElement('style')
    style.textContent = layout.css
    document.head.append(style)
  }
  document.getElementById(textBlockStyleId)?.remove()
}
