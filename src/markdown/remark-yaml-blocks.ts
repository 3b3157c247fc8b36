// Pandoc's YAML metadata blocks: the front matter and any later `---` … `---`/`...` block after a blank line, read into one layer.
import path from 'node:path'
import type { Root, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { parse as parseYaml } from 'yaml'
import { readYamlLayer, type Layer } from '../config/metadata.js'

/**
 * remark-frontmatter's fence for this text's front matter: Pandoc closes it with `---` or `...`, whichever line comes
 * first. One fence, chosen here, rather than both: a failed attempt at the other leaves micromark unable to find
 * footnote definitions (seen with micromark-extension-frontmatter 2 and gfm-footnote 2).
 */
export function yamlFence(text: string): 'yaml' | { type: 'yaml'; fence: { open: string; close: string } } {
  const close = /^---[ \t]*\r?\n(?:[\s\S]*?\r?\n)?(---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text)?.[1]
  return close === '...' ? { type: 'yaml', fence: { open: '---', close: '...' } } : 'yaml'
}

/**
 * Reads the front matter (a `yaml` node) and every later metadata block into `file.data.frontMatter`, removing them
 * from the tree; as in Pandoc, a key set again in a later block takes the later value. A later block is a `---` line
 * after a blank line (or at the start), not followed by a blank line, up to a `---` or `...` line, whose text is a
 * YAML mapping; anything else stays what CommonMark made of it (a thematic break, a setext heading).
 */
export function remarkYamlBlocks() {
  return (tree: Root, file: VFile): void => {
    const dir = path.dirname(path.resolve(file.cwd, file.path))
    const layers: Layer[] = []
    const removed: [number, number][] = []
    const first = tree.children[0]
    if (first?.type === 'yaml') {
      removed.push([first.position?.start.offset ?? 0, first.position?.end.offset ?? 0])
      // The YAML text starts on the line after the opening `---`.
      layers.push(readYamlLayer(first.value, file.path, dir, (first.position?.start.line ?? 1) + 1))
      tree.children.shift()
    }
    const source = String(file.value)
    for (let index = 0; index < tree.children.length; index++) {
      const block = laterBlock(source, tree.children[index])
      if (!block) continue
      layers.push(readYamlLayer(block.yaml, file.path, dir, block.line + 1))
      removed.push([tree.children[index]?.position?.start.offset ?? 0, block.endOffset])
      let end = index
      while (end < tree.children.length && (tree.children[end]?.position?.start.offset ?? Infinity) < block.endOffset) end++
      tree.children.splice(index, end - index)
      index--
    }
    if (removed.length > 0) file.data.yamlBlocks = removed
    if (layers.length > 0) file.data.frontMatter = new Map(layers.flatMap((layer) => [...layer]))
  }
}

function laterBlock(source: string, node: RootContent | undefined): { yaml: string; line: number; endOffset: number } | undefined {
  if (node?.type !== 'thematicBreak' || node.position?.start.offset === undefined) return undefined
  const start = node.position.start.offset
  // Only the text just before is read: a book has many rules, and reading all that precedes each is quadratic.
  const before = source.slice(Math.max(0, start - 80), start)
  if (!/\n[ \t]*\r?\n[ \t]*$/.test(before) && !(start <= 80 && before.trim() === '')) return undefined
  const match = /^---[ \t]*\r?\n(?![ \t]*\r?\n)([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source.slice(start))
  if (!match) return undefined
  const yaml = match[1] ?? ''
  let data: unknown
  try {
    data = parseYaml(yaml)
  } catch {
    return undefined
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined
  return { yaml, line: node.position.start.line, endOffset: start + match[0].length }
}
