// A book laid out in two parts at once, in two pages of the browser (each has a process, so a core, of its own).
// Segments are laid out one after another with nothing carried from one to the next but the page count, so the
// first page keeps the front matter and the first chapters, the second the rest; each improves its lines and
// paginates what it kept, and the first takes in the second's part as laid out, where it was. Only the parity of
// the first part's page count reaches the second: a chapter opening it on a verso gets its blank page at the join.
// Both pages load the book hidden, so that neither lays out the other's part; the first prints the whole.
import { putBlankVerso, needsBlankVerso } from './running-heads.js'
import { segmentsOf } from './segments.js'
import { listTargets, writeTocNumbers } from './toc-numbers.js'
import type { PaginateParams, PaginateResult, PartPlan } from './types.js'

/** Where the second part was taken out of the first page, until the join: a comment, which no pass takes as a block. */
const restMarker = 'galley-part-rest'

/**
 * Keeps one part of the book in this page: the `first` or the `rest`. Both pages hold the same document when they
 * call this, hidden, and split it at the same segment, reading nothing but its text. Undefined, and nothing changed,
 * for a document that does not split: not a book, or with nothing after its front matter.
 */
export function keepPart(params: Readonly<PaginateParams>, which: 'first' | 'rest'): PartPlan | undefined {
  const main = document.getElementById('main')
  if (!params.book || !main) return undefined
  const segments = segmentsOf(params)
  // The rest is a run of `main`'s children: the title block and the contents outside it stay in the first part.
  const lowest = Math.max(1, segments.findIndex((segment) => segment.parentElement === main))
  if (lowest >= segments.length) return undefined
  const split = balancedSplit(params, segments, lowest)
  const targets = listTargets()
  const [kept, dropped] = which === 'first' ? [segments.slice(0, split), segments.slice(split)] : [segments.slice(split), segments.slice(0, split)]
  if (which === 'first') dropped[0]?.before(document.createComment(restMarker))
  for (const segment of dropped) segment.remove()
  if (params.notes === 'footnotes') dropNotesOutside(kept)
  return which === 'first' ? { from: 0, to: split, targets } : { from: split, to: segments.length, targets }
}

/**
 * The index of the first segment of the rest: the one that leaves the two parts closest in the work the line and
 * layout passes do on them, estimated from their text. At least `lowest`.
 */
function balancedSplit(params: Readonly<PaginateParams>, segments: readonly HTMLElement[], lowest: number): number {
  const weights = segments.map((segment) => workOf(params, segment))
  const total = weights.reduce((sum, weight) => sum + weight, 0)
  let best = lowest
  let before = weights.slice(0, lowest).reduce((sum, weight) => sum + weight, 0)
  let bestGap = Math.abs(total - 2 * before)
  for (let index = lowest + 1; index < segments.length; index++) {
    before += weights[index - 1] as number
    const gap = Math.abs(total - 2 * before)
    if (gap < bestGap) [best, bestGap] = [index, gap]
  }
  return best
}

/** The passes' work on a segment: its characters, and its notes' (which it places). */
function workOf(params: Readonly<PaginateParams>, segment: HTMLElement): number {
  let work = segment.textContent?.length ?? 0
  if (params.notes !== 'footnotes') return work
  for (const reference of segment.querySelectorAll('a[data-footnote-ref]')) work += noteOf(reference)?.textContent?.length ?? 0
  return work
}

function noteOf(reference: Element): Element | null {
  const id = decodeURIComponent((reference.getAttribute('href') ?? '').slice(1))
  return id ? document.getElementById(id) : null
}

/** Takes out of the notes list the notes no reference in `kept` points at: the other page measures and places them. */
function dropNotesOutside(kept: readonly HTMLElement[]): void {
  const section = document.querySelector('section[data-footnotes]')
  if (!section) return
  const wanted = new Set(kept.flatMap((segment) => [...segment.querySelectorAll('a[data-footnote-ref]')].map(noteOf)))
  for (const item of [...section.querySelectorAll('li[id]')]) if (!wanted.has(item)) item.remove()
}

/** The second part as laid out, for the first page: its segments and what lies between them (blank versos). */
export function partHtml(): string {
  const main = document.getElementById('main')
  const laidOut = main ? [...main.children].filter((child) => !child.matches('section[data-footnotes]')) : []
  return laidOut.map((child) => child.outerHTML).join('')
}

/**
 * Puts the second part, as the other page laid it out (`html`, `rest`), where it was taken out of this page, after
 * this page's own part (`first`); returns what the pass found in the whole book, with the second part's pages
 * counted after the first's, and writes the contents' page numbers.
 */
export function joinPart(params: Readonly<PaginateParams>, first: PaginateResult, rest: PaginateResult, html: string): PaginateResult {
  const main = document.getElementById('main')
  const marker = main && [...main.childNodes].find((node) => node.nodeType === Node.COMMENT_NODE && (node as Comment).data === restMarker)
  if (!marker) throw new Error('the first part has no place for the rest')
  const template = document.createElement('template')
  template.innerHTML = html
  const opening = template.content.firstElementChild
  const pageRules = first.css ? first.css.split('\n') : []
  const blank = opening !== null && needsBlankVerso(params, opening, first.pages)
  marker.replaceWith(template.content)
  if (blank && opening) putBlankVerso(opening, pageRules)
  const shift = first.pages + (blank ? 1 : 0)
  const moved = <T extends { page: number }>(items: readonly T[]): T[] => items.map((item) => ({ ...item, page: item.page + shift }))
  for (const rule of rest.css ? rest.css.split('\n') : []) if (!pageRules.includes(rule)) pageRules.push(rule)
  const targetPages = { ...first.targetPages, ...Object.fromEntries(Object.entries(rest.targetPages).map(([id, page]) => [id, page + shift])) }
  const joined: PaginateResult = {
    pages: shift + rest.pages,
    headings: [...first.headings, ...moved(rest.headings)],
    notes: [...first.notes, ...rest.notes.map((note) => ({ ...note, page: note.page + shift, referencePage: note.referencePage + shift }))],
    css: pageRules.join('\n'),
    areas: [...first.areas, ...moved(rest.areas)],
    overflows: [...first.overflows, ...moved(rest.overflows)],
    stalls: [...first.stalls, ...moved(rest.stalls)],
    targetPages,
    ...(first.pageList || rest.pageList ? { pageList: [...(first.pageList ?? []), ...moved(rest.pageList ?? [])] } : {}),
  }
  writeTocNumbers({ headings: joined.headings, targetPages: new Map(Object.entries(targetPages)) })
  return joined
}
