// Numbers notes per chapter (`notes-numbering: chapter`): each chapter's note marks start again at 1.
import type { Root } from 'hast'
import { visit } from '../tree-visit.js'
import { classNames } from './class-names.js'

/**
 * remark-rehype numbers notes through the whole book; this renumbers the marks within each chapter and gives the
 * notes list the same numbers (`<li value>`), so the page-foot notes, EPUB pop-ups and endnotes all agree.
 */
export function rehypeNoteNumbers() {
  return (tree: Root): void => {
    const numbers = new Map<string, number>()
    visit(tree, 'element', (chapter) => {
      if (chapter.tagName !== 'section' || !classNames(chapter.properties['className']).includes('chapter')) return
      let counter = 0
      visit(chapter, 'element', (mark) => {
        const href = mark.properties['href']
        if (mark.tagName !== 'a' || mark.properties['dataFootnoteRef'] === undefined || typeof href !== 'string') return
        const id = href.slice(1)
        let number = numbers.get(id)
        if (number === undefined) {
          number = ++counter
          numbers.set(id, number)
        }
        mark.children = [{ type: 'text', value: String(number) }]
      })
    })
    visit(tree, 'element', (item) => {
      const id = item.properties['id']
      if (item.tagName === 'li' && typeof id === 'string' && numbers.has(id)) item.properties['value'] = String(numbers.get(id) ?? 1)
    })
  }
}
