// Applies Pandoc attribute blocks on headings (`# Title {#id .class}`) and images (`![a](b.png){width=60%}`).
import type { Properties } from 'hast'
import type { Heading, Image, Root } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from '../tree-visit.js'
import type {} from '../markdown/types.js'
import { readLeadingAttributes, safeProperties, splitTrailingAttributes } from './attributes.js'

const sizeKeys = new Set(['width', 'height'])

/** Moves attributes into `data.hProperties`; the `{…}` text never reaches the output. */
export function remarkAttributes() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'heading', (heading: Heading) => {
      const last = heading.children.at(-1)
      if (last?.type !== 'text') return
      const split = splitTrailingAttributes(last.value)
      if (!split) return
      const [text, properties] = split
      last.value = text.trimEnd()
      if (last.value === '') heading.children.pop()
      mergeProperties(heading, safeProperties(properties))
    })
    visit(tree, 'image', (image: Image, index, parent) => {
      if (!parent || index === undefined) return
      const next = parent.children[index + 1]
      if (next?.type !== 'text') return
      const leading = readLeadingAttributes(next.value)
      if (!leading) return
      const [properties, length] = leading
      next.value = next.value.slice(length)
      if (next.value === '') parent.children.splice(index + 1, 1)
      mergeProperties(image, imageProperties(properties, (key, value) => {
        file.message(`Image ${key} "${value.slice(0, 40)}" is not a size (such as 60%, 300px or 8cm) and is ignored`, {
          place: image.position,
          ruleId: 'bad-attribute',
          source: 'galley:markdown',
        })
      }))
    })
  }
}

/** A size as Pandoc reads `width=`/`height=`: a number with a CSS unit or `%`, or a bare number of pixels. */
const sizePattern = /^\d+(?:\.\d+)?(?:%|px|cm|mm|in|pt|pc|em|rem|ex|ch|vw|vh)?$/

/**
 * `width=60%` becomes a CSS width (as Pandoc's HTML writer does), and only a size does: anything else would write
 * into `style=""`. Other keys go through `safeProperties`.
 */
function imageProperties(properties: Properties, refuse: (key: string, value: string) => void): Properties {
  const rest: Properties = {}
  const styles: string[] = []
  for (const [key, value] of Object.entries(properties)) {
    if (!sizeKeys.has(key)) rest[key] = value
    else if (typeof value === 'string' && sizePattern.test(value.trim())) styles.push(`${key}: ${/^[\d.]+$/.test(value.trim()) ? `${value.trim()}px` : value.trim()}`)
    else refuse(key, String(value))
  }
  const result = safeProperties(rest)
  if (styles.length > 0) result['style'] = styles.join('; ')
  return result
}

function mergeProperties(node: Heading | Image, properties: Properties): void {
  node.data ??= {}
  node.data.hProperties = { ...node.data.hProperties, ...properties }
}
