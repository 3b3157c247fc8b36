// Footnotes at the foot of their page: each page's notes chosen by where their references fell, a long note split to
// run on at the next page's foot, and the notes block put where the page's text ends.
import { breakAt, insertBefore, splitBlock } from './breaks.js'
import { charRect, columnOf, firstLineBelow, frameSegment, heightOf, lineHeightOf, place, textNodes, type Place } from './measure.js'
import type { Layout, SegmentState } from './state.js'
import type { PaginateParams } from './types.js'

/** Room kept free under the notes, in CSS pixels: print fits a little less than the measuring layout. */
export const SLACK = 6

/** The notes (footnote mode), taken out of the endnote list, by id. */
export function takeNotes(params: Readonly<PaginateParams>): Map<string, HTMLElement> {
  const noteItems = new Map<string, HTMLElement>()
  const notesSection = document.querySelector('section[data-footnotes]')
  if (params.notes === 'footnotes' && notesSection) {
    for (const item of [...notesSection.querySelectorAll('li[id]')] as HTMLElement[]) noteItems.set(item.id, item)
    notesSection.remove()
  }
  return noteItems
}

/**
 * Where notes are measured as they will sit: in a notes block at the text block's width, with its type size. Outside
 * the body (in an article the body itself is laid out in columns). Returns the block and the box notes go in.
 */
export function noteProbe(): { area: HTMLElement; probe: HTMLElement } {
  const area = document.createElement('div')
  area.className = 'galley-note-probe galley-page-notes'
  const probe = document.createElement('div')
  probe.className = 'galley-notes-inner'
  area.append(probe)
  document.documentElement.append(area)
  return { area, probe }
}

/** Height the rule and gap above the notes take. */
export function separatorHeight(probe: HTMLElement): number {
  probe.replaceChildren()
  return probe.getBoundingClientRect().height
}

/** A note as it sits at the foot of a page: number, text, no back-arrow. */
export function noteElement(id: string, item: HTMLElement, number: string): HTMLElement {
  const note = document.createElement('div')
  note.className = 'footnote'
  note.id = id
  note.setAttribute('role', 'doc-footnote')
  // A copy: a note tried on one page and moved to the next is built again there.
  for (const child of [...item.childNodes]) note.append(child.cloneNode(true))
  for (const back of [...note.querySelectorAll('[data-footnote-backref]')]) back.remove()
  const mark = document.createElement('a')
  mark.className = 'footnote-number'
  mark.setAttribute('href', `#fnref-${id.replace(/^fn-/, '')}`)
  mark.textContent = `${number}`
  const first = note.querySelector('p') ?? note
  first.prepend(mark, ' ')
  return note
}

/**
 * Splits a note so its first part is at most `room` tall; the rest is a continuation note without a number. The
 * note is measured in the probe, which leaves the frame there: the caller frames its segment again.
 */
export function splitNote(layout: Layout, note: HTMLElement, room: number): HTMLElement | undefined {
  const { probe } = layout
  probe.replaceChildren(note)
  layout.frame = { left: probe.getBoundingClientRect().left, top: note.getBoundingClientRect().top, pagesBefore: 0 }
  const position = firstLineBelow(layout, note, 0, room)
  if (!position) return undefined
  const block = (position.node.parentElement?.closest('.footnote > *') as HTMLElement | null) ?? note
  const firstText = textNodes(note)[0]
  if (firstText === position.node && position.offset === 0) return undefined
  const rest = document.createElement('div')
  rest.className = 'footnote galley-note-continued'
  if (block === note) return undefined
  const after = splitBlock(block, position)
  let sibling: ChildNode | null = after
  while (sibling) {
    const next: ChildNode | null = sibling.nextSibling
    rest.append(sibling)
    sibling = next
  }
  return rest
}

/**
 * The line a note reference sits on: the raised mark's own box is no guide to the line's bottom, the
 * character before it is (same line, since the mark follows it without a break opportunity).
 */
export function lineOf(layout: Layout, reference: HTMLElement): Place {
  const mark = reference.closest('sup') ?? reference
  const walker = document.createTreeWalker(mark.parentElement ?? mark, NodeFilter.SHOW_TEXT)
  let previous: Text | undefined
  let next: Text | undefined
  let passed = false
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (mark.contains(node)) {
      passed = true
      continue
    }
    if ((node as Text).data.trim() === '') continue
    if (!passed) previous = node as Text
    else {
      next = node as Text
      break
    }
  }
  const own = place(layout, mark.getBoundingClientRect())
  // The characters on either side, if they share the mark's line (a mark can also start a line).
  const neighbours = [
    previous ? charRect(layout.range, previous, previous.data.trimEnd().length - 1) : undefined,
    next ? charRect(layout.range, next, next.data.length - next.data.trimStart().length) : undefined,
  ]
  let line = own
  for (const rect of neighbours) {
    if (!rect) continue
    const at = place(layout, rect)
    if (at.column === own.column && at.top < own.bottom && at.bottom > own.top) {
      line = { column: own.column, top: Math.min(line.top, at.top), bottom: Math.max(line.bottom, at.bottom) }
    }
  }
  // The line box reaches a full line height below its top, whatever the glyph boxes say.
  const lineHeight = lineHeightOf(mark.parentElement ?? mark)
  return { ...line, bottom: Math.max(line.bottom, Math.min(line.top, own.top) + lineHeight) }
}

/** The notes a page takes, the height they use, where the page must end above (`cut`) and not above (`keep`). */
export interface PageFoot {
  accepted: HTMLElement[]
  used: number
  cut: number
  keep: number
}

/**
 * Chooses the notes of `page`: the part of a note running on from the page before, then the notes of the references
 * on this page while they fit under their lines. A reference whose note fits nowhere on the page moves to the next
 * page with its line; a long note starts here and runs on.
 */
export function notesOfPage(layout: Layout, state: SegmentState, page: number): PageFoot {
  const { probe, separator, height: H, found } = layout
  const { segment, references } = state
  const carried = state.carry
  const accepted: HTMLElement[] = carried ? [carried] : []
  if (carried) probe.replaceChildren(carried) // Measured where it will sit.
  let used = separator + (carried ? heightOf(carried) : 0)
  // A note running on takes at most half of this page; what is left runs on again, and then no other note can
  // come between its parts: the references of this page wait for the next one (unless one opens the page).
  let stillRunning: HTMLElement | undefined
  if (carried && used > H / 2) {
    stillRunning = splitNote(layout, carried, H / 2 - separator)
    probe.replaceChildren(carried)
    used = separator + heightOf(carried)
    frameSegment(layout, segment, state.pagesBefore)
  }
  state.carry = stillRunning
  let cut = H
  let keep = 0 // The lowest line whose note is on this page: the page may not end above it.
  while (state.nextReference < references.length) {
    // A reference still held back is more than a page ahead.
    if (!segment.contains(references[state.nextReference] as HTMLElement)) break
    if (stillRunning) {
      const reference = references[state.nextReference] as HTMLElement
      const at = lineOf(layout, reference)
      if (at.column > page) break
      const lineHeight = lineHeightOf(reference.parentElement ?? reference)
      if (at.top > lineHeight) {
        cut = Math.min(cut, at.top + 1)
        break
      }
    }
    const reference = references[state.nextReference] as HTMLElement
    frameSegment(layout, segment, state.pagesBefore)
    const at = lineOf(layout, reference)
    if (at.column > page) break
    const id = (reference.getAttribute('href') ?? '').slice(1)
    const item = layout.noteItems.get(id)
    state.nextReference += 1
    if (!item) continue
    const note = noteElement(id, item, reference.textContent ?? '')
    probe.replaceChildren(note)
    const height = heightOf(note)
    const lineHeight = lineHeightOf(reference.parentElement ?? reference)
    const lineBottom = at.bottom + lineHeight * 0.2
    const accept = (placed: HTMLElement, placedHeight: number): void => {
      accepted.push(placed)
      keep = Math.max(keep, at.bottom)
      used += placedHeight
      found.notes.push({ id, page: layout.pageBase + page + 1, referencePage: layout.pageBase + page + 1 })
    }
    /** The note starts here and runs on at the foot of the next page (only one note can be running). */
    const runOn = (): void => {
      state.carry = splitNote(layout, note, H - lineBottom - used - SLACK)
      frameSegment(layout, segment, state.pagesBefore)
      probe.replaceChildren(note)
      accept(note, heightOf(note))
    }
    const longAndRoom = lineBottom + used + 2 * lineHeight <= H && height > H / 3
    if (lineBottom + used + height + SLACK <= H) {
      accept(note, height)
    } else if (longAndRoom && !state.carry) {
      runOn()
      cut = Math.min(cut, lineBottom)
      break
    } else if (at.top > lineHeight) {
      state.nextReference -= 1 // Its line moves to the next page, and its note with it.
      cut = Math.min(cut, at.top + 1)
      break
    } else {
      // On the first line and still too tall: there is nowhere better.
      if (state.carry) accept(note, height)
      else runOn()
      break
    }
  }
  return { accepted, used, cut, keep }
}

/**
 * Puts the page's notes in a block where its text ends, which ends the page. The last block's bottom margin sits
 * between the text and the notes: if they do not fit under it, the page ends a line higher (never above `keep`).
 */
export function placeNotes(layout: Layout, state: SegmentState, page: number, foot: PageFoot): void {
  const { height: H } = layout
  const { segment } = state
  frameSegment(layout, segment, state.pagesBefore)
  let cut = Math.min(foot.cut, H - foot.used - SLACK)
  const area = document.createElement('div')
  area.className = 'galley-page-notes'
  const inner = document.createElement('div')
  inner.className = 'galley-notes-inner'
  inner.append(...foot.accepted)
  area.append(inner)
  let top = 0
  for (let attempt = 0; attempt < 6; attempt++) {
    const point = breakAt(layout, segment, page, cut, foot.keep)
    if (!point) break
    insertBefore(area, point.parent, point.before)
    frameSegment(layout, segment, state.pagesBefore)
    const box = place(layout, area.getBoundingClientRect())
    const lineHeight = lineHeightOf(area.previousElementSibling ?? segment)
    if ((box.column === page && box.top + inner.getBoundingClientRect().height + SLACK <= H) || cut - lineHeight < foot.keep) {
      top = box.top
      break
    }
    area.remove()
    cut -= lineHeight
  }
  if (!area.isConnected) return
  state.unsized.set(area, Math.max(0, H - top - 3))
  if (!area.nextElementSibling || area.nextElementSibling === state.endMarker) area.style.breakAfter = 'auto'
  layout.found.areas.push({ page: layout.pageBase + page + 1, top, height: H - top - 3, notes: inner.getBoundingClientRect().height })
}

/**
 * Once the pages of a segment's `blocks` are final (and read): the notes blocks in them made as tall as the rest of
 * their page, which sets their notes at its foot. Not when they are placed: each ends its page whatever its height,
 * so that the height moves nothing the pass measures, and setting it there would cost a layout of the window.
 */
export function sizeNoteAreas(state: SegmentState, blocks: readonly Element[]): void {
  for (const [area, height] of state.unsized) {
    if (!blocks.some((block) => block.contains(area))) continue
    area.style.height = `${height}px`
    state.unsized.delete(area)
  }
}

/** Once the pages of a segment's `blocks` are final: the page each note in them, and each reference, fell on. */
export function recordNotePages(layout: Layout, blocks: readonly Element[]): void {
  const inside = (element: Element | null): element is Element => element !== null && blocks.some((block) => block.contains(element))
  for (const record of layout.found.notes) {
    const element = document.getElementById(record.id)
    const reference = document.getElementById(`fnref-${record.id.replace(/^fn-/, '')}`)
    if (inside(element)) record.page = layout.pageBase + columnOf(layout, element.getBoundingClientRect()) + 1
    if (inside(reference)) record.referencePage = layout.pageBase + columnOf(layout, reference.getBoundingClientRect()) + 1
  }
}

/**
 * For measuring lines before pagination: every note moved, as `noteElement` builds it (a `div.footnote`, its number
 * before the first paragraph, no back-arrow), into one notes block at the end of the body. Returns what puts the
 * notes' own nodes back as they were.
 */
export function stageNotesAtFoot(): () => void {
  const restore: (() => void)[] = []
  const notesSection = document.querySelector('section[data-footnotes]')
  if (!notesSection) return () => undefined
  const area = document.createElement('div')
  area.className = 'galley-page-notes'
  area.style.breakAfter = 'auto'
  const inner = document.createElement('div')
  inner.className = 'galley-notes-inner'
  area.append(inner)
  const numbers = new Map<string, string>()
  for (const reference of document.querySelectorAll('a[data-footnote-ref]')) numbers.set((reference.getAttribute('href') ?? '').slice(1), reference.textContent ?? '')
  for (const item of notesSection.querySelectorAll('li[id]')) {
    const note = document.createElement('div')
    note.className = 'footnote'
    const children = [...item.childNodes]
    note.append(...children)
    const hidden = [...note.querySelectorAll('[data-footnote-backref]')]
    for (const back of hidden) back.classList.add('galley-lines-hidden')
    const mark = document.createElement('a')
    mark.className = 'footnote-number'
    mark.textContent = numbers.get(item.id) ?? ''
    const space = document.createTextNode(' ')
    ;(note.querySelector('p') ?? note).prepend(mark, space)
    inner.append(note)
    restore.push(() => {
      mark.remove()
      space.remove()
      for (const back of hidden) {
        back.classList.remove('galley-lines-hidden')
        if (back.classList.length === 0) back.removeAttribute('class')
      }
      item.append(...children)
    })
  }
  document.body.append(area)
  restore.push(() => area.remove())
  return () => {
    for (const step of restore) step()
  }
}
