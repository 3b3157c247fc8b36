// Runs in the test page, bundled with the layout modules: the layout of the page's `#segment` (columns of 300 × 100
// px), framed as the pass has it when it measures a segment.
import { frameSegment } from '../../src/pdf/layout/measure.js'
import { createLayout, type Layout } from '../../src/pdf/layout/state.js'

export function segmentLayout(options: { book?: boolean; pageBase?: number } = {}): { layout: Layout; segment: HTMLElement } {
  const segment = document.getElementById('segment') as HTMLElement
  const params = { width: 300, height: 100, notes: 'endnotes' as const, book: options.book ?? false, bookTitle: '' }
  const layout = createLayout(params, { segments: [segment], probe: segment, separator: 0, noteItems: new Map(), heights: new WeakMap() })
  layout.pageBase = options.pageBase ?? 0
  frameSegment(layout, segment, 0)
  return { layout, segment }
}
