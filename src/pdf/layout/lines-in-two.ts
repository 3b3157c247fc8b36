// A book's lines improved in two pages at once, then laid out whole in the first. The line pass measures each
// paragraph on its own, in one column at the text block's width, so where a paragraph's lines break does not depend on
// the rest of the book: the second page improves the lines of the book's second part while the first page improves
// the first part's, and sends back only the text it changed, which the first page writes into its copy of that part
// before laying out the whole book. Unlike laying out in two parts (see `parts.ts`), nothing laid out crosses from
// one page to the other, so it pays off on books too small for that: the second page costs its load, on its own core.
// Both pages load the book hidden, so that neither lays out the other's part.
import { improveLineBreaks } from './line-breaking.js'
import { splitBook, type KeptPart } from './parts.js'
import { readHeights, segmentHeight, type Heights } from './segments.js'
import { hiddenStyleId, type LineBreakResult, type PaginateParams, type PartPlan } from './types.js'

/** What the first page did to its part. */
export interface FirstLines {
  plan: PartPlan
  lines: LineBreakResult
  /** Milliseconds its line pass took. */
  linesMs: number
}

/** What the second page did to the rest: the text it changed, and its segments' heights (see `readHeights`). */
export interface RestLines {
  plan: PartPlan
  lines: LineBreakResult
  edits: TextEdit[]
  heights: number[]
}

/**
 * One text node's new text: the `text`-th text node of the rest's `segment`-th segment, or of the note (footnote mode)
 * of id `note`. Both pages number them alike: they split the same document the same way.
 */
export type TextEdit = { segment: number; text: number; data: string } | { note: string; text: number; data: string }

/** The first page's part, until the rest's lines come back: what it set aside, and the heights it read. */
let pending: { part: KeptPart; heights: Heights } | undefined

/** In the first page: keeps the first part, the rest set aside, and improves its lines. Undefined for a document that does not split, then shown whole. */
export async function improveFirstLines(params: PaginateParams): Promise<FirstLines | undefined> {
  const part = await keepAndShow(params, 'first')
  if (!part) return undefined
  const started = performance.now()
  const heights = readHeights()
  const lines = improveLineBreaks({ width: params.width, notes: params.notes })
  pending = { part, heights }
  return { plan: part.plan, lines, linesMs: performance.now() - started }
}

/** In the second page: keeps the rest and improves its lines; returns the text that changed. */
export async function improveRestLines(params: PaginateParams): Promise<RestLines | undefined> {
  const part = await keepAndShow(params, 'rest')
  if (!part) return undefined
  const heights = readHeights()
  const texts: { key: { segment: number } | { note: string }; nodes: Text[] }[] = part.kept.map((segment, index) => ({ key: { segment: index }, nodes: textNodes(segment) }))
  if (params.notes === 'footnotes') {
    for (const note of document.querySelectorAll('section[data-footnotes] li[id]')) texts.push({ key: { note: note.id }, nodes: textNodes(note) })
  }
  const before = texts.map(({ nodes }) => nodes.map((node) => node.data))
  const lines = improveLineBreaks({ width: params.width, notes: params.notes })
  const edits: TextEdit[] = []
  texts.forEach(({ key, nodes }, group) => {
    nodes.forEach((node, text) => {
      if (node.data !== before[group]?.[text]) edits.push({ ...key, text, data: node.data })
    })
  })
  return { plan: part.plan, lines, edits, heights: part.kept.map((segment) => segmentHeight(heights, segment)) }
}

/**
 * In the first page, once the rest's lines are back: puts the rest back with its text as the second page left it, and
 * returns the heights of the whole book's blocks for the layout pass.
 */
export function takeInRestLines(rest: RestLines): Heights {
  const taken = pending
  pending = undefined
  if (!taken) throw new Error('the first part was not kept')
  if (rest.plan.from !== taken.part.plan.to) throw new Error('the two pages split the book at different chapters')
  const segments = taken.part.putBack()
  const nodes = new Map<string, Text[]>()
  const textsOf = (key: string, root: Node | null | undefined): Text[] => {
    let found = nodes.get(key)
    if (!found) nodes.set(key, (found = root ? textNodes(root) : []))
    return found
  }
  for (const edit of rest.edits) {
    const texts = 'note' in edit ? textsOf(`note ${edit.note}`, document.getElementById(edit.note)) : textsOf(`segment ${edit.segment}`, segments[edit.segment])
    const node = texts[edit.text]
    if (!node) throw new Error('the second page changed text the first does not have')
    node.data = edit.data
  }
  segments.forEach((segment, index) => taken.heights.set(segment, rest.heights[index] ?? 0))
  return taken.heights
}

async function keepAndShow(params: PaginateParams, which: 'first' | 'rest'): Promise<KeptPart | undefined> {
  const part = splitBook(params, which)
  document.getElementById(hiddenStyleId)?.remove()
  void document.body.offsetHeight // Lays the text out, which asks for its fonts.
  await document.fonts.ready
  return part
}

function textNodes(root: Node): Text[] {
  const found: Text[] = []
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) found.push(node)
  return found
}
