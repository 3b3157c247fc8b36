// The layout pass that runs inside the page before printing: footnotes at the foot of their page, TOC page numbers,
// chapter running heads. Chromium lays the text out in columns the size of the text block (one column = one page),
// this script reads where things fell and reshapes the document so that printing gives the same pages.

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
  /** Also report the first words of every page (for finding where print and the layout pass disagree). */
  debug?: boolean
  /** Tell the console `galley-page N` as page N is laid out, for a progress display (the events reach Node at once). */
  progress?: boolean
}

export interface PaginateResult {
  pages: number
  /** Page of each heading with an id, and of each note (footnote mode). */
  headings: { id: string; page: number; text: string }[]
  notes: { id: string; page: number; referencePage: number }[]
  /** `@page` rules for the named pages the script assigned (chapter openings, chapter heads). */
  css: string
  /** With `debug`: the first words of each page, as the layout pass laid them out. */
  pageStarts?: string[]
  /** Boxes wider than the text block (long URLs, wide tables, big images), with the page they are on. */
  overflows: { page: number; text: string }[]
  /** Each block of notes put at a page foot: its page, top within the text block, height, and its notes' height. */
  areas: { page: number; top: number; height: number; notes: number }[]
}

/**
 * Runs in the browser (serialised with `Function.prototype.toString`): everything it uses is defined inside.
 * The document is modified in place; the returned figures describe the pages as they will print.
 */
export function paginate(params: PaginateParams): PaginateResult {
  const W = params.width
  const H = params.height
  const GAP = 48
  const SLACK = 6
  const doc = document
  const body = doc.body

  const style = doc.createElement('style')
  style.textContent = `
    .galley-measure { column-width: ${W}px; column-gap: ${GAP}px; column-fill: auto; height: ${H}px; width: ${W}px;
      max-width: none; margin: 0 !important; padding: 0 !important; overflow: visible; orphans: 2; widows: 2; }
    body.galley-measuring { width: ${W}px; max-width: none; margin: 0; padding: 0; }
    .galley-measure .galley-page-break { break-before: column; }
    .galley-measure .galley-page-notes { break-after: column; }
    .galley-note-probe { position: absolute; left: -100000px; top: 0; width: ${W}px; }`
  doc.head.append(style)
  body.classList.add('galley-measuring')

  // --- Segments: runs of content between forced page breaks, each laid out as its own row of columns. ---
  const main = doc.getElementById('main')
  const segments: HTMLElement[] = []
  if (params.book && main) {
    const header = doc.getElementById('title-block-header')
    const toc = doc.getElementById('TOC')
    if (header) segments.push(header)
    if (toc) segments.push(toc)
    let rest: HTMLElement | undefined
    for (const child of [...main.children] as HTMLElement[]) {
      if (child.classList.contains('chapter')) {
        segments.push(child)
        rest = undefined
      } else if (!(params.notes === 'footnotes' && child.matches('section[data-footnotes]'))) {
        if (!rest) {
          rest = doc.createElement('div')
          rest.className = 'galley-back-matter'
          child.before(rest)
          segments.push(rest)
        }
        rest.append(child)
      }
    }
  } else {
    segments.push(body)
  }

  // --- The notes, taken out of the endnote list (footnote mode). ---
  const noteItems = new Map<string, HTMLElement>()
  const notesSection = doc.querySelector('section[data-footnotes]')
  if (params.notes === 'footnotes' && notesSection) {
    for (const item of [...notesSection.querySelectorAll('li[id]')] as HTMLElement[]) noteItems.set(item.id, item)
    notesSection.remove()
  }

  // A page break the manuscript asked for (`\newpage`) with nothing after it in its segment would make an empty page
  // (a chapter starts a page anyway), and so would one at a chapter's start. The pass has put none of its own yet, so
  // every one found here is the manuscript's.
  const atEdge = (element: Element, segment: Element, end: boolean): boolean => {
    for (let node: Element | null = element; node && node !== segment; node = node.parentElement) {
      if (end ? node.nextElementSibling : node.previousElementSibling) return false
    }
    return true
  }
  for (const segment of segments) {
    for (const marker of [...segment.querySelectorAll('.galley-page-break')]) {
      if (atEdge(marker, segment, true) || (segment !== body && atEdge(marker, segment, false))) marker.remove()
    }
  }

  // Notes are measured where they will sit: in a notes block, at the text block's width, with its type size.
  const probeArea = doc.createElement('div')
  probeArea.className = 'galley-note-probe galley-page-notes'
  const probe = doc.createElement('div')
  probe.className = 'galley-notes-inner'
  probeArea.append(probe)
  doc.documentElement.append(probeArea) // Outside the body: in an article the body itself is laid out in columns.

  // --- Measuring helpers. ---
  // `pagesBefore`: pages of the segment already set aside (see `setAside`), so columns still count from its start.
  let segmentBox = { left: 0, top: 0, pagesBefore: 0 }
  const columnOf = (rect: DOMRect): number =>
    segmentBox.pagesBefore + Math.max(0, Math.floor((rect.left - segmentBox.left + GAP / 2) / (W + GAP)))
  const place = (rect: DOMRect): { column: number; top: number; bottom: number } => {
    const column = columnOf(rect)
    return { column, top: rect.top - segmentBox.top, bottom: rect.bottom - segmentBox.top }
  }
  const lineHeightOf = (element: Element): number => parseFloat(getComputedStyle(element).lineHeight) || 16
  /** An empty forced page break: the layout pass's way to fix where a page ends. */
  const pageBreakMarker = (): HTMLElement => {
    const marker = doc.createElement('div')
    marker.className = 'galley-page-break'
    return marker
  }
  /**
   * Puts what the pass adds (a page break, a notes block) before `next`. A paragraph that followed a paragraph
   * keeps its first-line indent, which `p + p` alone would lose to the element now between them.
   */
  const insertBefore = (added: HTMLElement, parent: Node, next: Node | null): void => {
    if (next instanceof HTMLElement && next.matches('p') && next.previousElementSibling?.matches('p')) next.classList.add('galley-indent')
    parent.insertBefore(added, next)
  }
  const range = doc.createRange()
  const charRect = (node: Text, offset: number): DOMRect | undefined => {
    range.setStart(node, offset)
    range.setEnd(node, offset + 1)
    // A character just after a line break can report an empty box at the end of the previous line first.
    const rects = range.getClientRects()
    for (let i = rects.length - 1; i >= 0; i--) {
      const rect = rects[i]
      if (rect && rect.width > 0) return rect
    }
    return rects.length > 0 ? rects[rects.length - 1] : undefined
  }
  const textNodes = (root: Node): Text[] => {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    const nodes: Text[] = []
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.length > 0) nodes.push(node as Text)
    return nodes
  }
  const isContainer = (element: Element): boolean =>
    element === body || segments.includes(element as HTMLElement) || element.matches('main, section.chapter, div#refs, div.galley-back-matter, nav, header')
  const unsplittable = 'figure, table, pre, img, svg, h1, h2, h3, h4, h5, h6, hr, .galley-page-notes, tr'

  /** The top-level block (child of a container) holding a node. */
  const topBlockOf = (node: Node): HTMLElement | undefined => {
    let current: Node | null = node
    while (current && current.parentElement) {
      if (isContainer(current.parentElement)) return current instanceof HTMLElement ? current : undefined
      current = current.parentElement
    }
    return undefined
  }

  interface Position {
    node: Text
    offset: number
  }

  /**
   * The first character at or after which everything is below `cut` on `page` (or on a later page), moved back to
   * the start of its line. Characters are in flow order, so (column, bottom) only grows: binary search.
   */
  const firstLineBelow = (root: Node, page: number, cut: number): Position | undefined => {
    // Character `index` of the root's text, found by binary search over where each text node starts (a list of
    // every character would cost a chapter's worth of objects on every call).
    const nodes = textNodes(root)
    const starts: number[] = []
    let length = 0
    for (const node of nodes) {
      starts.push(length)
      length += node.data.length
    }
    const chars = {
      length,
      at(index: number): Position | undefined {
        if (index < 0 || index >= length) return undefined
        let low = 0
        let high = nodes.length - 1
        while (low < high) {
          const mid = (low + high + 1) >> 1
          if ((starts[mid] as number) <= index) low = mid
          else high = mid - 1
        }
        return { node: nodes[low] as Text, offset: index - (starts[low] as number) }
      },
    }
    // Spaces (and soft hyphens) report the whole line box, glyphs only their own height: judge by glyphs alone.
    const visible = (index: number): boolean => {
      const position = chars.at(index)
      return position !== undefined && /[^\s\u00AD]/.test(position.node.data[position.offset] ?? '')
    }
    const below = (index: number): boolean => {
      const position = chars.at(index)
      const rect = position ? charRect(position.node, position.offset) : undefined
      if (!rect || (rect.width === 0 && rect.height === 0) || !visible(index)) return false
      const at = place(rect)
      return at.column > page || (at.column === page && at.bottom > cut)
    }
    let low = 0
    let high = chars.length
    while (low < high) {
      const mid = (low + high) >> 1
      // Characters without a box (collapsed spaces) take the verdict of the next visible one.
      let probeIndex = mid
      while (probeIndex < chars.length) {
        const position = chars.at(probeIndex)
        const rect = position ? charRect(position.node, position.offset) : undefined
        if (rect && (rect.width > 0 || rect.height > 0) && visible(probeIndex)) break
        probeIndex += 1
      }
      if (probeIndex >= chars.length || below(probeIndex)) high = mid
      else low = mid + 1
    }
    // The search lands on the first character of the verdict's run; step over collapsed white space to a visible one.
    while (low < chars.length) {
      const position = chars.at(low)
      const rect = position ? charRect(position.node, position.offset) : undefined
      if (rect && (rect.width > 0 || rect.height > 0) && visible(low) && position?.node.parentElement && !isContainer(position.node.parentElement)) break
      low += 1
    }
    return chars.at(low)
  }

  /** Splits `block` at a text position: the rest goes into a shallow copy placed after it. */
  const splitBlock = (block: HTMLElement, at: Position): HTMLElement => {
    const leaf = at.node.parentElement?.closest('p, li, div, blockquote, dd, dt') as HTMLElement | null
    if (at.offset > 0 && at.node.data[at.offset - 1] === '\u00AD') {
      at.node.replaceData(at.offset - 1, 1, '-') // The line ended at a soft hyphen: show it as Chromium drew it.
    }
    // Elements between the block and the text that the split cuts through (text of theirs comes before it):
    // their copies continue them (no indent, no list marker, no id); elements that start at the split stay whole.
    let partial = 0
    let wholeFrom: Node | undefined // The outermost element that starts exactly at the split: it moves whole.
    const before = doc.createRange()
    for (let element = at.node.parentElement; element && element !== block; element = element.parentElement) {
      before.setStart(element, 0)
      before.setEnd(at.node, at.offset)
      if (before.toString().trim() !== '') partial += 1
      else if (partial === 0) wholeFrom = element
    }
    const cut = doc.createRange()
    if (wholeFrom) cut.setStartBefore(wholeFrom)
    else cut.setStart(at.node, at.offset)
    cut.setEnd(block, block.childNodes.length)
    const rest = cut.extractContents()
    const copy = block.cloneNode(false) as HTMLElement
    copy.removeAttribute('id')
    copy.classList.add('galley-continued')
    copy.append(rest)
    const chain: HTMLElement[] = []
    for (let element = copy.firstElementChild as HTMLElement | null; element; element = element.firstElementChild as HTMLElement | null) {
      chain.push(element)
    }
    // The partly cut elements are the outermost of the chain (the innermost are the text's own inline parents).
    const blocksInChain = chain.filter((element) => getComputedStyle(element).display !== 'inline')
    for (const element of blocksInChain.slice(0, partial)) {
      element.removeAttribute('id')
      element.classList.add('galley-continued')
    }
    if (block.tagName === 'OL') {
      const start = Number(block.getAttribute('start') ?? '1')
      const whole = block.querySelectorAll(':scope > li').length
      copy.setAttribute('start', String(start + whole - (partial > 0 ? 1 : 0)))
    }
    if (leaf && block.contains(leaf) && partial > 0) leaf.classList.add('galley-split')
    if (block.tagName === 'P') block.classList.add('galley-split')
    block.after(copy)
    return copy
  }

  /**
   * Fixes the break Chromium chose between `page` and the next: an empty forced break goes where the next page
   * starts, splitting the paragraph there if need be, so that printing cannot break anywhere else.
   */
  const pinBreak = (segment: HTMLElement, page: number): void => {
    const position = firstLineBelow(segment, page, H + 1)
    if (!position) return
    let block = topBlockOf(position.node)
    if (!block || !block.parentNode) return
    const firstOfBlock = textNodes(block)[0]
    const marker = pageBreakMarker()
    if ((firstOfBlock === position.node && position.offset === 0) || block.matches(unsplittable)) {
      // Blocks without text (an image, a rule) that already went over come along.
      let previous = block.previousElementSibling as HTMLElement | null
      const movable = (element: HTMLElement): boolean => !element.matches('.galley-page-break, .galley-page-notes, .galley-end')
      while (previous && movable(previous) && previous.getClientRects()[0] && place(previous.getClientRects()[0] as DOMRect).column > page) {
        block = previous
        previous = block.previousElementSibling as HTMLElement | null
      }
      const before = block.previousElementSibling
      if (before && !movable(before as HTMLElement)) return // A break is already there.
      insertBefore(marker, block.parentNode as Node, block)
      return
    }
    splitBlock(block, position).before(marker)
  }

  /** A heading stays with what follows it: the page ends before the headings that lead into `block`. */
  const beforeKeptBlocks = (block: HTMLElement): { before: Node | null; parent: Node } => {
    let first: HTMLElement = block
    let previous = first.previousElementSibling as HTMLElement | null
    while (previous && previous.matches('h1, h2, h3, h4, h5, h6') && previous.previousElementSibling) {
      first = previous
      previous = first.previousElementSibling as HTMLElement | null
    }
    return { before: first, parent: first.parentNode ?? block }
  }

  /** Puts a page end right before the first line lower than `cut` on `page`; returns the element after it. */
  const breakAt = (segment: HTMLElement, page: number, cut: number, keep = 0): { before: Node | null; parent: Node } | undefined => {
    const end = segment.querySelector(':scope > .galley-end') ?? segment.lastChild
    const position = firstLineBelow(segment, page, cut)
    if (!position) return end ? { before: end, parent: segment } : undefined
    const block = topBlockOf(position.node)
    if (!block || !block.parentNode) return undefined
    const blockRect = block.getClientRects()[0]
    const startsBlock = blockRect && place(blockRect).column === page && place(blockRect).top >= cut - 1
    const firstOfBlock = textNodes(block)[0]
    const atStart = startsBlock || (firstOfBlock === position.node && position.offset === 0) || block.matches(unsplittable)
    if (atStart) return beforeKeptBlocks(block)
    // At least two lines of the paragraph stay on this page (orphans) and two go over (widows).
    const firstRect = firstOfBlock ? charRect(firstOfBlock, 0) : undefined
    const texts = textNodes(block)
    const lastText = texts.at(-1)
    const lastRect = lastText ? charRect(lastText, lastText.data.length - 1) : undefined
    let split = position
    let splitRect = charRect(split.node, split.offset)
    if (firstRect && splitRect) {
      const lineHeight = lineHeightOf(block)
      if (lastRect && place(lastRect).column === place(splitRect).column && Math.abs(place(lastRect).top - place(splitRect).top) < lineHeight / 2) {
        const earlier = firstLineBelow(block, page, place(splitRect).top - lineHeight / 2)
        const earlierRect = earlier ? charRect(earlier.node, earlier.offset) : undefined
        // Never at the cost of a note reference above the cut: its note is already on this page.
        if (earlier && earlierRect && place(earlierRect).top >= keep) {
          split = earlier
          splitRect = charRect(split.node, split.offset)
        }
      }
      const linesBefore = splitRect ? Math.round((place(splitRect).top - place(firstRect).top) / lineHeight) : 0
      if (place(firstRect).column === page && linesBefore < 2 && place(firstRect).top >= keep) return beforeKeptBlocks(block)
    }
    const rest = splitBlock(block, split)
    return { before: rest, parent: rest.parentNode ?? block.parentNode }
  }

  /**
   * The line a note reference sits on: the raised mark's own box is no guide to the line's bottom, the
   * character before it is (same line, since the mark follows it without a break opportunity).
   */
  const lineOf = (reference: HTMLElement): { column: number; top: number; bottom: number } => {
    const mark = reference.closest('sup') ?? reference
    const walker = doc.createTreeWalker(mark.parentElement ?? mark, NodeFilter.SHOW_TEXT)
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
    const own = place(mark.getBoundingClientRect())
    // The characters on either side, if they share the mark's line (a mark can also start a line).
    const neighbours = [
      previous ? charRect(previous, previous.data.trimEnd().length - 1) : undefined,
      next ? charRect(next, next.data.length - next.data.trimStart().length) : undefined,
    ]
    let line = own
    for (const rect of neighbours) {
      if (!rect) continue
      const at = place(rect)
      if (at.column === own.column && at.top < own.bottom && at.bottom > own.top) {
        line = { column: own.column, top: Math.min(line.top, at.top), bottom: Math.max(line.bottom, at.bottom) }
      }
    }
    // The line box reaches a full line height below its top, whatever the glyph boxes say.
    const lineHeight = lineHeightOf(mark.parentElement ?? mark)
    return { ...line, bottom: Math.max(line.bottom, Math.min(line.top, own.top) + lineHeight) }
  }

  /** A note as it sits at the foot of a page: number, text, no back-arrow. */
  const noteElement = (id: string, item: HTMLElement, number: string): HTMLElement => {
    const note = doc.createElement('div')
    note.className = 'footnote'
    note.id = id
    note.setAttribute('role', 'doc-footnote')
    // A copy: a note tried on one page and moved to the next is built again there.
    for (const child of [...item.childNodes]) note.append(child.cloneNode(true))
    for (const back of [...note.querySelectorAll('[data-footnote-backref]')]) back.remove()
    const mark = doc.createElement('a')
    mark.className = 'footnote-number'
    mark.setAttribute('href', `#fnref-${id.replace(/^fn-/, '')}`)
    mark.textContent = `${number}`
    const first = note.querySelector('p') ?? note
    first.prepend(mark, ' ')
    return note
  }

  const heightOf = (element: HTMLElement): number => {
    const rect = element.getBoundingClientRect()
    const computed = getComputedStyle(element)
    return rect.height + parseFloat(computed.marginTop) + parseFloat(computed.marginBottom)
  }

  /** Height the rule and gap above the notes take. */
  const separator = (() => {
    probe.replaceChildren()
    return probe.getBoundingClientRect().height
  })()

  /** Splits a note so its first part is at most `room` tall; the rest is a continuation note without a number. */
  const splitNote = (note: HTMLElement, room: number): HTMLElement | undefined => {
    probe.replaceChildren(note)
    segmentBox = { left: probe.getBoundingClientRect().left, top: note.getBoundingClientRect().top, pagesBefore: 0 }
    const position = firstLineBelow(note, 0, room)
    if (!position) return undefined
    const block = (position.node.parentElement?.closest('.footnote > *') as HTMLElement | null) ?? note
    const firstText = textNodes(note)[0]
    if (firstText === position.node && position.offset === 0) return undefined
    const rest = doc.createElement('div')
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

  const headings: PaginateResult['headings'] = []
  // The figures and tables the lists of figures and tables (inside `#TOC`) point at: their pages too.
  const listTargets = [...doc.querySelectorAll('#TOC .crossref-list a[href^="#"]')].map((link) => decodeURIComponent((link.getAttribute('href') ?? '').slice(1)))
  const targetPages = new Map<string, number>()
  const notes: PaginateResult['notes'] = []
  const pageRules: string[] = []
  const areas: PaginateResult['areas'] = []
  const overflows: PaginateResult['overflows'] = []
  const pageStarts: string[] = []
  let pageBase = 0

  segments.forEach((segment, segmentIndex) => {
    // A book's chapters open on a recto: after an odd number of pages so far, a blank verso (no head, no folio).
    if (params.book && segment.matches('section.chapter') && pageBase % 2 === 1) {
      const blank = doc.createElement('div')
      blank.className = 'galley-blank-page'
      segment.before(blank)
      pageBase += 1
      if (!pageRules.some((rule) => rule.startsWith('@page galley-blank '))) {
        pageRules.push('@page galley-blank { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }')
      }
    }
    segment.classList.add('galley-measure')
    const endMarker = doc.createElement('div')
    endMarker.className = 'galley-end'
    segment.append(endMarker)
    // Chromium lays the whole segment out again after every change the pass makes, so a chapter would cost the
    // square of its pages. Only a window of it is laid out: pages already final are set aside, and what is more than
    // a page ahead is held back; both are out of the layout and come back at the end.
    const setAside = doc.createElement('div')
    const heldBack = doc.createElement('div')
    for (const outside of [setAside, heldBack]) {
      outside.style.display = 'none'
      doc.documentElement.append(outside)
    }
    let pagesBefore = 0
    const measureBox = (): void => {
      const rect = segment.getBoundingClientRect()
      segmentBox = { left: rect.left, top: rect.top, pagesBefore }
    }
    /**
     * Sets aside the segment's children up to the last forced break at or before the start of `page`: a pinned
     * break, or a notes block (which ends its page). What follows then starts the layout as it started that page.
     */
    const setAsideBefore = (page: number): void => {
      let boundary: Element | undefined
      let startsAt = pagesBefore
      for (let child = segment.firstElementChild; child && child !== endMarker; child = child.nextElementSibling) {
        const column = columnOf(child.getBoundingClientRect())
        if (child.matches('.galley-page-break') && column <= page) {
          boundary = child
          startsAt = column
        } else if (child.matches('.galley-page-notes') && (child as HTMLElement).style.breakAfter !== 'auto' && column < page) {
          boundary = child
          startsAt = column + 1
        } else if (column >= page) {
          break
        }
      }
      if (!boundary) return
      while (segment.firstChild && segment.firstChild !== boundary) setAside.append(segment.firstChild)
      setAside.append(boundary)
      pagesBefore = startsAt
      measureBox()
    }
    /** Brings held-back content in until it reaches the page after `page`: the block crossing into it is then whole. */
    const fillWindow = (page: number): void => {
      while (heldBack.firstChild && lastPage() < page + 1) {
        for (let count = 0; count < 12 && heldBack.firstChild; count++) endMarker.before(heldBack.firstChild)
      }
    }
    /** The page the segment's last content is on (a zero-height marker can spill into an empty next column). */
    const lastPage = (): number => {
      measureBox()
      let last = endMarker.previousElementSibling
      while (last && last.matches('.galley-page-break') && last.previousElementSibling) last = last.previousElementSibling
      const rects = last ? last.getClientRects() : undefined
      const rect = rects && rects.length > 0 ? rects[rects.length - 1] : endMarker.getBoundingClientRect()
      return columnOf(rect as DOMRect)
    }
    const references = params.notes === 'footnotes' ? ([...segment.querySelectorAll('a[data-footnote-ref]')] as HTMLElement[]) : []
    let nextReference = 0
    let carry: HTMLElement | undefined
    const limit = (lastPage() + 1) * 4 + 20 // Notes can add pages, not multiply them: a guard against a loop.
    const windowStart = 40
    while (segment.children.length > windowStart + 1) heldBack.prepend(endMarker.previousSibling as ChildNode)
    for (let page = 0; (page <= lastPage() || carry || heldBack.firstChild) && page < limit; page++) {
      if (params.progress) console.debug(`galley-page ${pageBase + page + 1}`)
      measureBox()
      if (page > 0) setAsideBefore(page)
      fillWindow(page)
      measureBox()
      const accepted: HTMLElement[] = carry ? [carry] : []
      if (carry) probe.replaceChildren(carry) // Measured where it will sit.
      let used = separator + (carry ? heightOf(carry) : 0)
      // A note running on takes at most half of this page; what is left runs on again, and then no other note can
      // come between its parts: the references of this page wait for the next one (unless one opens the page).
      let stillRunning: HTMLElement | undefined
      if (carry && used > H / 2) {
        stillRunning = splitNote(carry, H / 2 - separator)
        probe.replaceChildren(carry)
        used = separator + heightOf(carry)
        measureBox()
      }
      carry = stillRunning
      let cut = H
      let keep = 0 // The lowest line whose note is on this page: the page may not end above it.
      while (nextReference < references.length) {
        // A reference still held back is more than a page ahead.
        if (!segment.contains(references[nextReference] as HTMLElement)) break
        if (stillRunning) {
          const reference = references[nextReference] as HTMLElement
          const at = lineOf(reference)
          if (at.column > page) break
          const lineHeight = lineHeightOf(reference.parentElement ?? reference)
          if (at.top > lineHeight) {
            cut = Math.min(cut, at.top + 1)
            break
          }
        }
        const reference = references[nextReference] as HTMLElement
        measureBox()
        const at = lineOf(reference)
        if (at.column > page) break
        const id = (reference.getAttribute('href') ?? '').slice(1)
        const item = noteItems.get(id)
        nextReference += 1
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
          notes.push({ id, page: pageBase + page + 1, referencePage: pageBase + page + 1 })
        }
        /** The note starts here and runs on at the foot of the next page (only one note can be running). */
        const runOn = (): void => {
          carry = splitNote(note, H - lineBottom - used - SLACK)
          measureBox()
          probe.replaceChildren(note)
          accept(note, heightOf(note))
        }
        const longAndRoom = lineBottom + used + 2 * lineHeight <= H && height > H / 3
        if (lineBottom + used + height + SLACK <= H) {
          accept(note, height)
        } else if (longAndRoom && !carry) {
          runOn()
          cut = Math.min(cut, lineBottom)
          break
        } else if (at.top > lineHeight) {
          nextReference -= 1 // Its line moves to the next page, and its note with it.
          cut = Math.min(cut, at.top + 1)
          break
        } else {
          // On the first line and still too tall: there is nowhere better.
          if (carry) accept(note, height)
          else runOn()
          break
        }
      }
      if (accepted.length === 0) {
        // No note fits under its reference here: the page ends above the reference's line.
        const point = cut < H ? breakAt(segment, page, cut) : undefined
        if (point) {
          insertBefore(pageBreakMarker(), point.parent, point.before)
        } else {
          pinBreak(segment, page)
        }
        continue
      }
      measureBox()
      cut = Math.min(cut, H - used - SLACK)
      const area = doc.createElement('div')
      area.className = 'galley-page-notes'
      const inner = doc.createElement('div')
      inner.className = 'galley-notes-inner'
      inner.append(...accepted)
      area.append(inner)
      // The last block's bottom margin sits between the text and the notes: if they do not fit under it, end the
      // page a line higher (never above the last reference placed here).
      let top = 0
      for (let attempt = 0; attempt < 6; attempt++) {
        const point = breakAt(segment, page, cut, keep)
        if (!point) break
        insertBefore(area, point.parent, point.before)
        measureBox()
        const box = place(area.getBoundingClientRect())
        const lineHeight = lineHeightOf(area.previousElementSibling ?? segment)
        if ((box.column === page && box.top + inner.getBoundingClientRect().height + SLACK <= H) || cut - lineHeight < keep) {
          top = box.top
          break
        }
        area.remove()
        cut -= lineHeight
      }
      if (!area.isConnected) continue
      area.style.height = `${Math.max(0, H - top - 3)}px`
      if (!area.nextElementSibling || area.nextElementSibling === endMarker) area.style.breakAfter = 'auto'
      areas.push({ page: pageBase + page + 1, top, height: H - top - 3, notes: inner.getBoundingClientRect().height })
    }

    // Where everything fell, now that the pages are final.
    segment.prepend(...setAside.childNodes)
    endMarker.before(...heldBack.childNodes)
    setAside.remove()
    heldBack.remove()
    pagesBefore = 0
    measureBox()
    const count = lastPage() + 1
    for (const heading of [...segment.querySelectorAll('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')] as HTMLElement[]) {
      headings.push({ id: heading.id, page: pageBase + columnOf(heading.getBoundingClientRect()) + 1, text: heading.textContent ?? '' })
    }
    for (const id of listTargets) {
      const element = doc.getElementById(id)
      if (element && segment.contains(element)) targetPages.set(id, pageBase + columnOf(element.getBoundingClientRect()) + 1)
    }
    for (const record of notes) {
      const element = doc.getElementById(record.id)
      const reference = doc.getElementById(`fnref-${record.id.replace(/^fn-/, '')}`)
      if (element && segment.contains(element)) record.page = pageBase + columnOf(element.getBoundingClientRect()) + 1
      if (reference && segment.contains(reference)) record.referencePage = pageBase + columnOf(reference.getBoundingClientRect()) + 1
    }
    if (params.book) {
      const name = `galley-${segmentIndex + 1}`
      // The heading that opens the chapter (`h2` for a chapter of a part); none for text before a book's first heading.
      const heading = segment.matches('section.chapter') ? segment.querySelector(':scope > :is(h1, h2):first-child') : null
      const title = heading?.textContent?.replaceAll('\u00AD', '') ?? ''
      const quoted = JSON.stringify(title)
      if (segment.matches('section.chapter, .galley-back-matter')) {
        // The chapter's opening page has a name of its own (no running head; Chromium has no page-group :first),
        // the rest the chapter's name. The names change exactly at the first pinned page break, so they add none.
        let opening = true
        for (const child of [...segment.children] as HTMLElement[]) {
          if (child.matches('.galley-page-break')) opening = false
          child.style.setProperty('page', opening ? `${name}-open` : name)
          if (child.matches('.galley-page-notes')) opening = false
        }
        pageRules.push(`@page ${name}-open { @top-left { content: none; } @top-right { content: none; } }`)
        if (title) pageRules.push(`@page ${name}:right { @top-right { content: ${quoted}; } }`)
      } else {
        segment.style.setProperty('page', `${name}-open`)
        pageRules.push(`@page ${name}-open { @top-left { content: none; } @top-right { content: none; } }`)
      }
    }
    for (const element of [...segment.querySelectorAll('p, li, pre, table, figure, img, blockquote, .csl-entry, h1, h2, h3, h4, h5, h6, .footnote')] as HTMLElement[]) {
      if (element.scrollWidth <= element.clientWidth + 1 || element.clientWidth === 0) continue
      const rect = element.getClientRects()[0]
      const text = (element.textContent ?? element.getAttribute('alt') ?? element.tagName).replaceAll('\u00AD', '').trim().slice(0, 40)
      if (rect) overflows.push({ page: pageBase + columnOf(rect) + 1, text })
    }
    if (params.debug) {
      for (let column = 0; column < count; column++) {
        const start = column === 0 ? textNodes(segment).map((node) => ({ node, offset: 0 }))[0] : firstLineBelow(segment, column - 1, H + 1)
        pageStarts.push(start ? start.node.data.slice(start.offset, start.offset + 30).replaceAll('\u00AD', '') : '')
      }
    }
    endMarker.remove()
    segment.classList.remove('galley-measure')
    pageBase += count
  })

  // TOC page numbers: the pages the headings (and listed figures and tables) fell on.
  const pageOf = new Map([...targetPages, ...headings.map((heading): [string, number] => [heading.id, heading.page])])
  for (const number of [...doc.querySelectorAll('#TOC .toc-page')] as HTMLElement[]) {
    const href = number.closest('a')?.getAttribute('href') ?? ''
    number.textContent = String(pageOf.get(decodeURIComponent(href.slice(1))) ?? '')
  }

  probeArea.remove()
  body.classList.remove('galley-measuring')
  style.remove()
  return { pages: pageBase, headings, notes, css: pageRules.join('\n'), areas, overflows, ...(params.debug ? { pageStarts } : {}) }
}
