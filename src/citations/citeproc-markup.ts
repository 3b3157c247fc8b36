// Inline Markdown as the markup citeproc-js reads in a field or an affix.
import type { PhrasingContent } from 'mdast'

/**
 * Emphasis, strong emphasis, Pandoc's `^sup^`, `~sub~`, `[Small]{.smallcaps}` and `[DNA]{.nocase}` as citeproc's `<i>`,
 * `<b>`, `<sup>`, `<sub>` and small-caps and no-case spans; code and links as their text.
 */
export function citeprocMarkup(nodes: readonly PhrasingContent[]): string {
  return nodes.map(node).join('')
}

function node(content: PhrasingContent): string {
  switch (content.type) {
    case 'text':
      return spans(content.value)
    case 'emphasis':
      return `<i>${citeprocMarkup(content.children)}</i>`
    case 'strong':
      return `<b>${citeprocMarkup(content.children)}</b>`
    case 'inlineCode':
      return content.value
    case 'break':
      return ' '
    default:
      return 'children' in content ? citeprocMarkup(content.children as PhrasingContent[]) : 'value' in content ? String(content.value) : ''
  }
}

/** Pandoc's superscripts, subscripts and bracketed spans in a run of text. */
function spans(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\{\s*\.smallcaps\s*\}/g, '<span style="font-variant:small-caps;">$1</span>')
    .replace(/\[([^\]]*)\]\{\s*\.nocase\s*\}/g, '<span class="nocase">$1</span>')
    .replace(/\^([^\s^]+)\^/g, '<sup>$1</sup>')
    .replace(/(?<!~)~([^\s~]+)~(?!~)/g, '<sub>$1</sub>')
}
