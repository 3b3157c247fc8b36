// Applies Pandoc attribute blocks on headings (`# Title {#id .class}`), images (`![a](b.png){width=60%}`), links, code spans and code blocks; drops raw blocks (`{=html}`).
import type { Properties } from 'hast'
import type { Code, Heading, Image, InlineCode, Link, Root } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from '../tree-visit.js'
import type {} from '../markdown/types.js'
import { parseAttributes, readLeadingAttributes, safeProperties, splitTrailingAttributes } from './attributes.js'

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
    // Pandoc's link_attributes and inline_code_attributes: `[a](b){.c}`, `` `x`{.py} ``; `` `<b>`{=html} `` is raw output.
    visit(tree, (node, index, parent) => {
      if ((node.type !== 'link' && node.type !== 'inlineCode') || !parent || index === undefined) return undefined
      const next = parent.children[index + 1]
      if (next?.type !== 'text' || !next.value.startsWith('{')) return undefined
      const raw = /^\{=([\w-]+)\}/.exec(next.value)
      if (raw && node.type === 'inlineCode') {
        next.value = next.value.slice(raw[0].length)
        if (next.value === '') parent.children.splice(index + 1, 1)
        parent.children.splice(index, 1)
        rawWarning(file, raw[1] ?? '', node.position)
        return index
      }
      const leading = readLeadingAttributes(next.value)
      if (!leading) return undefined
      const [properties, length] = leading
      next.value = next.value.slice(length)
      if (next.value === '') parent.children.splice(index + 1, 1)
      mergeProperties(node as Link | InlineCode, safeProperties(properties))
      return undefined
    })
    // Pandoc's fenced_code_attributes: ```` ```{.python #id} ```` and ```` ```python {.numberLines} ````; ```` ```{=latex} ```` is raw output.
    visit(tree, 'code', (code: Code, index, parent) => {
      const written = [code.lang, code.meta].filter(Boolean).join(' ').trim()
      const raw = /^\{=([\w-]+)\}$/.exec(written)
      if (raw && parent && index !== undefined) {
        parent.children.splice(index, 1)
        rawWarning(file, raw[1] ?? '', code.position)
        return index
      }
      const braces = /^([\w+#-]*)\s*\{([^{}]*)\}$/.exec(written)
      const properties = braces?.[2] === undefined ? undefined : parseAttributes(braces[2])
      if (!braces || !properties) return undefined
      const classes = [properties['className'] ?? []].flat().map(String)
      const language = braces[1] || classes.shift()
      code.lang = language ?? null
      code.meta = null
      const rest: Properties = { ...properties }
      // Classes given replace the `language-…` one remark-rehype makes, so it is written with them.
      if (classes.length > 0) rest['className'] = [...(language ? [`language-${language}`] : []), ...classes]
      else delete rest['className']
      mergeProperties(code, safeProperties(rest))
      return undefined
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

/** Raw output for a format (Pandoc's raw_attribute): never passed through, as raw HTML and raw TeX are not. */
function rawWarning(file: VFile, format: string, place: Code['position']): void {
  const ruleId = format === 'html' ? 'raw-html' : 'raw-tex'
  file.message(`Raw \`${format}\` content is left out of the output`, { place, ruleId, source: 'galley:markdown' })
}

function mergeProperties(node: Heading | Image | Link | InlineCode | Code, properties: Properties): void {
  node.data ??= {}
  node.data.hProperties = { ...node.data.hProperties, ...properties }
}
