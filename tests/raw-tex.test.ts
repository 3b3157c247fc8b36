// Raw TeX in Markdown (Pandoc's raw_tex) is left out of the output, as pandoc 2.17 leaves it out of HTML.
import { spawnSync } from 'node:child_process'
import { toString } from 'mdast-util-to-string'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { parseMarkdown } from '../src/markdown/parse.js'

const manuscript = String.raw`\vspace*{\fill}
\tableofcontents

\pagenumbering{gobble}

A \textbf{bold} and \LaTeX{} and \ref{x} and \cite[p.~3]{k}, C:\Users\x end.

Escaped \\newpage stays, and \$5, \% and \\ too. \begin{center}*Hi*\end{center} gone.

\begin{tabbing}
xx \= yy \\
\end{tabbing}

\newpage

Text with math $\alpha + \beta$ and code ` + "`\\code`" + String.raw`.
`

async function paragraphs(text: string): Promise<{ texts: string[]; warnings: string[] }> {
  const file = new VFile({ path: 'doc.md', value: text, cwd: '/tmp' })
  const tree = await parseMarkdown(file)
  // A page break (`\newpage` alone) is shown as `<page break>`.
  const texts = tree.children.map((node) => (node.type === 'fencedDiv' && node.data?.hProperties?.['className']?.toString() === 'galley-page-break' ? '<page break>' : toString(node)))
  return { texts, warnings: file.messages.map((message) => `${message.line}:${message.column}: ${message.ruleId} ${message.reason}`) }
}

describe('raw TeX', () => {
  it('drops commands and environments, keeping escapes, code and math', async () => {
    const { texts } = await paragraphs(manuscript)
    expect(texts).toEqual([
      // `\ref{x}` is a cross-reference (a citation node until the cross-reference pass), not raw TeX.
      'A and and \\ref{x} and , C:end.',
      'Escaped \\newpage stays, and $5, % and \\ too. gone.',
      '<page break>',
      // The formula is a math node (its TeX, without the dollars), untouched.
      'Text with math \\alpha + \\beta and code \\code.',
    ])
  })

  it('warns once per command, at its line', async () => {
    // `\newpage` alone is a page break, no warning; inside a paragraph it is raw TeX like any other.
    const { warnings } = await paragraphs('\\newpage\n\nA \\newpage B\n\n\\newpage\n\nText \\vspace{1em}\n')
    expect(warnings).toEqual([
      '3:3: raw-tex Raw LaTeX `\\newpage` is left out of the output, as Pandoc leaves it out of HTML and EPUB',
      '7:6: raw-tex Raw LaTeX `\\vspace` is left out of the output, as Pandoc leaves it out of HTML and EPUB',
    ])
  })

  it('breaks the page after a paragraph whose last line is a page break, as the LaTeX PDF does', async () => {
    const { texts, warnings } = await paragraphs('Text.\n\\newpage\n\n\\vspace*{\\fill}\n\\pagenumbering{gobble}\n\\clearpage\n\nNext.\n')
    expect(texts).toEqual(['Text.', '<page break>', '<page break>', 'Next.'])
    expect(warnings.map((warning) => warning.split(' ').slice(0, 5).join(' '))).toEqual(['4:1: raw-tex Raw LaTeX `\\vspace`', '5:1: raw-tex Raw LaTeX `\\pagenumbering`'])
  })

  it.skipIf(spawnSync('pandoc', ['--version']).status !== 0)('leaves the same paragraphs as pandoc', () => {
    const html = spawnSync('pandoc', ['-f', 'markdown', '-t', 'plain', '--wrap=none'], { input: manuscript, encoding: 'utf8' }).stdout
    expect(html.trim().split(/\n\n/).map((text) => text.replace(/\s+/g, ' '))).toEqual(['A and and and , C:end.', 'Escaped \\newpage stays, and $5, % and \\ too. gone.', 'Text with math α + β and code \\code.'])
  })
})
