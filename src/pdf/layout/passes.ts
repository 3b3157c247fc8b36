// What Node calls in the page: the passes back to back in one call. Whenever a call returns with the document
// changed, Chromium lays the whole document out again for a frame (a second of the benchmark's large book); between
// the line pass and the layout pass, that layout in one column is one the layout pass, in columns, mostly redoes.
import { improveLineBreaks } from './line-breaking.js'
import { paginate } from './paginate.js'
import { joinPart, keepPart, partHtml } from './parts.js'
import { readHeights } from './segments.js'
import { hiddenStyleId, textBlockStyleId, type LineBreakResult, type PaginateParams, type PaginateResult, type PartPlan } from './types.js'

export interface Laid {
  lines: LineBreakResult
  layout: PaginateResult
  /** Milliseconds the line pass took. */
  linesMs: number
}

/** The whole document: its lines, then its pages, and made ready to print. */
export function layOutDocument(params: PaginateParams): Laid {
  const laid = linesAndPages(params)
  readyToPrint(laid.layout)
  return laid
}

/**
 * One part of a book laid out in two pages (see `parts.ts`), the document having loaded hidden: this page keeps its
 * part, shows it, and lays it out; the rest comes back as HTML too, for the first page. Undefined for a document that
 * does not split, which is then shown whole.
 */
export async function layOutPart(params: PaginateParams, which: 'first' | 'rest'): Promise<(Laid & { plan: PartPlan; html?: string }) | undefined> {
  const plan = keepPart(params, which)
  document.getElementById(hiddenStyleId)?.remove()
  void document.body.offsetHeight // Lays the text out, which asks for its fonts.
  await document.fonts.ready
  if (!plan) return undefined
  const laid = linesAndPages({ ...params, part: plan })
  return which === 'rest' ? { ...laid, plan, html: partHtml() } : { ...laid, plan }
}

/** The first part's page takes in the rest (see `joinPart`), and is made ready to print. */
export function joinParts(params: PaginateParams, first: PaginateResult, rest: PaginateResult, html: string): PaginateResult {
  const layout = joinPart(params, first, rest, html)
  readyToPrint(layout)
  return layout
}

function linesAndPages(params: PaginateParams): Laid {
  // Lines first: the layout pass then places notes and page breaks by the lines as they will print.
  const started = performance.now()
  const heights = readHeights()
  const lines = improveLineBreaks({ width: params.width, notes: params.notes })
  const linesMs = performance.now() - started
  return { lines, layout: paginate(params, heights), linesMs }
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
