// The print edition's page numbers in the EPUB's text: a `doc-pagebreak` marker where each page of the PDF made in
// the same build starts, found by the page's first characters in the book's text, in reading order.
import type { Element, ElementContent, Root, Text } from 'hast'
import { h } from 'hastscript'
import type { PageStart } from '../pdf/layout/types.js'

/**
 * Characters that differ between the print and the EPUB text or carry no glyph: left out of the comparison. Hyphens
 * too: where a printed line breaks a word, the PDF's text has the hyphen its soft hyphen became (`hand-` `written`),
 * the EPUB's the soft hyphen.
 */
const ignored = /[\s\u00AD\u200B-]/g

/** Characters of the page's text, and of the text before it, that tell its start from another place that reads alike. */
const needleLength = 64

/** How many of a page's first characters are looked for when its first `needleLength` are not in the EPUB's text. */
const shorterNeedles = [32, 16]

interface Run {
  node: Text
  parent: Element | Root
  /** The outermost `math` or `svg` element the text is in: a marker goes before it, never inside. */
  foreign: Element | undefined
  /** Where the run's compared characters start in the book's. */
  start: number
}

/**
 * Inserts `<span role="doc-pagebreak" epub:type="pagebreak" id="page-N" aria-label="N"/>` where each page starts.
 * A page whose first characters are not found after the previous page's start gets no marker. Returns the pages
 * marked, in order.
 */
export function insertPageBreaks(tree: Root, starts: readonly PageStart[]): number[] {
  const runs: Run[] = []
  let text = ''
  const collect = (parent: Element | Root, foreign: Element | undefined): void => {
    for (const child of parent.children) {
      if (child.type === 'text') {
        const compared = child.value.replace(ignored, '')
        if (compared.length === 0) continue
        runs.push({ node: child, parent, foreign, start: text.length })
        text += compared
      } else if (child.type === 'element' && child.properties['id'] !== 'title-block-header' && !['head', 'nav', 'style', 'script'].includes(child.tagName)) {
        collect(child, foreign ?? (child.tagName === 'math' || child.tagName === 'svg' ? child : undefined))
      }
    }
  }
  collect(tree, undefined)
  const placed: { run: Run; offset: number; page: number }[] = []
  let cursor = 0
  for (const start of starts) {
    const at = findStart(text, start, cursor)
    if (at === -1) continue
    const run = runOf(runs, at)
    placed.push({ run, offset: rawOffset(run.node.value, at - run.start), page: start.page })
    cursor = at + 1
  }
  // From the last to the first, so that each split leaves the places still to mark where they were.
  for (const { run, offset, page } of placed.toReversed()) {
    const marker = h('span', { role: 'doc-pagebreak', 'epub:type': 'pagebreak', id: `page-${page}`, ariaLabel: String(page) })
    if (run.foreign) {
      insertBefore(tree, run.foreign, marker)
      continue
    }
    const siblings = run.parent.children as ElementContent[]
    const index = siblings.indexOf(run.node)
    // The node keeps the text before the page: a page that starts earlier in it is still found in it.
    const after = run.node.value.slice(offset)
    run.node.value = run.node.value.slice(0, offset)
    siblings.splice(index + 1, 0, marker, { type: 'text', value: after })
  }
  return placed.map(({ page }) => page)
}

/**
 * Where the page starts in the book's compared characters, at or after `cursor`; -1 when not found. The page's first
 * characters, with the end of the page before where the EPUB has it too (not across a note moved to the page's foot);
 * then fewer of them, for a page whose first lines run into text the EPUB has elsewhere (a short last page whose
 * chapter ends above the bibliography, where the EPUB puts the chapter's notes between them).
 */
function findStart(text: string, start: PageStart, cursor: number): number {
  const needle = start.text.replace(ignored, '').slice(0, needleLength)
  const before = start.before.replace(ignored, '').slice(-needleLength)
  if (needle.length === 0) return -1
  for (const length of [needle.length, ...shorterNeedles.filter((shorter) => shorter < needle.length)]) {
    const prefix = needle.slice(0, length)
    const withBefore = before ? text.indexOf(before + prefix, cursor) : -1
    if (withBefore !== -1) return withBefore + before.length
    const alone = text.indexOf(prefix, cursor)
    if (alone !== -1) return alone
  }
  return -1
}

/** The run holding compared character `at` (binary search over the runs' starts). */
function runOf(runs: readonly Run[], at: number): Run {
  let low = 0
  let high = runs.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((runs[mid] as Run).start <= at) low = mid
    else high = mid - 1
  }
  return runs[low] as Run
}

/** The offset in `value` of its compared character `index`. */
function rawOffset(value: string, index: number): number {
  let seen = 0
  for (let offset = 0; offset < value.length; offset++) {
    if (/[\s\u00AD\u200B-]/.test(value.charAt(offset))) continue
    if (seen === index) return offset
    seen += 1
  }
  return value.length
}

/** Puts `added` right before `element`, wherever it is in the tree. */
function insertBefore(node: Element | Root, element: Element, added: Element): boolean {
  const index = node.children.indexOf(element)
  if (index !== -1) {
    ;(node.children as ElementContent[]).splice(index, 0, added)
    return true
  }
  return node.children.some((child) => child.type === 'element' && insertBefore(child, element, added))
}
