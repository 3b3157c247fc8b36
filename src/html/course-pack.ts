// A course pack (`layout: course-pack`): each input file is a reading, opened by its own front matter under the pack's title.
import type { Heading, Paragraph, PhrasingContent, Root } from 'mdast'
import type { Chapter } from '../markdown/types.js'
import { resolveMetadata, type Layer } from '../config/metadata.js'
import type { Metadata } from '../config/schema.js'
import { parseInline } from '../markdown/parse-inline.js'
import { visit } from '../tree-visit.js'
import { formatDate } from './rehype-document.js'

/** The front matter keys that describe a reading, not the pack it is in. */
const readingKeys = new Set(['title', 'subtitle', 'author', 'date'])

/**
 * The front matter layers to merge into the pack's metadata: in a course pack (the command line or the config file
 * says `layout: course-pack`) without each reading's own title, subtitle, authors and date, which open the reading
 * instead (`openReadings`); otherwise as they are.
 */
export function packFrontMatter(frontMatter: readonly Layer[], runnerLayers: readonly Layer[]): Layer[] {
  const layout = runnerLayers.find((layer) => layer.has('layout'))?.get('layout')?.value
  if (layout !== 'course-pack') return [...frontMatter]
  return frontMatter.map((layer) => new Map([...layer].filter(([key]) => !readingKeys.has(key))))
}

/**
 * Opens each reading (one input file, one `chapter` node of the book) with a level-1 heading of its title and a line
 * each for its subtitle, authors and date, and moves its own headings one level down, so that the reading is the
 * book's level-1 section: one chapter in print (its title in the recto running heads), one entry in the contents,
 * one reference list with `section-bibliographies`. A reading without a `title` that opens with a level-1 heading
 * keeps its headings as they are, that heading being its title; one with neither is reported and named by its file.
 * Unless the pack says otherwise, it gets a table of contents.
 */
export function openReadings(book: Root, metadata: Metadata): void {
  if (!metadata.given.includes('toc')) metadata.toc = true
  // A file cut at its Quarto includes is one reading: its later stretches, and the files it includes, go with it.
  let current: { input: number; shifted: boolean } | undefined
  const shiftHeadings = (chapter: Chapter): void =>
    visit(chapter, 'heading', (node: Heading) => {
      node.depth = Math.min(node.depth + 1, 6) as Heading['depth']
    })
  for (const chapter of book.children) {
    if (chapter.type !== 'chapter') continue
    const input = chapter.data.input ?? chapter.data.index
    if (current?.input === input) {
      if (current.shifted) shiftHeadings(chapter)
      continue
    }
    const file = chapter.data.file
    const own = new Map([...(file.data.frontMatter ?? new Map())].filter(([key]) => readingKeys.has(key)))
    const reading = resolveMetadata([own])
    const first = chapter.children[0]
    current = { input, shifted: false }
    if (!reading.given.includes('title') && first?.type === 'heading' && first.depth === 1) continue
    if (!reading.given.includes('title')) {
      file.message('This reading has no `title` in its front matter; it is named by its file', { ruleId: 'reading-without-title', source: 'galley:config' })
    }
    current.shifted = true
    const title = reading.given.includes('title') ? reading.title : (file.stem ?? 'Reading')
    shiftHeadings(chapter)
    const lines: Paragraph[] = []
    const line = (className: string, text: string): void => {
      lines.push({ type: 'paragraph', children: inline(text), data: { hProperties: { className: [className] } } })
    }
    if (reading.subtitle) line('reading-subtitle', reading.subtitle)
    if (reading.author.length > 0) line('reading-author', reading.author.map((author) => author.name).join(', '))
    if (reading.date) line('reading-date', formatDate(reading.date, metadata.lang))
    const authors = reading.author.map((author) => author.name).join(', ')
    // The contents name the reading's authors after its title.
    const byline = authors === '' ? {} : { dataByline: authors }
    const heading: Heading = { type: 'heading', depth: 1, children: inline(title), data: { hProperties: { className: ['reading-title'], ...byline } } }
    chapter.children.unshift(heading, ...lines)
  }
}

/** A front matter string read as Markdown, as Pandoc reads metadata (`*Leviathan*`); as plain text if it is no paragraph. */
function inline(text: string): PhrasingContent[] {
  return parseInline(text) ?? [{ type: 'text', value: text }]
}
