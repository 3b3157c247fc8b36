// Callouts: Quarto's `::: {.callout-note}` fenced divs and GitHub's `> [!NOTE]` alerts become `callout` nodes.
import type { Blockquote, Heading, Parent, PhrasingContent, Root, RootContent } from 'mdast'
import { visit } from '../tree-visit.js'
import { parseInline } from './parse-inline.js'
import type { Callout, CalloutKind, CalloutTitle, FencedDiv } from './types.js'

const kinds: readonly CalloutKind[] = ['note', 'tip', 'important', 'warning', 'caution']
/** GitHub's marker, alone on the first line of a block quote's first paragraph (any case, as GitHub reads it). */
const alertMarker = /^\[!(note|tip|important|warning|caution)\][ \t]*(?:\n|$)/i

/**
 * Quarto's title is `title="…"` (inline Markdown) or else a first heading, which leaves the body (and the contents);
 * `collapse`, `appearance` and `icon` are for the screen and are ignored. A GitHub alert is titled by its kind.
 */
export function remarkCallouts() {
  return (tree: Root): void => {
    rewrite(tree)
  }
}

function rewrite(parent: Parent): void {
  parent.children = parent.children.map((child) => {
    if ('children' in child) rewrite(child as Parent)
    if (child.type === 'fencedDiv') return fromFencedDiv(child) ?? child
    if (child.type === 'blockquote') return fromAlert(child) ?? child
    return child
  }) as Parent['children']
}

function fromFencedDiv(div: FencedDiv): Callout | undefined {
  const properties = div.data?.hProperties ?? {}
  const classes = Array.isArray(properties['className']) ? properties['className'].map(String) : []
  const kind = kinds.find((name) => classes.includes(`callout-${name}`))
  if (!kind) return undefined
  const { className: _classes, title, ...rest } = properties
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(rest)) if (!/^data-(collapse|appearance|icon)$/.test(key)) kept[key] = value
  const others = classes.filter((name) => name !== `callout-${kind}` && name !== 'callout')
  const body = [...div.children] as Callout['children']
  let heading: CalloutTitle | undefined
  if (typeof title === 'string' && title.trim() !== '') {
    // Positions inside the attribute's text are not the file's: messages about the title point at the fence.
    const children = parseInline(title) ?? [{ type: 'text', value: title }]
    visit({ type: 'root', children }, (node) => {
      if (div.position) node.position = { start: { ...div.position.start }, end: { ...div.position.end } }
      else delete node.position
    })
    heading = { type: 'calloutTitle', children, ...(div.position ? { position: div.position } : {}) }
  } else if (body[0]?.type === 'heading') {
    const first = body.shift() as Heading
    heading = { type: 'calloutTitle', children: first.children, ...(first.position ? { position: first.position } : {}) }
  }
  return {
    type: 'callout',
    kind,
    children: heading ? [heading, ...body] : body,
    data: { hProperties: { ...kept, className: ['callout', `callout-${kind}`, ...others] } },
    ...(div.position ? { position: div.position } : {}),
  }
}

function fromAlert(quote: Blockquote): Callout | undefined {
  const [first, ...rest] = quote.children
  const text = first?.type === 'paragraph' ? first.children[0] : undefined
  const match = text?.type === 'text' ? alertMarker.exec(text.value) : undefined
  if (!first || first.type !== 'paragraph' || !text || text.type !== 'text' || !match) return undefined
  const kind = (match[1] ?? 'note').toLowerCase() as CalloutKind
  text.value = text.value.slice(match[0].length)
  const paragraph: PhrasingContent[] = first.children.filter((child) => child.type !== 'text' || child.value !== '')
  // A line break left at the start of the first line (`[!NOTE]\` in some sources) is no content.
  while (paragraph[0]?.type === 'break') paragraph.shift()
  const children: RootContent[] = paragraph.length > 0 ? [{ ...first, children: paragraph }, ...rest] : rest
  return {
    type: 'callout',
    kind,
    children: children as Callout['children'],
    data: { hProperties: { className: ['callout', `callout-${kind}`] } },
    ...(quote.position ? { position: quote.position } : {}),
  }
}
