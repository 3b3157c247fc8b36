// Cross-references beyond the golden fixtures: the lists of figures and tables, section references by number or
// title, the pandoc-crossref keys that change how references read, and numbered listings.
import type { Element, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { rehypeCrossrefSections } from '../src/html/rehype-crossref-sections.js'
import { makeProject } from './helpers/project.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
const paper = `---
title: Lists
---

# One

See @fig:a and [@fig:a; @fig:b; @fig:c].

![First *figure*](a.svg){#fig:a}

![Second](a.svg){#fig:b}

![Third](a.svg){#fig:c}

| x |
|---|
| 1 |

: The table {#tbl:t}
`

async function html(markdown: string, metadata: string[] = []): Promise<{ html: string; messages: string[] }> {
  const dir = makeProject({ 'paper.md': markdown, 'a.svg': svg })
  const result = await build({ inputs: ['paper.md'], to: ['html'], cwd: dir, env, metadata })
  const messages = result.files.flatMap((file) => file.messages.map((message) => `${message.ruleId}: ${message.reason}`))
  return { html: readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8'), messages }
}

/** The text of the first paragraph of the main text. */
function firstParagraph(page: string): string {
  return /<main[^]*?<p>([^]*?)<\/p>/.exec(page)?.[1]?.replace(/<[^>]+>/g, '').replaceAll('\u00ad', '') ?? ''
}

describe('lists of figures and tables', () => {
  it('puts them after the contents, each entry its number, caption and a page number to fill in', async () => {
    const { html: page } = await html(paper, ['toc=true', 'lof=true', 'lot=true'])
    const nav = /<nav id="TOC"[^]*?<\/nav>/.exec(page)?.[0] ?? ''
    expect(nav).toContain('<h1 id="lof-title" class="unnumbered">List of Figures</h1>')
    expect(nav).toContain('<a href="#fig:a" id="lof-fig:a"><span class="toc-text"><span class="list-number">1.</span> First <em>figure</em></span>')
    expect(nav).toContain('<a href="#tbl:t" id="lot-tbl:t"><span class="toc-text"><span class="list-number">1.</span> The table</span>')
    expect(nav.indexOf('toc-title')).toBeLessThan(nav.indexOf('lof-title'))
    expect(nav.indexOf('lof-title')).toBeLessThan(nav.indexOf('lot-title'))
  })

  it('gives them a contents nav of their own when there are no contents, and none when unasked', async () => {
    const { html: page } = await html(paper, ['lof=true', 'lofTitle=Plates'])
    expect(page).toMatch(/<nav id="TOC" role="doc-toc"><section id="lof" class="crossref-list"><h1 id="lof-title" class="unnumbered">Plates<\/h1>/)
    expect(page).not.toContain('id="lot"')
    expect((await html(paper)).html).not.toContain('class="crossref-list"')
  })
})

describe('lists placed by the text', () => {
  it('puts pandoc-crossref\'s \\listoffigures, \\listoftables and \\listoflistings where they are written, each once', async () => {
    const placed = `${paper}\n\`\`\`{#lst:x caption="Code"}\nx\n\`\`\`\n\n# Lists\n\n\\listoffigures\n\n\\listoftables\n\\listoflistings\n\n\\listoffigures\n`
    const { html: page, messages } = await html(placed, ['toc=true', 'lof=true'])
    expect(messages).toEqual([])
    const main = /<main[^]*<\/main>/.exec(page)?.[0] ?? ''
    expect(main).toMatch(/<h1 id="lists">Lists<\/h1><section id="lof" class="crossref-list"><h1 id="lof-title" class="unnumbered">List of Figures<\/h1><ol><li><a href="#fig:a" id="lof-fig:a">/)
    expect(main).toContain('</section><section id="lot" class="crossref-list"><h1 id="lot-title" class="unnumbered">List of Tables</h1>')
    expect(main).toContain('<a href="#lst:x" id="lol-lst:x"><span class="toc-text"><span class="list-number">1.</span> Code</span>')
    expect(main.match(/id="lof"/g)).toHaveLength(1)
    expect(main).not.toContain('listof')
    // Placed in the text, the list of figures is not repeated after the contents.
    expect(/<nav id="TOC"[^]*?<\/nav>/.exec(page)?.[0]).not.toContain('crossref-list')
  })
})

describe('items hidden from their list', () => {
  it('leaves out of the lists what pandoc-crossref\'s hidden attribute hides, numbered as ever; hidden=no keeps it', async () => {
    const markdown = '---\ntitle: T\nlof: true\nlot: true\nlol: true\n---\n\n![Shown](a.svg){#fig:a}\n\n![Hidden](a.svg){#fig:b hidden="y"}\n\n![Kept](a.svg){#fig:c hidden=no}\n\n::: {#tbl:t hidden=""}\n| x |\n|---|\n| 1 |\n\n: The table\n:::\n\n```{#lst:a caption="Hidden code" hidden=true}\nx\n```\n\n```{#lst:b caption="Shown code"}\ny\n```\n'
    const page = (await html(markdown)).html.replace(/\u00ad/g, '').replace(/\u00a0/g, ' ')
    const nav = /<nav id="TOC"[^]*?<\/nav>/.exec(page)?.[0] ?? ''
    expect([...nav.matchAll(/<a href="#([^"]+)"/g)].map((match) => match[1])).toEqual(['fig:a', 'fig:c', 'lst:b'])
    expect(page).toContain('<span class="caption-label">Figure 2:</span> Hidden')
    expect(page).toContain('<span class="caption-label">Table 1:</span> The table')
    expect(page).toContain('<span class="caption-label">Listing 2:</span> Shown code')
    expect(page).not.toContain('data-hidden')
  })
})

describe('pandoc-crossref keys', () => {
  it('reads references as pandoc-crossref does by default, linked', async () => {
    const { html: page, messages } = await html(paper)
    expect(messages.filter((message) => message.startsWith('crossref'))).toEqual([])
    expect(firstParagraph(page)).toBe('See fig.\u00a01 and figs.\u00a01-3.')
    expect(page).toContain('fig.\u00a0<a href="#fig:a" class="crossref">1</a>')
  })

  it('takes other words, delimiters and no links', async () => {
    const { html: page } = await html(paper, ['figPrefix=Figure', 'figPrefix=Figures', 'rangeDelim=–', 'linkReferences=false', 'figureTitle=Plate', 'titleDelim=.'])
    expect(firstParagraph(page)).toBe('See Figure\u00a01 and Figures\u00a01–3.')
    expect(page).not.toContain('class="crossref"')
    expect(page).toContain('<span class="caption-label">Plate\u00a01.</span>')
  })

  it('puts the word inside the link of a single reference with nameInLink', async () => {
    const { html: page } = await html(paper, ['nameInLink=true'])
    expect(page).toContain('<a href="#fig:a" class="crossref">fig.\u00a01</a>')
  })
})

describe('figures labelled in LaTeX', () => {
  // JOSS papers write `![Caption.\label{fig:x}](x.png)` and `\autoref{fig:x}`; Pandoc drops both as raw TeX.
  it('takes a \\label in a figure caption for the figure\'s label, and leaves it out of the caption', async () => {
    const { html: page, messages } = await html('---\ntitle: T\n---\n\n![A *graph*.\\label{fig:graph}](a.svg)\n\nIn \\autoref{fig:graph} and Figure \\ref{fig:graph}.\n')
    const text = page.replace(/\u00ad/g, '').replace(/\u00a0/g, ' ')
    expect(text).toContain('id="fig:graph"')
    expect(text).toMatch(/<figcaption><span class="caption-label">Figure 1:<\/span> A <em>graph<\/em>.<\/figcaption>/)
    expect(text).toContain('In <a href="#fig:graph" class="crossref">Figure 1</a> and Figure <a href="#fig:graph" class="crossref">1</a>.')
    expect(messages).toEqual([])
  })
})

describe('tables labelled in LaTeX', () => {
  // JOSS papers write `: Caption \label{tab:x}` and `\autoref{tab:x}`; Pandoc drops both as raw TeX, pandoc-crossref
  // numbers `{#tbl:x}` only. The label is taken in a caption above or below, by a pipe or a simple table. (`@tab:x`
  // stays a citation, as with pandoc-crossref, whose table prefix is `tbl:`.)
  const pipe = '| a | b |\n|---|---|\n| 1 | 2 |\n'
  const simple = '  Right     Left\n-------     ------\n     12     12\n'
  it.each([
    ['a caption below a pipe table', `${pipe}\n: Sizes *now*. \\label{tab:sizes}\n`],
    ['a caption above a pipe table', `Table: Sizes *now*. \\label{tab:sizes}\n\n${pipe}`],
    ['a caption above an indented simple table, after a paragraph', `Before.\n\n: Sizes *now*. \\label{tab:sizes}\n\n${simple}`],
    ['pandoc-crossref’s prefix in a \\label', `${pipe}\n: Sizes *now*. \\label{tbl:sizes}\n`],
  ])('takes a \\label in %s for the table’s label, and leaves it out of the caption', async (_, table) => {
    const label = table.includes('tbl:') ? 'tbl:sizes' : 'tab:sizes'
    const { html: page, messages } = await html(`---\ntitle: T\n---\n\nIn \\autoref{${label}} and Table \\ref{${label}}.\n\n${table}`)
    const text = page.replace(/\u00ad/g, '').replace(/\u00a0/g, ' ')
    expect(text).toContain(`<table id="${label}">`)
    expect(text).toMatch(/<caption><span class="caption-label">Table 1:<\/span> Sizes <em>now<\/em>.<\/caption>/)
    expect(text).toContain(`In <a href="#${label}" class="crossref">Table 1</a> and Table <a href="#${label}" class="crossref">1</a>.`)
    expect(messages).toEqual([])
  })
})

describe('listings', () => {
  // pandoc-crossref's `caption` attribute and Quarto's `lst-cap`, as a thesis template writes them.
  const listings = `---
title: T
---

# One

\`\`\`{.python caption="The *preprocessing* step" #lst:prep}
def foo(): pass
\`\`\`

See @lst:prep, [@Lst:prep; @lst-load], \\ref{lst:prep} and \\autoref{lst-load}.

\`\`\`{#lst-load .r lst-cap="Loading"}
x <- 1
\`\`\`

\`\`\`{#lst:bare .python}
no caption
\`\`\`

Quarto's @lst-load; and @lst:nope.
`
  const plain = (page: string): string => page.replace(/\u00ad/g, '').replace(/\u00a0/g, ' ')

  it('numbers a labelled code block with a caption, the caption above the code in Pandoc\'s markup', async () => {
    const text = plain((await html(listings)).html)
    expect(text).toContain('<div class="listing" id="lst:prep"><div class="listing-caption"><span class="caption-label">Listing 1:</span> The <em>preprocessing</em> step</div><div class="sourceCode short"><pre class="sourceCode python"><code class="sourceCode python">')
    expect(text).toContain('<div class="listing" id="lst-load"><div class="listing-caption"><span class="caption-label">Listing 2:</span> Loading</div>')
    expect(text).not.toContain('data-caption')
    expect(text).not.toContain('data-lst-cap')
    // Without a caption a block is no listing, as with pandoc-crossref: it keeps its id and gets no number.
    expect(text).toContain('<div class="sourceCode short" id="lst:bare">')
    expect(text).not.toContain('Listing 3')
  })

  it('reads references to listings as pandoc-crossref and Quarto do, and still reports an undefined one', async () => {
    const { html: page, messages } = await html(listings)
    const paragraphs = [...plain(page).matchAll(/<p>([^]*?)<\/p>/g)].map((match) => match[1]?.replace(/<[^>]+>/g, ''))
    expect(paragraphs).toEqual(['See lst. 1, Lst. 1, Listing 2, 1 and Listing 2.', 'Quarto’s Listing 2; and lst. ¿lst:nope?.'])
    expect(plain(page)).toContain('See lst. <a href="#lst:prep" class="crossref">1</a>')
    expect(messages).toEqual(['crossref-undefined: Cross-reference label "lst:nope" is not defined'])
  })

  it('says a label is a code cell\'s, which only running the code defines, when a Quarto cell has it', async () => {
    const { messages } = await html('---\ntitle: Cells\n---\n\nSee @fig-plot and @fig-other.\n\n```{r}\n#| label: fig-plot\n#| fig-cap: "A plot"\nplot(1:10)\n```\n')
    expect(messages).toEqual([
      'crossref-undefined: Cross-reference label "fig-plot" belongs to a code cell (#| label: fig-plot): Galley does not run code, so the cell makes no figure or table to refer to',
      'crossref-undefined: Cross-reference label "fig-other" is not defined',
    ])
  })

  it('numbers listings within chapters, and in the document\'s language', async () => {
    const text = plain((await html(listings, ['chapters=true', 'lang=de'])).html)
    expect(text).toContain('<span class="caption-label">Listing 1.1:</span> The')
    expect(text).toContain('See Lst. <a href="#lst:prep" class="crossref">1.1</a>')
  })

  it('reports a listing label defined twice; the second block keeps its caption unnumbered and loses the id', async () => {
    const twice = '---\ntitle: T\n---\n\n```{#lst:a caption="One"}\n1\n```\n\n```{#lst:a caption="Two"}\n2\n```\n'
    const { html: page, messages } = await html(twice)
    expect(messages).toEqual(['crossref-duplicate: Label "lst:a" is defined more than once; references go to the first'])
    expect(page.match(/id="lst:a"/g)).toHaveLength(1)
    expect(page).toContain('<div class="listing"><div class="listing-caption">Two</div>')
  })

  it('takes pandoc-crossref\'s listingTitle and lstPrefix', async () => {
    const text = plain((await html(listings, ['listingTitle=Code', 'lstPrefix=code', 'lstPrefix=codes', 'titleDelim=.'])).html)
    expect(text).toContain('<span class="caption-label">Code 1.</span> The <em>preprocessing</em> step')
    expect(text).toContain('See code <a href="#lst:prep" class="crossref">1</a>, Code <a href="#lst:prep" class="crossref">1</a>')
    // Quarto's references keep Quarto's word.
    expect(text).toContain('Quarto’s <a href="#lst-load" class="crossref">Listing 2</a>')
  })

  it('reads Quarto\'s lst-label and lst-cap as cell options, which leave the code (other options stay), or as attributes', async () => {
    const cell = '---\ntitle: T\n---\n\n```{python}\n#| lst-label: lst-query\n#| lst-cap: "The *query*"\n#| echo: true\nrun()\n```\n\n```{sql}\n--| lst-label: lst-sql\n--| lst-cap: Tables\nSELECT 1\n```\n\n```{.r lst-label="lst-attr" lst-cap="Attributes"}\ny <- 2\n```\n\nSee @lst-query and @lst-sql.\n\n```{python}\n#| lst-label: lst-nocap\nx\n```\n'
    const { html: page, messages } = await html(cell)
    const text = plain(page)
    expect(messages).toEqual([])
    expect(text).toContain('<div class="listing" id="lst-query"><div class="listing-caption"><span class="caption-label">Listing 1:</span> The <em>query</em></div>')
    expect(text).not.toContain('lst-label: lst-query')
    expect(text).not.toContain('lst-cap')
    expect(text).toContain('#| echo: true')
    expect(text).toContain('<div class="listing" id="lst-sql"><div class="listing-caption"><span class="caption-label">Listing 2:</span> Tables</div>')
    expect(text).toContain('<div class="listing" id="lst-attr"><div class="listing-caption"><span class="caption-label">Listing 3:</span> Attributes</div><div class="sourceCode short"><pre')
    expect(text).not.toContain('data-lst-label')
    expect(text).toContain('See <a href="#lst-query" class="crossref">Listing 1</a> and <a href="#lst-sql" class="crossref">Listing 2</a>.')
    // A label without a caption is no listing: the block is left as it is.
    expect(text).toContain('#| lst-label: lst-nocap')
  })

  it('takes Quarto\'s crossref words where pandoc-crossref\'s keys are not given', async () => {
    const quarto = listings.replace('title: T\n', 'title: T\ntoc: true\nlol: true\ncrossref:\n  lst-title: Code\n  lst-prefix: Code\n  title-delim: "."\n  lol-title: Programs\n  labels: roman\n')
    const text = plain((await html(quarto)).html)
    expect(text).toContain('<span class="caption-label">Code 1.</span> The <em>preprocessing</em> step')
    expect(text).toContain('Quarto’s <a href="#lst-load" class="crossref">Code 2</a>')
    // pandoc-crossref's own references keep their prefix.
    expect(text).toContain('See lst. <a href="#lst:prep" class="crossref">1</a>')
    expect(text).toContain('<h1 id="lol-title" class="unnumbered">Programs</h1>')
    const both = plain((await html(quarto, ['listingTitle=Program', 'titleDelim=:'])).html)
    expect(both).toContain('<span class="caption-label">Program 1:</span>')
  })

  it('reads a listing wrapped in a div, pandoc-crossref\'s caption first and Quarto\'s caption last', async () => {
    const divs = '---\ntitle: T\n---\n\n::: {#lst:wrapped .listing}\nThe *wrapped* one\n\n```haskell\nmain = pure ()\n```\n:::\n\n::: {#lst-quarto}\n```sql\nSELECT 1\n```\n\nCustomers query\n:::\n\nSee @lst:wrapped and @lst-quarto.\n'
    const { html: page, messages } = await html(divs)
    const text = plain(page)
    expect(messages).toEqual([])
    expect(text).toContain('<div class="listing" id="lst:wrapped"><div class="listing-caption"><span class="caption-label">Listing 1:</span> The <em>wrapped</em> one</div><div class="sourceCode short"><pre class="sourceCode haskell">')
    expect(text).toContain('<div class="listing" id="lst-quarto"><div class="listing-caption"><span class="caption-label">Listing 2:</span> Customers query</div><div class="sourceCode short"><pre class="sourceCode sql">')
    expect(text).toContain('See lst. <a href="#lst:wrapped" class="crossref">1</a> and <a href="#lst-quarto" class="crossref">Listing 2</a>.')
  })

  it('lists the listings after the contents with lol, in the document\'s language, each entry its number and caption', async () => {
    const { html: page } = await html(listings, ['toc=true', 'lol=true'])
    const nav = /<nav id="TOC"[^]*?<\/nav>/.exec(page)?.[0] ?? ''
    expect(nav).toContain('<section id="lol" class="crossref-list"><h1 id="lol-title" class="unnumbered">List of Listings</h1>')
    expect(nav).toContain('<a href="#lst:prep" id="lol-lst:prep"><span class="toc-text"><span class="list-number">1.</span> The <em>preprocessing</em> step</span>')
    expect(nav).toContain('<a href="#lst-load" id="lol-lst-load"><span class="toc-text"><span class="list-number">2.</span> Loading</span>')
    expect(nav).not.toContain('lst:bare')
    expect((await html(listings, ['lol=true', 'lang=de'])).html).toContain('<h1 id="lol-title" class="unnumbered">Listingverzeichnis</h1>')
    expect((await html(listings, ['lol=true', 'lolTitle=Programs'])).html).toContain('<h1 id="lol-title" class="unnumbered">Programs</h1>')
    expect((await html(listings, ['lof=true'])).html).not.toContain('id="lol"')
  })
})

describe('code block captions (codeBlockCaptions)', () => {
  // pandoc-crossref's demo: a `Listing:` or `:` paragraph just before or after the block; the label on the block or at
  // the caption's end.
  const captions = `---
title: T
codeBlockCaptions: true
---

Listing: Caption *before*

\`\`\`{#lst:before .python}
a = 1
\`\`\`

\`\`\`{#lst:after}
b
\`\`\`

: Caption after, see @lst:before

\`\`\`haskell
main = pure ()
\`\`\`

: Labelled in the caption {#lst:inCaption}

See [@lst:before; @lst:after; @lst:inCaption].

Listing: unlabelled, before an unlabelled block

\`\`\`haskell
unlabelled = True
\`\`\`

: No label, no listing
`
  const plain = (page: string): string => page.replace(/\u00ad/g, '').replace(/\u00a0/g, ' ')

  it('numbers each block by the caption paragraph beside it, which leaves the text', async () => {
    const { html: page, messages } = await html(captions)
    const text = plain(page)
    expect(messages).toEqual([])
    expect(text).toContain('<div class="listing" id="lst:before"><div class="listing-caption"><span class="caption-label">Listing 1:</span> Caption <em>before</em></div>')
    expect(text).toContain('<div class="listing" id="lst:after"><div class="listing-caption"><span class="caption-label">Listing 2:</span> Caption after, see lst. <a href="#lst:before" class="crossref">1</a></div>')
    expect(text).toContain('<div class="listing" id="lst:inCaption"><div class="listing-caption"><span class="caption-label">Listing 3:</span> Labelled in the caption</div><div class="sourceCode short"><pre class="sourceCode haskell">')
    expect(text).toContain('<p>See lsts. <a href="#lst:before" class="crossref">1</a>-<a href="#lst:inCaption" class="crossref">3</a>.</p>')
    expect(text).toContain('<p>Listing: unlabelled, before an unlabelled block</p>')
    expect(text.match(/Listing:/g)).toHaveLength(1)
    // Neither the block nor the caption has a label: both stay as they are (pandoc-crossref's test listing-captions-ids).
    expect(text).toContain('<p>: No label, no listing</p>')
    expect(text.match(/class="listing"/g)).toHaveLength(3)
  })

  it('formats a citation in such a caption as any other, and lists the caption as shown, the citation not a link there', async () => {
    const refs = JSON.stringify([{ id: 'doe2020', type: 'book', title: 'A Book', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020]] } }])
    const markdown = '---\ntitle: T\ncodeBlockCaptions: true\nbibliography: refs.json\nlink-citations: true\nlol: true\n---\n\nListing: Adapted from @doe2020 [p. 3]\n\n```{#lst:a .python}\nx = 1\n```\n'
    const dir = makeProject({ 'paper.md': markdown, 'refs.json': refs })
    await build({ inputs: ['paper.md'], to: ['html'], cwd: dir, env })
    const page = plain(readFileSync(path.join(dir, 'dist', 'paper.html'), 'utf8'))
    expect(page).toContain('<div class="listing-caption"><span class="caption-label">Listing 1:</span> Adapted from <span class="citation" data-cites="doe2020">Doe (<a href="#ref-doe2020" role="doc-biblioref">2020, 3</a>)</span></div>')
    expect(page).toContain('<div id="ref-doe2020" class="csl-entry"')
    expect(page).toContain('<a href="#lst:a" id="lol-lst:a"><span class="toc-text"><span class="list-number">1.</span> Adapted from <span class="citation" data-cites="doe2020">Doe (2020, 3)</span></span>')
  })

  it('leaves the paragraphs alone without the key, as pandoc-crossref does', async () => {
    const { html: page } = await html(captions.replace('codeBlockCaptions: true\n', ''))
    expect(plain(page)).toContain('<p>Listing: Caption <em>before</em></p>')
    expect(page).not.toContain('class="listing"')
  })
})

describe('references to sections', () => {
  const tree = (heading: Element): Root => ({
    type: 'root',
    children: [
      heading,
      { type: 'element', tagName: 'a', properties: { href: '#sec:m', className: ['crossref'], dataCrossrefSection: 'link' }, children: [] },
    ],
  })
  const run = (root: Root): string => {
    rehypeCrossrefSections()(root)
    return toString(root.children[1] as Element)
  }

  it('reads the number a numbered heading shows', () => {
    const heading: Element = { type: 'element', tagName: 'h2', properties: { id: 'sec:m', dataNumber: '2.1' }, children: [{ type: 'element', tagName: 'span', properties: { className: ['header-section-number'] }, children: [{ type: 'text', value: '2.1' }] }, { type: 'text', value: ' Method' }] }
    expect(run(tree(heading))).toBe('2.1')
  })

  it('reads the title of a heading without a number', () => {
    const heading: Element = { type: 'element', tagName: 'h2', properties: { id: 'sec:m' }, children: [{ type: 'text', value: 'Method' }] }
    expect(run(tree(heading))).toBe('Method')
  })
})
