// Applies Pandoc attribute blocks on headings (`# Title {#id .class}`) and images (`![a](b.png){width=60%}`).
import type { Properties } from 'hast'
import type { Heading, Image, Root } from 'mdast'
import { visit } from '../tree-visit.js'
import type {} from '../markdown/types.js'
import { readLeadingAttributes, splitTrailingAttributes } from './attributes.js'

const sizeKeys = new Set(['width', 'height'])

/** Moves attributes into `data.hProperties`; the `{…}` text never reaches the output. */
export function remarkAttributes() {
  return (tree: Root): void => {
    visit(tree, 'heading', (heading: Heading) => {
      const last = heading.children.at(-1)
      if (last?.type !== 'text') return
      const split = splitTrailingAttributes(last.value)
      if (!split) return
      const [text, properties] = split
      last.value = text.trimEnd()
      if (last.value === '') heading.children.pop()
      mergeProperties(heading, properties)
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
      mergeProperties(image, imageProperties(properties))
    })
  }
}

/** `width=60%` becomes a CSS width (as Pandoc's HTML writer does); other keys become `data-*`-free attributes. */
function imageProperties(properties: Properties): Properties {
  const result: Properties = {}
  const styles: string[] = []
  for (const [key, value] of Object.entries(properties)) {
    if (sizeKeys.has(key) && typeof value === 'string') {
      styles.push(`${key}: ${/^\d+$/.test(value) ? `${value}px` : value}`)
    } else {
      result[key] = value
    }
  }
  if (styles.length > 0) result['style'] = styles.join('; ')
  return result
}

function mergeProperties(node: Heading | Image, properties: Properties): void {
  node.data ??= {}
  node.data.hProperties = { ...node.data.hProperties, ...properties }
}
