// Attaches Pandoc `Table: caption` (or `: caption`) paragraphs, above or below a table, to that table.
import type { Paragraph, Parent, Root, Table } from 'mdast'
import { visit } from '../tree-visit.js'
import type { TableCaption } from './types.js'

const captionStart = /^(?:Table)?:[ \t]+/

export function remarkTableCaptions() {
  return (tree: Root): void => {
    visit(tree, (node) => {
      if (!('children' in node)) return
      const parent = node as Parent
      for (let i = 0; i < parent.children.length; i++) {
        const table = parent.children[i]
        if (table?.type !== 'table' || table.children[0]?.type === 'tableCaption') continue
        // Pandoc prefers the caption below the table when both could apply.
        for (const at of [i + 1, i - 1]) {
          const candidate = parent.children[at]
          if (candidate?.type === 'paragraph' && isCaption(candidate)) {
            attach(table, candidate)
            parent.children.splice(at, 1)
            if (at < i) i -= 1
            break
          }
        }
      }
    })
  }
}

function isCaption(paragraph: Paragraph): boolean {
  const first = paragraph.children[0]
  return first?.type === 'text' && captionStart.test(first.value)
}

function attach(table: Table, paragraph: Paragraph): void {
  const first = paragraph.children[0]
  if (first?.type === 'text') first.value = first.value.replace(captionStart, '')
  if (first?.type === 'text' && first.value === '') paragraph.children.shift()
  // Inside the table, where every later walk meets it before the rows, as Pandoc reads a table.
  const caption: TableCaption = { type: 'tableCaption', children: paragraph.children }
  if (paragraph.position) caption.position = paragraph.position
  table.children.unshift(caption)
}
