// Pandoc's `tex_math_dollars` rules: where `$` opens and closes math, and that the TeX inside is left as written.
import { spawnSync } from 'node:child_process'
import type { Parent, Root, RootContent } from 'mdast'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { parseMarkdown } from '../src/markdown/parse.js'

/**
 * Markdown, and what Pandoc 2.17 reads (`pandoc -f markdown -t json`, written compactly): `⟨m:…⟩` inline math,
 * `⟨M:…⟩` display math, `¶` between paragraphs. Pandoc collapses white space in inline math; the comparison does too.
 */
const cases: [markdown: string, pandoc: string][] = [
  ['$x$', '⟨m:x⟩'],
  ['$ x$', '$ x$'],
  ['$x $', '$x $'],
  ['$x$5', '$x$5'],
  ['$5 and $6', '$5 and $6'],
  ['US$5 and US$6', 'US$5 and US$6'],
  ['costs \\$5 and $x$', 'costs $5 and ⟨m:x⟩'],
  ['$a $b$', '$a ⟨m:b⟩'],
  ['$x\n$', '$x\n$'],
  ['$x\n\n$', '$x¶$'],
  ['$x\ny$', '⟨m:x y⟩'],
  ['$a_i$ and $b_i$', '⟨m:a_i⟩ and ⟨m:b_i⟩'],
  ['$a *b* c$', '⟨m:a *b* c⟩'],
  ['$\\$x$', '⟨m:\\$x⟩'],
  ['$\\$$', '⟨m:\\$⟩'],
  ['$x\\$', '$x$'],
  ['$a\\,b$', '⟨m:a\\,b⟩'],
  ['$\\{x\\}$', '⟨m:\\{x\\}⟩'],
  ['$a\\\n$', '⟨m:a\\⟩'],
  ['\\\\$x$', '\\⟨m:x⟩'],
  ['$\\text{a $b$ c}$', '⟨m:\\text{a $b$ c}⟩'],
  ['$\\textbf{$}$', '⟨m:\\textbf{⟩}$'],
  ['$[@key]$', '⟨m:[@key]⟩'],
  ["$a'$ and $a--b$", "⟨m:a'⟩ and ⟨m:a--b⟩"],
  ['$<b>$', '⟨m:<b>⟩'],
  ['$a & b$', '⟨m:a & b⟩'],
  ['$x$,', '⟨m:x⟩,'],
  ['$x$-th', '⟨m:x⟩-th'],
  ['($x$)', '(⟨m:x⟩)'],
  ['a$b$c', 'a⟨m:b⟩c'],
  ['$a$b', '⟨m:a⟩b'],
  ['$1$', '⟨m:1⟩'],
  ['$x$$y$', '⟨m:x⟩⟨m:y⟩'],
  ['$x$$', '⟨m:x⟩$'],
  ['$$x$', '$⟨m:x⟩'],
  ['$$', '$$'],
  ['$$$$', '$$$$'],
  ['$$x$$', '⟨M:x⟩'],
  ['$$ x $$', '⟨M: x ⟩'],
  ['$$a$$b', '⟨M:a⟩b'],
  ['a $$ b $$ c', 'a ⟨M: b ⟩ c'],
  ['$$\na\n$$', '⟨M:\na\n⟩'],
  ['$$\\frac{a}{b}$$ and $$\n\\sum_i\n$$', '⟨M:\\frac{a}{b}⟩ and ⟨M:\n\\sum_i\n⟩'],
  ['`$x$`', '⟨code:$x$⟩'],
  ['*$x$*', '⟨em:⟨m:x⟩⟩'],
  ['[$x$](u)', '⟨link:⟨m:x⟩⟩'],
]

function compact(nodes: readonly RootContent[]): string {
  return nodes
    .map((node): string => {
      switch (node.type) {
        case 'text':
          return node.value
        case 'inlineMath':
          return `⟨m:${node.value}⟩`
        case 'displayMath':
          return `⟨M:${node.value}⟩`
        case 'inlineCode':
          return `⟨code:${node.value}⟩`
        case 'emphasis':
          return `⟨em:${compact(node.children)}⟩`
        case 'link':
          return `⟨link:${compact(node.children)}⟩`
        case 'paragraph':
          return compact(node.children)
        default:
          return `⟨${node.type}${'children' in node ? `:${compact((node as Parent).children)}` : ''}⟩`
      }
    })
    .join('')
}

/** Pandoc's inline math is trimmed with its white space collapsed; compare on that. */
const normal = (text: string): string => text.replace(/⟨m:([^⟩]*)⟩/g, (_, tex: string) => `⟨m:${tex.replace(/\s+/g, ' ').trim()}⟩`)

async function read(markdown: string): Promise<string> {
  const tree: Root = await parseMarkdown(new VFile({ path: 'case.md', value: markdown }))
  return tree.children.map((block) => compact([block])).join('¶')
}

describe('tex_math_dollars', () => {
  it.each(cases)('%j reads as Pandoc reads it', async (markdown, pandoc) => {
    expect(normal(await read(markdown))).toBe(normal(pandoc))
  })

  it('keeps display math going past a backslash-escaped dollar (as Pandoc 3 does)', async () => {
    expect(await read('$$a \\$$ b$$')).toBe('⟨M:a \\$$ b⟩')
  })

  it('leaves the TeX of a multi-line formula as written, indentation and all', async () => {
    expect(await read('We have\n$$p(x) =\n    \\sum_k \\pi_k$$\nwhere')).toBe('We have\n⟨M:p(x) =\n    \\sum_k \\pi_k⟩\nwhere')
  })
})

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0

describe.runIf(hasPandoc)('the table above', () => {
  it('is what this machine’s pandoc reads', () => {
    type Inline = { t: string; c?: unknown }
    const flat = (inlines: Inline[]): string =>
      inlines
        .map((inline) => {
          const c = inline.c as never
          if (inline.t === 'Str') return c
          if (inline.t === 'Space') return ' '
          if (inline.t === 'SoftBreak') return '\n'
          if (inline.t === 'Math') return `⟨${(c[0] as Inline).t === 'InlineMath' ? 'm' : 'M'}:${c[1] as string}⟩`
          if (inline.t === 'Code') return `⟨code:${c[1] as string}⟩`
          if (inline.t === 'Emph') return `⟨em:${flat(c)}⟩`
          if (inline.t === 'Link') return `⟨link:${flat(c[1])}⟩`
          return `⟨${inline.t}⟩`
        })
        .join('')
    for (const [markdown, expected] of cases) {
      const result = spawnSync('pandoc', ['-f', 'markdown', '-t', 'json'], { input: markdown, encoding: 'utf8' })
      const blocks = (JSON.parse(result.stdout) as { blocks: { t: string; c: Inline[] }[] }).blocks
      expect(normal(blocks.map((block) => flat(block.c)).join('¶')), markdown).toBe(normal(expected))
    }
  })
})
