// Better line breaks for the PDF, before pagination: soft hyphens taken out of words where a line reads as well
// without the break, and out of every third hyphenated line in a row, so that Chromium's greedy breaking sets fewer
// hyphens and no ladders.
//
// Chromium breaks lines greedily (each line takes all it can, hyphenating the word that does not fit when part of
// it does), so every third line ends in a hyphen and hyphens stack up. Greedy breaking has a property this pass leans
// on: the lines before a given line do not depend on what comes after it. So the pass walks each paragraph's lines
// in order and, at the first line worth changing, takes the soft hyphens out of the word that ends it (the word then
// starts the next line); everything after that line is measured again in the next round. A line is worth changing
// when it would stay tight enough without its hyphen (TeX's preference for no hyphenation at all), when it is the
// second hyphenated line in a row (then either line of the pair may give up its hyphen at a looser stretch, as TeX
// charges extra demerits for two hyphens in a row), or when it is the third (then the least loose of the run's last
// three lines gives up its hyphen).
//
// How loose a line may get depends on the measure: the white a line gains when a word part moves down is shared by
// its spaces, and a narrower measure has fewer, so each grows more for the same word. The allowed stretch per space
// grows as the number of spaces falls, from the book measure it was set on (TeX's practice of more stretch, its
// emergency stretch, for narrow columns): a paragraph on A5 gives up about as many hyphens as on A4.
//
// Lines are measured in the normal flow at the text block's width: a page break does not change them, since
// pagination splits a paragraph only between lines and its continuation starts a line as the text did there.
import { breaksAfter, hardHyphenLines, lastCharRect, lineIndex, linesOf, maybeHyphenated, softHyphensOf, type Line } from './lines.js'
import type { Position } from './measure.js'
import { stageNotesAtFoot } from './notes.js'
import type { LineBreakParams, LineBreakResult } from './types.js'

/**
 * Extra white space a justified line may take per word space, in em, when it gives up a hyphen by choice, on the
 * reference measure. The text's word space is 0.24 em; at 0.35 em more, a book's lines are 8% looser on average and
 * no line looser than greedy breaking already makes (measured on the benchmark's medium book), with half as many
 * hyphens.
 */
const JUSTIFIED_STRETCH = 0.35
/** The same to avoid a second hyphen in a row or end a ladder: looser, since hyphens in a row are worse. */
const JUSTIFIED_STRETCH_FORCED = 0.45
/** The measure those are set for, in em: the default A4 text block (130 mm at 11 pt, 491 px at 14.67 px). */
const REFERENCE_MEASURE = 33.5
/**
 * Narrower than this (in em, about 45 characters, the short end of a book measure), a measure gets no more stretch:
 * justified text that narrow has rivers whatever its hyphens.
 */
const NARROWEST_MEASURE = 23
/** Room a ragged line may leave at its end when it gives up a hyphen (by choice, to end a ladder), in em. */
const RAGGED_SLACK = 8
const RAGGED_SLACK_FORCED = 12
/** Average width of a word and its space, in em, for the number of spaces on a line. */
const WORD = 2.9
/** Each round changes a paragraph at one line; a paragraph needing more than this keeps the rest as it is. */
const MAX_ROUNDS = 40
/** The innermost blocks that hold lines. */
const blockSelector = 'p, li, dd, dt, td, th, figcaption, caption, blockquote, div'

/** A paragraph whose lines the pass looks at. */
interface Paragraph {
  element: HTMLElement
  justified: boolean
  /** Left and right edges of its lines, and its font size (em). */
  left: number
  right: number
  em: number
  /** The stretch a justified line may take per space (by choice, forced), in em, for its measure. */
  stretch: number
  stretchForced: number
  /** Lines before this one are final. */
  from: number
  /** For each line measured, the soft hyphen it breaks at (undefined: it does not end at one). */
  lineEnds: (Position | undefined)[]
  /** Measured to its end with nothing left to change: `lineEnds` holds every line. */
  settled: boolean
}

/** Where a line was broken at a soft hyphen: that soft hyphen, and how loose the line would be without the break. */
interface Break {
  line: number
  at: Position
  /** Its place among the paragraph's soft hyphens. */
  index: number
  /**
   * With the broken word moved to the next line: a justified line's extra space per word space, a ragged line's room
   * left at its end; in em.
   */
  looseness: number
}

/** What measuring needs across paragraphs: one range, and the width of a word space per font and per element. */
interface Measuring {
  range: Range
  spaceWidths: Map<string, number>
  /** Styles do not change during the pass: an element's space is looked up once, not at each of its broken words. */
  elementSpaces: WeakMap<Element, number>
  context: CanvasRenderingContext2D | null
}

/** Takes soft hyphens out where lines read as well without them. Call it before `paginate`, with the same print styles. */
export function improveLineBreaks(params: LineBreakParams): LineBreakResult {
  const result: LineBreakResult = { lines: 0, hyphenated: 0, ladders: 0, words: 0, rounds: 0, softHyphensLeft: 0 }
  // Nothing to do for a document without soft hyphens (not hyphenated, or in a language without patterns).
  if (!hasSoftHyphens(document.body)) return result

  const style = document.createElement('style')
  style.textContent = `
    body.galley-lines { width: ${params.width}px; max-width: none; margin: 0; padding: 0; }
    body.galley-lines .galley-lines-hidden { display: none !important; }`
  document.head.append(style)
  // Notes as they will sit at the foot of a page (footnote mode): number first, the width of the text block.
  const restoreNotes = params.notes === 'footnotes' ? stageNotesAtFoot() : () => undefined
  document.body.classList.add('galley-lines')

  const measuring: Measuring = { range: document.createRange(), spaceWidths: new Map(), elementSpaces: new WeakMap(), context: document.createElement('canvas').getContext('2d') }
  const paragraphs = paragraphsOf(document.body)
  const ends = improveParagraphs(measuring, paragraphs, result)
  result.softHyphensLeft = settleSoftHyphens(measuring.range, paragraphs)
  for (const known of ends.values()) {
    result.lines += known.length
    let run = 0
    for (const hyphenated of [...known, false]) {
      if (hyphenated) {
        result.hyphenated += 1
        run += 1
      } else {
        if (run > 2) result.ladders += 1
        run = 0
      }
    }
  }

  document.body.classList.remove('galley-lines')
  restoreNotes()
  style.remove()
  return result
}

function hasSoftHyphens(root: Node): boolean {
  const finder = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let node = finder.nextNode(); node; node = finder.nextNode()) if ((node as Text).data.includes('\u00AD')) return true
  return false
}

/** The paragraphs: the innermost blocks holding a soft hyphen. */
function paragraphsOf(root: Node): Paragraph[] {
  const blocks: HTMLElement[] = []
  const seen = new Set<Element>()
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node as Text).data.includes('\u00AD')) continue
    const block = node.parentElement?.closest(blockSelector)
    if (!block || seen.has(block)) continue
    seen.add(block)
    // A block with blocks inside (a list item holding a list) has lines of more than one paragraph: left alone.
    if (block.querySelector(blockSelector)) continue
    blocks.push(block as HTMLElement)
  }
  return blocks.map((element) => {
    const computed = getComputedStyle(element)
    const rect = element.getBoundingClientRect()
    const left = rect.left + parseFloat(computed.paddingLeft) + parseFloat(computed.borderLeftWidth)
    const right = rect.right - parseFloat(computed.paddingRight) - parseFloat(computed.borderRightWidth)
    const em = parseFloat(computed.fontSize) || 16
    // A word part moved down is shared by one space fewer than the line has: the stretch scales with that count.
    const scale = (spacesOf(REFERENCE_MEASURE) - 1) / (spacesOf(Math.max(NARROWEST_MEASURE, (right - left) / em)) - 1)
    return { element, justified: computed.textAlign === 'justify', left, right, em, stretch: JUSTIFIED_STRETCH * scale, stretchForced: JUSTIFIED_STRETCH_FORCED * scale, from: 0, lineEnds: [], settled: false }
  })
}

/**
 * Edits the paragraphs round by round; returns, per paragraph, which of its lines end in a hyphen (known up to its
 * `from` line and the edit there).
 */
function improveParagraphs(measuring: Measuring, paragraphs: Paragraph[], result: LineBreakResult): Map<Paragraph, boolean[]> {
  const ends = new Map<Paragraph, boolean[]>()
  let pending = paragraphs
  for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
    result.rounds = round + 1
    const edits: Position[] = []
    const next: Paragraph[] = []
    // Measure every paragraph, then edit: one layout per round, not one per edit.
    for (const paragraph of pending) {
      const edit = firstEdit(measuring, paragraph, ends)
      paragraph.settled = !edit
      if (edit) {
        edits.push(edit.at)
        paragraph.from = edit.line
        next.push(paragraph)
      }
    }
    for (const at of edits) unhyphenate(at)
    result.words += edits.length
    pending = next
  }
  return ends
}

/** The first line of a paragraph worth changing, from its `from` line on; records which lines end in a hyphen. */
function firstEdit(measuring: Measuring, paragraph: Paragraph, ends: Map<Paragraph, boolean[]>): Break | undefined {
  const { range } = measuring
  const lines = linesOf(range, paragraph.element)
  const hard = hardHyphenLines(range, paragraph.element, lines)
  const candidates = maybeHyphenated(lines, hard, paragraph.em)
  const hyphens = softHyphensOf(paragraph.element)
  const known = (ends.get(paragraph) ?? []).slice(0, paragraph.from)
  const breaks = new Map<number, Break | undefined>()
  // Lines are asked for in order (and then the two before a ladder's third): each search starts after the last find.
  let searched = -1
  let searchFrom = 0
  const breakAt = (index: number): Break | undefined => {
    if (!breaks.has(index)) {
      const found = candidates[index] ? breakOf(measuring, paragraph, lines, index, hyphens, index > searched ? searchFrom : 0) : undefined
      breaks.set(index, found)
      if (index > searched) {
        searched = index
        if (found) searchFrom = found.index + 1
      }
    }
    return breaks.get(index)
  }
  let run = 0
  for (const hyphenated of known) run = hyphenated ? run + 1 : 0
  let edit: Break | undefined
  for (let index = paragraph.from; index < lines.length && !edit; index++) {
    const broken = breakAt(index)
    paragraph.lineEnds[index] = broken?.at
    known[index] = broken !== undefined || hard.has(index)
    if (!known[index]) {
      run = 0
      continue
    }
    run += 1
    if (run >= 3) {
      // A ladder: the least loose of this line and the two before it gives up its hyphen (a hard hyphen cannot).
      const options = [index, index - 1, index - 2].map(breakAt).filter((option): option is Break => option !== undefined)
      edit = options.find((option) => acceptable(paragraph, option, true)) ?? options.sort((a, b) => a.looseness - b.looseness)[0]
    } else if (broken && acceptable(paragraph, broken, false)) {
      edit = broken
    } else if (run === 2) {
      // Two in a row: the less loose line of the pair that can give up its hyphen at the looser stretch does.
      const options = [index, index - 1].map(breakAt).filter((option): option is Break => option !== undefined && acceptable(paragraph, option, true))
      edit = options.sort((a, b) => a.looseness - b.looseness)[0]
    }
  }
  known.length = lines.length
  paragraph.lineEnds.length = lines.length
  ends.set(paragraph, known)
  return edit
}

/**
 * Makes the text say what the lines show, for the PDF's text layer: a soft hyphen a line breaks at becomes the hyphen
 * it is drawn as, and every other soft hyphen goes. Chromium prints each soft hyphen as an invisible glyph whose text
 * is U+00AD, so search, copy and screen readers met `hand\u00ADwrit\u00ADten`; now they meet `handwritten`, or `hand-` `written`
 * across a line end, as in LaTeX's output. A greedy breaker that did not break a word at one of its soft hyphens does
 * not break it there without it, and breaks after a hyphen where it broke at a soft one; but not always by a hair (a
 * line whose soft hyphen fitted with a fraction of a pixel to spare can be too full with the hyphen as text, and a
 * line without its soft hyphens can be a fraction narrower and take one more word), so each hyphen put in is measured
 * again and taken out where it no longer ends its line. Where lines break is known from the rounds for the paragraphs
 * measured to their end; any other soft hyphen is measured here. Returns how many text nodes still hold a soft hyphen
 * (none when every one was measured).
 */
function settleSoftHyphens(range: Range, paragraphs: readonly Paragraph[]): number {
  const texts = textsWithSoftHyphens()
  const broken = brokenSoftHyphens(range, paragraphs, texts)
  // Only the paragraphs that put a hyphen in are measured again; in the others the soft hyphens just go, after that
  // measuring (their lines are not read again here, and the layout pass lays them out where it needs them).
  const measured = new Set([...broken.keys()].map(blockOf))
  const unmeasured: Text[] = []
  // Measured first, edited after: one layout for all of them.
  let hyphens = new Map<Text, number[]>()
  for (const node of texts) {
    if (!measured.has(blockOf(node))) {
      unmeasured.push(node)
      continue
    }
    const offsets = broken.get(node)
    const at: number[] = []
    for (let offset = node.data.indexOf('\u00AD'); offset !== -1; offset = node.data.indexOf('\u00AD', offset + 1)) at.push(offset)
    // Where the hyphens will be once the soft hyphens before them are gone.
    const inserted: number[] = []
    let gone = 0
    for (const offset of at) {
      if (offsets?.has(offset)) inserted.push(offset - gone)
      else gone += 1
    }
    let text = ''
    let from = 0
    for (const offset of at) {
      text += node.data.slice(from, offset) + (offsets?.has(offset) ? '-' : '')
      from = offset + 1
    }
    node.data = text + node.data.slice(from)
    if (inserted.length > 0) hyphens.set(node, inserted)
  }
  // A hyphen taken out lets its line take more, which can move the next lines' ends: measured again until none moves.
  for (let round = 0; round < 4 && hyphens.size > 0; round++) {
    const midLine = new Map<Text, number[]>()
    for (const [node, offsets] of hyphens) {
      const moved = offsets.filter((offset) => !endsLine(range, node, offset))
      if (moved.length > 0) midLine.set(node, moved)
    }
    if (midLine.size === 0) break
    const next = new Map<Text, number[]>()
    for (const [node, offsets] of hyphens) {
      const moved = new Set(midLine.get(node) ?? [])
      if (moved.size === 0) {
        next.set(node, offsets)
        continue
      }
      for (const offset of [...moved].sort((a, b) => b - a)) node.deleteData(offset, 1)
      const kept: number[] = []
      let shift = 0
      for (const offset of offsets) {
        if (moved.has(offset)) shift += 1
        else kept.push(offset - shift)
      }
      if (kept.length > 0) next.set(node, kept)
    }
    // Only the paragraphs that changed can have moved lines: the others are not measured again.
    const changed = new Set([...midLine.keys()].map(blockOf))
    hyphens = new Map([...next].filter(([node]) => changed.has(blockOf(node))))
  }
  // In one edit each: nothing is measured before the layout pass lays these out again.
  for (const node of unmeasured) node.data = node.data.replaceAll('\u00AD', '')
  return textsWithSoftHyphens().length
}

function textsWithSoftHyphens(): Text[] {
  const found: Text[] = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) if (node.data.includes('\u00AD')) found.push(node)
  return found
}

/** The soft hyphens lines break at, by text node: from the rounds where they are known, else measured. */
function brokenSoftHyphens(range: Range, paragraphs: readonly Paragraph[], texts: readonly Text[]): Map<Text, Set<number>> {
  const broken = new Map<Text, Set<number>>()
  const note = (node: Text, offset: number): void => {
    const offsets = broken.get(node)
    if (offsets) offsets.add(offset)
    else broken.set(node, new Set([offset]))
  }
  const known = new Set<Text>()
  for (const paragraph of paragraphs) {
    if (!paragraph.settled) continue
    for (const at of paragraph.lineEnds) if (at) note(at.node, at.offset)
    const walker = document.createTreeWalker(paragraph.element, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) known.add(node)
  }
  for (const node of texts) {
    if (known.has(node)) continue
    for (let at = node.data.indexOf('\u00AD'); at !== -1; at = node.data.indexOf('\u00AD', at + 1)) {
      // One not laid out (not printed) goes.
      if (endsLine(range, node, at)) note(node, at)
    }
  }
  return broken
}

/** Whether the character at `offset` (a hyphen) is the last on its line. */
function endsLine(range: Range, node: Text, offset: number): boolean {
  const hyphen = lastCharRect(range, node, offset)
  return hyphen !== undefined && breaksAfter(range, node, offset, hyphen, blockOf(node))
}

function blockOf(node: Text): Element | null {
  return node.parentElement?.closest(blockSelector) ?? null
}

/** The width of a word space in an element's font, unstretched (measured once per font). */
function spaceWidth(measuring: Measuring, element: Element, em: number): number {
  const known = measuring.elementSpaces.get(element)
  if (known !== undefined) return known
  const computed = getComputedStyle(element)
  // The `font` shorthand reads empty when a longhand it cannot express is set (numeric variants): built by hand.
  const font = `${computed.fontStyle} ${computed.fontWeight} ${computed.fontSize} ${computed.fontFamily}`
  let width = measuring.spaceWidths.get(font)
  if (width === undefined) {
    const { context } = measuring
    if (context) context.font = font
    width = context ? context.measureText(' ').width : 0.25 * em
    measuring.spaceWidths.set(font, width)
  }
  measuring.elementSpaces.set(element, width)
  return width
}

/**
 * The soft hyphen a line ends at, if it ends at one: the last soft hyphen up to the line, drawn as a hyphen.
 * `from`: none before this one can be on the line (the one that ended an earlier line).
 */
function breakOf(measuring: Measuring, paragraph: Paragraph, lines: readonly Line[], index: number, hyphens: readonly Position[], from: number): Break | undefined {
  const { range } = measuring
  const line = lines[index] as Line
  let low = from
  let high = hyphens.length - 1
  let found = -1
  while (low <= high) {
    const middle = (low + high) >> 1
    const position = hyphens[middle] as Position
    const rect = lastCharRect(range, position.node, position.offset)
    if (rect && (rect.top + rect.bottom) / 2 <= line.bottom) {
      found = middle
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  const at = hyphens[found]
  if (!at) return undefined
  const hyphen = lastCharRect(range, at.node, at.offset)
  // A soft hyphen inside a ligature (`of­fi­cial`) has a share of its width: only one at the line's end is a break.
  if (!hyphen || hyphen.width === 0 || hyphen.right < line.right - 1 || (hyphen.top + hyphen.bottom) / 2 < line.top) return undefined
  // The broken word starts after the last white space before it (in its text node).
  let start = at.offset
  while (start > 0 && !/\s/.test(at.node.data[start - 1] ?? '')) start -= 1
  const first = lastCharRect(range, at.node, start)
  // A word that started on an earlier line would take the whole line with it.
  if (!first || lineIndex(lines, first) !== index) return { line: index, at, index: found, looseness: Infinity }
  const em = paragraph.em
  const space = spaceWidth(measuring, at.node.parentElement ?? paragraph.element, em)
  const part = hyphen.right - first.left
  if (!paragraph.justified) return { line: index, at, index: found, looseness: (paragraph.right - first.left + space) / em }
  // Justified, every word space of the line is stretched alike: the one before the broken word shows by how much.
  const before = start > 0 ? lastCharRect(range, at.node, start - 1) : undefined
  const stretch = before ? Math.max(0, before.width - space) : 0
  const spaces = spacesOf((paragraph.right - paragraph.left) / em)
  return { line: index, at, index: found, looseness: (stretch * spaces + part + space) / (spaces - 1) / em }
}

/** The word spaces of a line of a measure (in em), estimated (at least two). */
function spacesOf(measure: number): number {
  return Math.max(2, measure / WORD - 1)
}

/** Whether a line without its hyphen is still tight enough. */
function acceptable(paragraph: Paragraph, broken: Break, forced: boolean): boolean {
  return broken.looseness <= (paragraph.justified ? (forced ? paragraph.stretchForced : paragraph.stretch) : forced ? RAGGED_SLACK_FORCED : RAGGED_SLACK)
}

/** Takes the soft hyphens out of the word around a position. */
function unhyphenate(at: Position): void {
  const data = at.node.data
  let start = at.offset
  while (start > 0 && !/\s/.test(data[start - 1] ?? '')) start -= 1
  let end = at.offset
  while (end < data.length && !/\s/.test(data[end] ?? '')) end += 1
  at.node.data = data.slice(0, start) + data.slice(start, end).replaceAll('\u00AD', '') + data.slice(end)
}
