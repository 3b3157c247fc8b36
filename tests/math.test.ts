// Formulas in the HTML: MathML for every one, no TeX left outside the annotations, macros from the metadata.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import { SKIP, visit } from 'unist-util-visit'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { fromParse5 } from 'hast-util-from-parse5'
import { toHtml } from 'hast-util-to-html'
import { parseFragment } from 'parse5'
import temml from 'temml'
import { build } from '../src/build.js'
import { readMathml } from '../src/html/remark-math-to-mathml.js'
import { parseMarkdown } from '../src/markdown/parse.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const fixture = path.join(import.meta.dirname, 'fixtures', 'math-tex-formulas', 'input.md')

async function html(markdown: string): Promise<{ tree: Root; messages: string[] }> {
  const dir = makeProject({ 'paper.md': markdown })
  const result = await build({ inputs: ['paper.md'], to: ['html'], cwd: dir, env })
  const tree = fromHtml(readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8'))
  return { tree, messages: result.files.flatMap((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)) }
}

/** The text of the main text, formulas left out. */
function textOutsideMath(tree: Root): string {
  const texts: string[] = []
  visit(tree, (node) => {
    if (node.type === 'element' && ['math', 'head', 'style'].includes((node as Element).tagName)) return SKIP
    if (node.type === 'text') texts.push(node.value)
    return undefined
  })
  return texts.join('')
}

function mathElements(tree: Root): Element[] {
  const found: Element[] = []
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'math') found.push(node)
  })
  return found
}

describe('math in the HTML', () => {
  it('has a <math> with its TeX annotation for every formula, and no TeX outside them', async () => {
    const markdown = readFileSync(fixture, 'utf8')
    const formulas: string[] = []
    visit(await parseMarkdown(new VFile({ path: 'input.md', value: markdown })), (node) => {
      if (node.type === 'inlineMath' || node.type === 'displayMath') formulas.push((node as { value: string }).value)
    })
    const { tree, messages } = await html(markdown)
    expect(messages).toEqual([])
    const maths = mathElements(tree)
    expect(formulas.length).toBe(19)
    expect(maths).toHaveLength(formulas.length)
    const annotations = maths.map((math) => {
      let tex: string | undefined
      visit(math, 'element', (node: Element) => {
        if (node.tagName === 'annotation' && node.properties['encoding'] === 'application/x-tex') tex = toString(node)
      })
      return tex
    })
    expect(annotations).toEqual(formulas)
    const text = textOutsideMath(tree)
    // The prices are the only dollars; no backslash, brace or caret of TeX is left.
    expect(text.match(/\$/g)).toHaveLength(3)
    expect(text).toContain('costs $5, or $5 and $6')
    expect(text).not.toMatch(/[\\^{}]/)
  })

  it('applies macros from `macros` and header-includes, and a formula’s own \\newcommand to that formula only', async () => {
    const { tree, messages } = await html(
      [
        '---',
        'title: Macros',
        "macros: {RR: '\\mathbb{R}', pair: '\\langle #1, #2 \\rangle'}",
        'header-includes: |',
        '  \\usepackage{amssymb}',
        '  \\renewcommand{\\vec}[1]{\\mathbf{#1}}',
        '  \\DeclareMathOperator{\\rank}{rank}',
        '---',
        '',
        '$\\RR$ $\\pair{a}{b}$ $\\vec{v}$ $\\rank A$ $\\newcommand{\\Q}{\\mathbb{Q}}\\Q$ $\\Q$',
      ].join('\n'),
    )
    // What each formula shows: its <semantics>' first child, without the annotation.
    const shown = mathElements(tree).map((math) => toString((math.children[0] as Element).children[0] as Element))
    expect(shown).toEqual(['ℝ', '⟨a,b⟩', '𝐯', 'rank\u2061A', 'ℚ'])
    // `\Q` was the last formula's own: here it is an unknown command, reported.
    expect(shown).toHaveLength(5)
    expect(messages).toEqual(['10:74 math-error'])
  })
})

describe('macro definitions in the text', () => {
  it('reads a paragraph of definitions as TeX for the formulas (Pandoc’s latex_macros) and leaves it out of the text', async () => {
    const { tree, messages } = await html('---\ntitle: Body macros\n---\n\n\\newcommand{\\R}{\\mathbb{R}}\n\\def\\E{\\mathbb{E}}\n\nThen $\\E[X] \\in \\R$.\n\n\\newcommand is a command, and so is \\def.\n')
    expect(messages).toEqual([])
    expect(mathElements(tree).map((math) => toString((math.children[0] as Element).children[0] as Element))).toEqual(['𝔼[X]∈ℝ'])
    const text = textOutsideMath(tree).replaceAll('\u00AD', '')
    expect(text).not.toContain('mathbb')
    expect(text).toContain('\\newcommand is a command, and so is \\def.')
  })

  it('leaves a paragraph of definitions out of a document that has no formula as well', async () => {
    const { tree, messages } = await html('---\ntitle: No formulas\n---\n\n\\newcommand{\\R}{\\mathbb{R}}\n\\renewcommand{\\vec}[1]{\\mathbf{#1}}\n\nOnly words.\n')
    expect(messages).toEqual([])
    const text = textOutsideMath(tree).replaceAll('\u00AD', '')
    expect(text).not.toMatch(/mathbb|mathbf|newcommand|\\R/)
    expect(text).toContain('Only words.')
  })
})

describe('the math cache', () => {
  it('gives a rebuild the same HTML and the same warnings, and follows a change of macros', async () => {
    const text = (rr: string): string => `---\ntitle: Cached\nmacros: {RR: '${rr}'}\n---\n\n$\\RR^n$, $x^2$ and $\\frac{a$.\n`
    const dir = makeProject({ 'paper.md': text('\\mathbb{R}') })
    const once = async (): Promise<{ html: string; messages: string[] }> => {
      const result = await build({ inputs: ['paper.md'], to: ['html'], cwd: dir, env })
      const html = readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8')
      return { html: html.slice(html.indexOf('<main')), messages: result.files.flatMap((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)) }
    }
    const first = await once()
    expect(first.messages).toEqual(['6:28 math-error'])
    expect(await once()).toEqual(first)
    writeFileSync(path.join(dir, 'paper.md'), text('\\mathbf{R}'))
    const changed = await once()
    expect(changed.html).toContain('𝐑')
    expect(changed.html).not.toContain('ℝ')
  })
})

describe('reading Temml’s MathML', () => {
  it('gives the tree parse5 gives, for the formulas of the fixtures and some with markup characters', () => {
    const formulas = [...readFileSync(fixture, 'utf8').matchAll(/\$\$?([^$]+)\$/g)].map((match) => match[1] ?? '')
    formulas.push('a < b \\& c > d', '\\text{Tom & "Jerry" <3}', '\\operatorname{argmax}', '\\begin{align} a &= b \\\\ c &= d \\end{align}', '\\color{red} x', '\\cancel{x} \\overline{y}')
    expect(formulas.length).toBeGreaterThan(15)
    for (const tex of formulas) {
      for (const displayMode of [false, true]) {
        const mathml = temml.renderToString(tex, { displayMode, annotate: true, throwOnError: false })
        const read = readMathml(mathml)
        expect(read, tex).toBeDefined()
        expect(toHtml(read ?? []), tex).toBe(toHtml(fromParse5(parseFragment(mathml))))
      }
    }
  })

  it('leaves what is outside its subset to parse5', () => {
    expect(readMathml('<math><mi>x</mi>')).toBeUndefined()
    expect(readMathml('<math><mi>&nbsp;</mi></math>')).toBeUndefined()
    expect(readMathml("<math><mi class='x'>y</mi></math>")).toBeUndefined()
  })
})
