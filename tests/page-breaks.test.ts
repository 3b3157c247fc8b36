// Page markers placed by the page's first characters in the EPUB's text: with the end of the page before, and with
// fewer characters when the page's first lines run into text the EPUB has elsewhere (notes between a chapter and the
// bibliography that the PDF printed at the foot of an earlier page).
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import { describe, expect, it } from 'vitest'
import { insertPageBreaks } from '../src/epub/page-breaks.js'

const marker = (page: number): string => `<span role="doc-pagebreak" epub:type="pagebreak" id="page-${page}" aria-label="${page}"></span>`

describe('insertPageBreaks', () => {
  it('marks a page by its first characters and the end of the page before, not where the same words recur earlier', () => {
    const tree = h(null, [h('p', 'The same words open both. One end.'), h('p', 'Another end. The same words open both, again.')])
    expect(insertPageBreaks(tree, [{ page: 2, text: 'The same words open both, again.', before: 'Another end. ' }])).toEqual([2])
    expect(toHtml(tree)).toBe(`<p>The same words open both. One end.</p><p>Another end. ${marker(2)}The same words open both, again.</p>`)
  })

  it('marks a short last page whose text runs on, in the print, into a bibliography the EPUB has after the notes', () => {
    const tree = h(null, [
      h('section', [h('h1', 'Intro'), h('p', 'Text with a note.')]),
      h('section', [h('h1', 'More'), h('p', 'Closing text (Doe 2020).')]),
      h('section', { role: 'doc-endnotes' }, [h('ol', [h('li', 'A note printed at the foot of page one.')])]),
      h('div', { id: 'refs' }, [h('p', 'Doe, Jo. 2020. A Book.')]),
    ])
    const starts = [
      { page: 1, text: 'Intro Text with a note.', before: '' },
      { page: 2, text: 'More Closing text (Doe 2020).\nDoe, Jo. 2020. A Book.', before: 'Text with a note. A note printed at the foot of page one.' },
    ]
    expect(insertPageBreaks(tree, starts)).toEqual([1, 2])
    expect(toHtml(tree)).toContain(`<h1>${marker(2)}More</h1>`)
  })

  it('leaves out a page none of whose first characters are in the text', () => {
    const tree = h(null, [h('p', 'Only this.')])
    expect(insertPageBreaks(tree, [{ page: 3, text: 'Something the EPUB does not have at all.', before: '' }])).toEqual([])
  })
})
