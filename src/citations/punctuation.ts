// Pandoc's `mvPunct`: punctuation right after a citation that becomes a note (or prints as a superscript) moves
// before its mark, into a closing quotation mark where the locale wants it; and the period terms a note keeps.
import type { Parent, RootContent } from 'mdast'

/** What moving punctuation needs to know of the style and locale. */
export interface PunctuationContext {
  /** A note style with `notes-after-punctuation`: punctuation after a citation made a note moves before its mark. */
  moveNotes: boolean
  /** Move punctuation before a superscript citation too: Pandoc does so only when `notes-after-punctuation` is set. */
  moveSuperscripts: boolean
  punctuationInQuote: boolean
}

/**
 * A citation printed as a superscript takes the place of the space before it, and with `notes-after-punctuation`
 * set, the punctuation after it moves before it, as a note's does.
 */
export function mvPunctAfterSuperscript(parent: Parent, node: RootContent, context: PunctuationContext): void {
  const at = parent.children.indexOf(node)
  const before = parent.children[at - 1]
  if (before?.type === 'text') before.value = before.value.replace(/\s+$/, '')
  const after = parent.children[at + 1]
  if (!context.moveSuperscripts || after?.type !== 'text' || !/^[.,;:!?]/.test(after.value)) return
  const moved = takePunctuation(before, after, context)
  if (moved) parent.children.splice(at, 0, { type: 'text', value: moved })
}

/**
 * A citation made a note: its mark takes the place of the space before it, and the punctuation after it (when it
 * followed a space, or is `.,;:!?`) moves before the mark. Gives what goes before the mark; `before` and `after`
 * lose what moved.
 */
export function mvPunctBeforeNote(before: RootContent | undefined, after: RootContent | undefined, context: Pick<PunctuationContext, 'moveNotes' | 'punctuationInQuote'>): string {
  const hadSpace = before?.type === 'text' && /\s$/.test(before.value)
  if (before?.type === 'text') before.value = before.value.replace(/\s+$/, '')
  const movable = context.moveNotes && after?.type === 'text' && (hadSpace || /^[.,;:!?]/.test(after.value))
  return movable && after?.type === 'text' ? takePunctuation(before, after, context) : ''
}

/**
 * A narrative citation made a note keeps its author in the text: the punctuation after it moves in between, before
 * the mark ("Doe,¹ …"), or goes when the author's text ends with punctuation already, as in Pandoc. Gives what goes
 * after the author.
 */
export function mvPunctAfterAuthor(after: RootContent | undefined, authorText: string, context: Pick<PunctuationContext, 'moveNotes'>): string {
  const punctuation = context.moveNotes && after?.type === 'text' && /^[.,;:!?]/.test(after.value) ? leadingPunctuation(after.value) : ''
  if (!punctuation || after?.type !== 'text') return ''
  after.value = after.value.slice(punctuation.length)
  return endsWithPunctuation(authorText) ? '' : punctuation
}

/**
 * Takes the punctuation right after a citation (not dashes, nothing after a closing quotation mark) so that it can
 * go before the citation's mark. With `punctuation-in-quote` (American English) a period or comma goes inside the
 * closing quotation mark before; the rest is returned.
 */
export function takePunctuation(before: RootContent | undefined, after: RootContent & { type: 'text' }, context: Pick<PunctuationContext, 'punctuationInQuote'>): string {
  const punctuation = leadingPunctuation(after.value)
  if (!punctuation) return ''
  after.value = after.value.slice(punctuation.length)
  const quote = before?.type === 'text' ? /[”’]$/.exec(before.value) : null
  const inQuote = context.punctuationInQuote && quote !== null ? /^[.,]+/.exec(punctuation)?.[0] : undefined
  if (before?.type !== 'text' || !inQuote) return punctuation
  before.value = before.value.slice(0, -1) + inQuote + before.value.slice(-1)
  return punctuation.slice(inQuote.length)
}

/**
 * Leading punctuation that may move before a note: not dashes, which notes and quotes do not cross, and nothing
 * after a closing quotation mark: `"words [@a]".` keeps the note inside the quotation, as Pandoc's `Quoted` does.
 */
function leadingPunctuation(text: string): string {
  if (/^[”’»]/.test(text)) return ''
  return /^[^\P{P}–—”’»]+/u.exec(text)?.[0] ?? ''
}

/** Pandoc's `endWithPunct`: ends in `.,;:!?`, or in other punctuation right after one of those (`.)`, `.”`). */
function endsWithPunctuation(text: string): boolean {
  return /[.,;:!?]$/.test(text) || /[.,;:!?]\p{P}$/u.test(text)
}

/** Whether text ends in a locale or style term with a period (`Ibid.`, `et al.`, `n.d.`), which must keep it. */
export function periodTerms(xml: string): (text: string) => boolean {
  const terms = new Set<string>()
  for (const [, value = ''] of xml.matchAll(/>([^<>]*\.)</g)) {
    const term = value.trim().toLowerCase()
    if (term.length > 1 && term.length < 16) terms.add(term)
  }
  return (text) => {
    const lower = text.toLowerCase()
    for (const term of terms) {
      if (lower.endsWith(term) && !/\p{L}/u.test(lower[lower.length - term.length - 1] ?? '')) return true
    }
    return false
  }
}
