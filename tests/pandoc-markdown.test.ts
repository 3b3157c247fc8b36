// Pandoc's Markdown extensions beyond CommonMark (definition lists, line blocks, inline notes, bracketed spans, example
// lists, page breaks), each compared with Debian's pandoc 2.17 on the same minimal input: the element structure, not bytes.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, ElementContent, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { parseMarkdown } from '../src/markdown/parse.js'
import { makeProject } from './helpers/project.js'

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0

/** Attributes that carry meaning in both outputs (ids and note links differ by design). */
const kept = new Set(['className', 'lang', 'dataFoo', 'start', 'type'])

/** An element tree as `tag.class[attr=value](children)`, text with white space collapsed; blank text left out. */
function shape(nodes: readonly ElementContent[]): string {
  return nodes
    .map((node) => {
      // Soft hyphens are Galley's hyphenation, not structure.
      // No-break spaces are kept: a line block's leading spaces are written as them.
      const text = node.type === 'text' ? node.value.replace(/\u00ad/g, '').replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '') : ''
      if (node.type === 'text') return text === '' ? '' : JSON.stringify(text)
      if (node.type !== 'element') return ''
      const attributes = Object.entries(node.properties)
        .filter(([key]) => kept.has(key))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, value]) => (key === 'className' ? `.${[value].flat().join('.')}` : `[${key}=${String(value)}]`))
        .join('')
      return `${node.tagName}${attributes}(${shape(node.children)})`
    })
    .filter(Boolean)
    .join(' ')
}

function bodyOf(html: string, pick: (root: Root) => ElementContent[]): string {
  return shape(pick(fromHtml(html)))
}

function find(root: Root | Element, test: (element: Element) => boolean): Element | undefined {
  for (const child of root.children) {
    if (child.type !== 'element') continue
    if (test(child)) return child
    const found = find(child, test)
    if (found) return found
  }
  return undefined
}

/** The chapter's content in Galley's HTML (the notes section left out: Pandoc's differs in markup). */
async function galleyHtml(markdown: string): Promise<{ html: string; messages: string[] }> {
  const dir = makeProject({ 'ms.md': `---\ntitle: T\n---\n\n${markdown}` })
  const result = await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false })
  const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`))
  return { html: readFileSync(path.join(dir, 'out.html'), 'utf8'), messages }
}

function galleyBody(html: string): string {
  return bodyOf(html, (root) => {
    const chapter = find(root, (element) => element.tagName === 'section' && [element.properties['className']].flat().includes('chapter'))
    return (chapter?.children ?? []).filter((child) => !(child.type === 'element' && (child.tagName === 'section' || child.tagName === 'header')))
  })
}

function pandocBody(markdown: string): string {
  const dir = makeProject({ 'ms.md': markdown })
  const html = execFileSync('pandoc', ['ms.md', '-f', 'markdown', '-t', 'html'], { cwd: dir, encoding: 'utf8' })
  writeFileSync(path.join(dir, 'out.html'), html)
  return bodyOf(html, (root) => {
    const body = find(root, (element) => element.tagName === 'body')
    return (body?.children ?? []).filter((child) => !(child.type === 'element' && child.tagName === 'section'))
  })
}

/**
 * A one-line code block without a language as Pandoc writes it: Galley gives every block the `div.sourceCode` markup
 * with a span per line (code-highlighting.test.ts), which Pandoc keeps for blocks in a language.
 */
function asPandocCode(shape: string): string {
  return shape.replace(/div\.sourceCode(?:\.short)?\(pre\.sourceCode\(code\.sourceCode\(span\.line\(("[^"]*")\)\)\)\)/g, 'pre(code($1))')
}

async function expectSameAsPandoc(markdown: string): Promise<string> {
  const { html } = await galleyHtml(markdown)
  const galley = asPandocCode(galleyBody(html))
  expect(galley).toBe(pandocBody(markdown))
  return galley
}

async function warnings(markdown: string): Promise<string[]> {
  const file = new VFile({ path: 'doc.md', value: markdown, cwd: '/tmp' })
  await parseMarkdown(file)
  return file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)
}

describe.skipIf(!hasPandoc)('definition lists', () => {
  it('read terms and `:` or `~` definitions, tight and loose, with indented continuation', async () => {
    const shape = await expectSameAsPandoc(
      [
        'Term 1',
        '',
        ':   Definition 1',
        '',
        'Term *2*',
        '',
        ':   Definition 2',
        '',
        '        { code, part of definition 2 }',
        '',
        '    Third paragraph of definition 2.',
        '',
        'Tight',
        '  ~ one',
        '    continued',
        '  ~ two',
        '',
        'After the list.',
        '',
      ].join('\n'),
    )
    expect(shape).toContain('dl(dt("Term 1") dd(p("Definition 1"))')
    expect(shape).toContain('dt("Tight") dd("one continued") dd("two")')
  })

  it('keep the paragraphs of a definition that goes on after a blank line, as Pandoc does', async () => {
    // Tight (no blank line before the `:`), yet loose for Pandoc: its paragraphs were run together ("One.Two.").
    const shape = await expectSameAsPandoc('Term\n:   One.\n    Line two.\n\n    Two.\n\nNext\n:   Only one.\n')
    expect(shape).toContain('dd(p("One. Line two.") p("Two."))')
  })

  it('have one-line terms, as Pandoc: lines before a `:` line are a paragraph, and the definition text after it', async () => {
    const shape = await expectSameAsPandoc('Line one\nline *two*\n\n:   text\n\nTerm\n: def\n\nPara one\nTerm\n: def\n')
    expect(shape).toBe('p("Line one line" em("two")) p(": text") dl(dt("Term") dd("def")) p("Para one Term : def")')
  })

  it('take a paragraph before a `:` line for a term, as Pandoc does, and leave `~~~` fences and `~~strikeout~~` alone', async () => {
    await expectSameAsPandoc('First paragraph.\n\n: not a definition\n\n~~~\ncode\n~~~\n\nx\n~~y~~\n')
  })
})

/** The notes of Galley's and Pandoc's HTML: each note's content, in order, back links left out. */
function notes(html: string): string[] {
  const list = find(fromHtml(html), (element) => element.tagName === 'ol' || element.tagName === 'aside')
  const section = find(fromHtml(html), (element) => element.tagName === 'section' && [element.properties['className']].flat().some((name) => String(name).startsWith('footnotes')))
  const items = (section ? find(section, (element) => element.tagName === 'ol') : list)?.children ?? []
  return items
    .filter((item): item is Element => item.type === 'element' && item.tagName === 'li')
    .map((item) => shape(item.children).replace(/ ?a[.\w-]*\("↩[^"]*"\)/g, ''))
}

describe.skipIf(!hasPandoc)('inline notes', () => {
  it('become notes numbered in order with the other notes, their Markdown and brackets read', async () => {
    const markdown = 'One[^a] two^[inline *md*, [a link](https://example.org) and [brackets]] three.[^b]\n\n^[*starts* a paragraph]\n\n\\^[not a note] and ^[multi\nline] and [unclosed ^[x\n\n[^a]: First.\n[^b]: Third.\n'
    const { html } = await galleyHtml(markdown)
    const pandoc = execFileSync('pandoc', ['-f', 'markdown', '-t', 'html'], { input: markdown, encoding: 'utf8' })
    expect(galleyBody(html).replace(/sup\(a\("\d+"\)\)/g, 'NOTE')).toBe(pandocBody(markdown).replace(/a\.footnote-ref\(sup\("\d+"\)\)/g, 'NOTE'))
    expect(notes(html)).toEqual(notes(pandoc))
    expect(notes(html)).toEqual(['p("First.")', 'p("inline" em("md") "," a("a link") "and [brackets]")', 'p("Third.")', 'p(em("starts") "a paragraph")', 'p("multi line")'])
  })

  it('hold citations, formatted as in any note', async () => {
    const dir = makeProject({
      'ms.md': '---\ntitle: T\nbibliography: refs.json\n---\n\nText^[See [@doe, p. 3] and @doe.] end.\n',
      'refs.json': JSON.stringify([{ id: 'doe', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2001]] } }]),
    })
    await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false })
    const [note] = notes(readFileSync(path.join(dir, 'out.html'), 'utf8'))
    expect(note).toContain('Doe 2001, 3')
    expect(note).toContain('Doe (2001)')
  })

  it('keep the positions of what they hold', async () => {
    const file = new VFile({ path: 'doc.md', value: 'Text.^[A note with \\foo and [@missing].]\n', cwd: '/tmp' })
    const tree = await parseMarkdown(file)
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)).toEqual(['1:20 raw-tex'])
    const definition = tree.children.at(-1)
    expect(definition?.type).toBe('footnoteDefinition')
    expect(definition?.position?.start).toMatchObject({ line: 1, column: 6 })
  })
})

describe.skipIf(!hasPandoc)('bracketed spans', () => {
  it('become spans, <u> and <mark>, with safe attributes, beside links, citations and heading attributes', async () => {
    await expectSameAsPandoc(
      [
        '[Small caps]{.smallcaps} [u]{.underline} [m]{.mark} [Deutsch]{lang=de} [x]{#i .c foo=v} [a [b]{.i} c]{.o} [*em*]{.e}',
        '',
        '[a link](https://example.org) and [a ref][r] and [brackets] and [text] {.not-a-span} and \\[escaped]{.x}',
        '',
        '# Head [span]{.smallcaps}',
        '',
        '# Head [x] {.cls}',
        '',
        '[r]: https://example.org/r',
        '',
      ].join('\n'),
    )
  })

  it('turn script and style attributes into inert data attributes', async () => {
    const { html } = await galleyHtml('[y]{onclick=alert(1) style="color:red" href=javascript:x}\n')
    const span = /<span[^>]*>y<\/span>/.exec(html)?.[0]
    expect(span).toBe('<span data-onclick="alert(1)" data-style="color:red" data-href="javascript:x">y</span>')
  })

  it('around a citation make it narrative, as Pandoc reads `[@doe]{.x}`', async () => {
    const { tree } = await parseWith('[@doe]{.x} and [see @roe]{.y}\n')
    const spans = tree.children[0]?.type === 'paragraph' ? tree.children[0].children.filter((child) => child.type === 'emphasis') : []
    expect(spans.map((span) => span.children.map((child) => (child.type === 'citation' ? `${child.mode}:${child.items[0]?.key}` : child.type)))).toEqual([['citation' === 'citation' ? 'narrative:doe' : ''], ['text', 'narrative:roe']])
  })
})

async function parseWith(markdown: string): Promise<{ tree: import('mdast').Root; file: VFile }> {
  const file = new VFile({ path: 'doc.md', value: markdown, cwd: '/tmp' })
  return { tree: await parseMarkdown(file), file }
}

describe.skipIf(!hasPandoc)('line blocks', () => {
  it('keep their lines and leading spaces, join continuation lines, and hold inline Markdown', async () => {
    const shape = await expectSameAsPandoc(
      [
        '| The *limerick* packs laughs anatomical',
        '|    In space that is quite economical.',
        '|',
        '| But the good ones I have seen',
        '  So seldom are clean',
        '| And the clean ones so seldom are comical',
        '',
        'Text.',
        '',
        '> | quoted',
        '> |   line',
        '',
        '- | in a list',
        '  | second',
        '',
        '\\| escaped',
        '| not a line block',
        '',
      ].join('\n'),
    )
    expect(shape).toContain('div.line-block("The" em("limerick") "packs laughs anatomical" br() "\u00a0\u00a0\u00a0In space that is quite economical." br() br() "But the good ones I have seen So seldom are clean" br()')
  })

  it('keep the positions of what their lines hold', async () => {
    expect(await warnings('Text.\n\n| first \\vspace{1em} line\n|   second \\hfill line\n')).toEqual(['3:9 raw-tex', '4:12 raw-tex'])
  })
})

describe.skipIf(!hasPandoc)('example lists', () => {
  it('number (@) items on through the file, and @label in the text becomes the number', async () => {
    const shape = await expectSameAsPandoc('(@) one\ncontinued\n(@good) two\n\n(@) three\n\nText (@good) and (@) and @good.\n\nMore.\n\n@. four\n\n(@last) five\n\nSee @last.\n')
    expect(shape).toContain('ol.example[type=1](li(p("one continued")) li(p("two")) li(p("three")))')
    expect(shape).toContain('p("Text (2) and (@) and 2.")')
    // A deliberate difference: Pandoc 2.17 numbers `mail@good.org` too (`mail2.org`); an address is left alone.
    const { html } = await galleyHtml('(@good) one\n\nWrite to mail@good.org.\n')
    expect(galleyBody(html)).toContain('"Write to mail@good.org."')
    expect(shape).toContain('ol.example[start=4][type=1](li("four"))')
  })

  it('number on through the chapters of a book, as Pandoc numbers its files joined', async () => {
    const dir = makeProject({ 'a.md': '---\ntitle: T\n---\n\n# One\n\n(@) a\n(@b) b\n\nSee @b.\n', 'b.md': '# Two\n\n(@c) c\n\nSee @c.\n' })
    await build({ inputs: ['a.md', 'b.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false })
    const html = readFileSync(path.join(dir, 'out.html'), 'utf8')
    expect(html).toMatch(/<ol class="example" type="1">/)
    expect(html).toContain('<ol start="3" class="example" type="1">')
    expect(html).toContain('See 2.')
    expect(html).toContain('See 3.')
  })

  it('leave an @key of no example to the citations, with its position', async () => {
    const { tree } = await parseWith('(@a) first\n\nAs (@a) and [@doe] say.\n')
    const citations: string[] = []
    visit(tree, 'citation', (node) => {
      citations.push(`${node.items[0]?.key} ${node.position?.start.line}:${node.position?.start.column}`)
    })
    expect(citations).toEqual(['doe 3:13'])
  })
})

describe.skipIf(!hasPandoc)('attributes on links, code spans and code blocks', () => {
  it('become the element attributes Pandoc gives them, and raw blocks are left out with a warning', async () => {
    const markdown = '```{.python #c1}\nx = 1\n```\n\n```r {.numberLines}\ny\n```\n\n```{=html}\n<b>raw</b>\n```\n\n`code`{.py} and `<b>r</b>`{=html} and [link](https://example.org){.ext}.\n'
    const { html } = await galleyHtml(markdown)
    const body = galleyBody(html)
    expect(body).toBe(
      'div.sourceCode.short(pre.sourceCode.python(code.sourceCode.python(span.line("x" span.pl-k("=") span.pl-c1("1"))))) ' +
        'div.sourceCode.short(pre.sourceCode.numberSource.r.numberLines(code.sourceCode.r(span.line(span.pl-smi("y"))))) p(code.py("code") "and and" a.ext("link") ".")',
    )
    // Code blocks in Pandoc's own markup (`div.sourceCode > pre.sourceCode.LANG`, see code-highlighting.test.ts).
    expect(pandocBody(markdown)).toContain('a.ext("link")')
    expect(await warnings(markdown)).toEqual(['13:17 raw-html', '9:1 raw-html'])
  })
})

describe.skipIf(!hasPandoc)('fenced divs', () => {
  it('take attributes that go on over several lines, as Pandoc does', async () => {
    const shape = await expectSameAsPandoc('::: {.box #b1\n     key="a value"}\n\nInside.\n\n:::\n\nAfter.\n')
    expect(shape).toBe('div.box(p("Inside.")) p("After.")')
  })

  it('close at a `:::` line right after a list item, where CommonMark would continue its paragraph', async () => {
    const shape = await expectSameAsPandoc('::: box\n-   one\n\n-   two\n    more.\n:::\n\nAfter.\n')
    expect(shape).toBe('div.box(ul(li(p("one")) li(p("two more.")))) p("After.")')
    // With no div open, the line stays the item's text; indented, it belongs to the item.
    await expectSameAsPandoc('- a\n:::\n\n::: box\n- b\n\n  :::\n:::\n')
  })

  it('close after a list inside a definition, at the definition\'s margin (as in Pandoc\'s own manual)', async () => {
    const shape = await expectSameAsPandoc('Term\n\n:   Def.\n\n    ::: {#formats}\n    - one\n    - two\n    :::\n\n    After.\n')
    expect(shape).toBe('dl(dt("Term") dd(p("Def.") div(ul(li("one") li("two"))) p("After.")))')
  })

  it('close one div and open the next with no blank line between, but let no opening fence break into a paragraph', async () => {
    const shape = await expectSameAsPandoc('::: todo\nOne.\n[1]{.issue}\n:::\n::: todo\nTwo.\n:::\n\nText.\n::: box\nIn.\n')
    expect(shape).toBe('div.todo(p("One." span.issue("1"))) div.todo(p("Two.")) p("Text. ::: box In.")')
  })

  it('report a `:::` with no div to close at its own line', async () => {
    expect(await warnings('Text.\n:::\n\nMore.\n')).toEqual(['2:1 unbalanced-div'])
  })
})

describe.skipIf(!hasPandoc)('smart quotes', () => {
  it('open after = : ; and before emphasis, as Pandoc reads them', async () => {
    const shape = await expectSameAsPandoc('An entry="index term", said:"yes"; x;"y" and "*the* system" here.\n')
    expect(shape).toBe('p("An entry=“index term”, said:“yes”; x;“y” and “" em("the") "system” here.")')
  })
})

describe.skipIf(!hasPandoc)('Quarto shortcodes', () => {
  it('stay as written, as Pandoc keeps them, each reported at its place; {{< pagebreak >}} alone is a page break', async () => {
    const markdown = 'Intro {{< meta title >}}.\n\n{{< include a.qmd >}}\n{{< include b.qmd >}}\n'
    await expectSameAsPandoc(markdown)
    expect(await warnings(markdown)).toEqual(['1:7 quarto-shortcode', '3:1 quarto-shortcode', '4:1 quarto-shortcode'])
    const { html } = await galleyHtml('One.\n\n{{< pagebreak >}}\n\nTwo.\n')
    expect(galleyBody(html)).toBe('p("One.") div.galley-page-break() p("Two.")')
    expect(await warnings('One.\n\n{{< pagebreak >}}\n')).toEqual([])
  })
})

describe('line ends', () => {
  it('reads a manuscript saved with CRLF or CR line ends as the same one saved with LF, as Pandoc does', async () => {
    const text = '---\ntitle: Ends\n---\n\n# One\n\n::: note\nA div.\n:::\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\nlines\n```\n\nTerm\n:   Definition.\n'
    const html = async (written: string): Promise<string> => {
      const dir = makeProject({ 'ms.md': written })
      await build({ inputs: ['ms.md'], to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' } })
      return readFileSync(path.join(dir, 'out.html'), 'utf8')
    }
    const lf = await html(text)
    expect(lf).toContain('<div class="note">')
    expect(await html(text.replaceAll('\n', '\r\n'))).toBe(lf)
    expect(await html(text.replaceAll('\n', '\r'))).toBe(lf)
  })
})

describe('escaped spaces', () => {
  it('are no-break spaces, and an escaped backslash before a space stays a backslash', async () => {
    const { tree } = await parseWith('See p.\\ 3 and a\\\\ b.\n')
    expect(tree.children[0]?.type === 'paragraph' ? tree.children[0].children.map((child) => ('value' in child ? child.value : '')).join('') : '').toBe('See p.\u00a03 and a\\ b.')
  })
})

describe.skipIf(!hasPandoc)('fancy lists', () => {
  it('read letters, Roman numerals, `(1)` and `#.` as Pandoc does, with its start and type', async () => {
    const shape = await expectSameAsPandoc(
      'a. one\nb. two\n\nText.\n\nc) three\nd) four\n\nText.\n\n(iv) four\n(v) five\n\nText.\n\nI.  Big\nII.  Two\n\nText.\n\n#. first\n#. second\n\nA. Smith and I. Newton wrote.\n\ni. one\nii. two\n\n(a) loose\n\n(b) list\n\nv. vee\n\nB)  bee\nC)  cee\n\n(1) one\n(2) two\n',
    )
    expect(shape).toContain('ol[start=4][type=i](li("four") li("five"))')
    expect(shape).toContain('p("A. Smith and I. Newton wrote.")')
  })

  it('keep the positions of what their items hold', async () => {
    expect(await warnings('a. one \\vspace{1em}\nb. two\n')).toEqual(['1:8 raw-tex'])
  })
})

describe('Pandoc Markdown not read yet', () => {
  it('is reported at its place, once per kind: title blocks', async () => {
    expect(await warnings('% A Title\n% An Author\n\n# Results\n\nA. Smith wrote, and e.g. this.\n\nSee [Results] and [other].\n')).toEqual(['1:1 title-block'])
    expect(await warnings('A. Smith and I. Newton wrote.\n\n# Results\n\n[Results](#results) and [results][] stay links.\n\n[results]: #results\n')).toEqual([])
  })
})

describe.skipIf(!hasPandoc)('implicit header references', () => {
  it('link `[Heading]`, `[Heading][]` and `[text][Heading]` to the heading, as Pandoc does', async () => {
    const markdown = [
      '# General options {#general}',
      '',
      '## Reader  options',
      '',
      'See [General options], [reader options][] and [the readers][Reader Options]; not [Other] nor `[General options]`.',
      '',
      'A [defined one][general options] keeps its definition, and [Reader options](#x) is a link already.',
      '',
      '[general options]: https://example.org/',
      '',
    ].join('\n')
    const shape = await expectSameAsPandoc(markdown)
    expect(shape).toContain('a("General options")')
    const hrefs = (html: string): string[] => [...html.matchAll(/<a\s+href="([^"]*)"/g)].map((match) => match[1] ?? '')
    const { html } = await galleyHtml(markdown)
    const body = html.slice(html.indexOf('<main'))
    expect(hrefs(body)).toEqual(hrefs(execFileSync('pandoc', ['-f', 'markdown', '-t', 'html'], { input: markdown, encoding: 'utf8' })))
  })

  it('read a label with a code span as written, and name the first of two headings with the same text', async () => {
    const markdown = '# Variables for `tex`\n\n## General\n\n# Defaults\n\n## General\n\nSee [the variables][Variables for `tex`] and [General].\n'
    const { html } = await galleyHtml(markdown)
    const links = [...html.slice(html.indexOf('<main')).matchAll(/<a href="([^"]*)">(.*?)<\/a>/g)].map((match) => `${(match[2] ?? '').replace(/\u00ad/g, '')} → ${match[1]}`)
    // Pandoc's manual says the first; Pandoc 2.17 links the last (`#general-1`), against it and its own text's intent.
    expect(links).toEqual(['the variables → #variables-for-tex', 'General → #general'])
  })
})
