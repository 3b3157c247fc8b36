// Parses Pandoc attribute blocks `{#id .class key=value}` into hast properties.
import type { Properties } from 'hast'

/** Reads the inside of `{…}`; undefined when it is not an attribute list (so the text stays as written). */
export function parseAttributes(inner: string): Properties | undefined {
  const properties: Properties = {}
  const classes: string[] = []
  const token = /\s*(?:#([\w:.-]+)|\.([\w-]+)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))|(-))/y
  let at = 0
  const text = inner.trim()
  while (at < text.length) {
    token.lastIndex = at
    const match = token.exec(text)
    if (!match) return undefined
    at = token.lastIndex
    const [, id, className, key, dq, sq, bare, dash] = match
    if (id) properties['id'] = id
    else if (className) classes.push(className)
    else if (dash) classes.push('unnumbered')
    else if (key) properties[key === 'class' ? 'className' : key] = dq ?? sq ?? bare ?? ''
  }
  if (classes.length > 0) properties['className'] = classes
  return properties
}

/** Splits a trailing `{…}` attribute block off a string: `["Heading", props]`, or undefined when there is none. */
export function splitTrailingAttributes(text: string): [string, Properties] | undefined {
  const match = /\s*\{([^{}]*)\}\s*$/.exec(text)
  if (!match || match[1] === undefined) return undefined
  const properties = parseAttributes(match[1])
  return properties ? [text.slice(0, match.index), properties] : undefined
}

/** Leading `{…}` block, as after an image: `![x](a.png){width=50%} rest` → `[props, length]`. */
export function readLeadingAttributes(text: string): [Properties, number] | undefined {
  const match = /^\{([^{}]*)\}/.exec(text)
  if (!match || match[1] === undefined) return undefined
  const properties = parseAttributes(match[1])
  return properties ? [properties, match[0].length] : undefined
}

/** Attributes an author may set as they are; any other `key=value` is kept as `data-key`, as Pandoc's HTML writer does. */
const plainAttributes = new Set(['id', 'className', 'title', 'lang', 'dir'])

/**
 * The attributes of a `{…}` block as they may reach the output. Event handlers, `style`, `src`, `href` and the like
 * would let a document run script or fetch files; as `data-*` attributes they do nothing.
 */
export function safeProperties(properties: Properties): Properties {
  const result: Properties = {}
  for (const [key, value] of Object.entries(properties)) {
    result[plainAttributes.has(key) ? key : `data-${key.toLowerCase()}`] = value
  }
  return result
}
