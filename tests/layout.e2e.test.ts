// The PDF layout pass module by module (`src/pdf/layout/`), each driven on a small page in Chromium: trees in and
// out, and measurements on boxes of known size (lines 20 px high, columns 300 px wide and 100 px high).
import type { Browser, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findBrowser, launchBrowser } from '../src/pdf/browser.js'
import { layoutPage, type LayoutModules } from './helpers/layout-page.js'

declare const layoutModules: LayoutModules

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser({ executablePath: findBrowser(undefined) })
})
afterAll(async () => {
  await browser?.close()
})

const params = { width: 300, height: 100, notes: 'footnotes' as const, book: true, bookTitle: 'A Book' }
const words = (count: number, from = 0): string => Array.from({ length: count }, (_, i) => `word${from + i}`).join(' ')
/** A segment in columns of 300 × 100 px (five 20 px lines a page), as the pass measures: one column = one page. */
const columns = (inside: string): string => `<div id="segment" class="galley-measure">${inside}</div>`

async function withPage<T>(body: string, run: (page: Page) => Promise<T>): Promise<T> {
  const page = await layoutPage(browser, body, 'p { margin: 0; }')
  try {
    // The pass's own measuring styles, for the page size above.
    await page.evaluate((width: number, height: number) => {
      const style = document.createElement('style')
      style.textContent = layoutModules.paginate.measuringCss(width, height)
      document.head.append(style)
    }, params.width, params.height)
    return await run(page)
  } finally {
    await page.close()
  }
}

describe('segments', () => {
  it('gives a book its title block, contents, chapters and back matter, and drops page breaks that would make empty pages', async () => {
    const body = `<header id="title-block-header"><h1>T</h1></header><nav id="TOC"><p>c</p></nav><main id="main">
<section class="chapter"><div class="galley-page-break"></div><h1>One</h1><p>a</p><div class="galley-page-break"></div><p>b</p><div class="galley-page-break"></div></section>
<div id="refs"><p>r</p></div><section data-footnotes=""><ol><li id="fn-1"><p>n</p></li></ol></section></main>`
    const result = await withPage(body, (page) =>
      page.evaluate((notes) => {
        const segments = layoutModules.segments.segmentsOf({ width: 300, height: 100, notes, book: true, bookTitle: '' })
        layoutModules.segments.dropEmptyPageBreaks(segments)
        return { kinds: segments.map((segment) => `${segment.tagName.toLowerCase()}.${segment.className}#${segment.id}`), main: document.getElementById('main')?.innerHTML.replaceAll('\n', '') }
      }, params.notes),
    )
    expect(result.kinds).toEqual(['header.#title-block-header', 'nav.#TOC', 'section.chapter#', 'div.galley-back-matter#'])
    expect(result.main).toBe(
      '<section class="chapter"><h1>One</h1><p>a</p><div class="galley-page-break"></div><p>b</p></section>' +
        '<div class="galley-back-matter"><div id="refs"><p>r</p></div></div><section data-footnotes=""><ol><li id="fn-1"><p>n</p></li></ol></section>',
    )
  })

  it('drops every page break of a run at a chapter\'s end or start, where the chapter breaks the page anyway', async () => {
    const breaks = '<div class="galley-page-break"></div>'.repeat(2)
    const body = `<main id="main"><section class="chapter">${breaks}<h1>One</h1><p>a</p>${breaks}<p>b</p>${breaks}</section><section class="chapter"><h1>Two</h1></section></main>`
    const main = await withPage(body, (page) =>
      page.evaluate(() => {
        layoutModules.segments.dropEmptyPageBreaks(layoutModules.segments.segmentsOf({ width: 300, height: 100, notes: 'endnotes', book: true, bookTitle: '' }))
        return document.getElementById('main')?.innerHTML
      }),
    )
    expect(main).toBe(`<section class="chapter"><h1>One</h1><p>a</p>${breaks}<p>b</p></section><section class="chapter"><h1>Two</h1></section>`)
  })

  it('takes contents the text placed (`\\tableofcontents`) in the order of the text, between chapters', async () => {
    const body = `<header id="title-block-header"><h1>T</h1></header><main id="main"><section class="chapter" id="one"><h1>One</h1></section>
<nav id="TOC"><p>c</p></nav><section id="lof"><p>l</p></section><section class="chapter" id="two"><h1>Two</h1></section></main>`
    const kinds = await withPage(body, (page) =>
      page.evaluate(() =>
        layoutModules.segments.segmentsOf({ width: 300, height: 100, notes: 'endnotes', book: true, bookTitle: '' }).map((segment) => segment.id || segment.className),
      ),
    )
    expect(kinds).toEqual(['title-block-header', 'one', 'TOC', 'galley-back-matter', 'two'])
  })

  it('makes an article one segment, the body', async () => {
    const kinds = await withPage('<main id="main"><p>a</p></main>', (page) =>
      page.evaluate(() => layoutModules.segments.segmentsOf({ width: 300, height: 100, notes: 'endnotes', book: false, bookTitle: '' }).map((segment) => segment.tagName)),
    )
    expect(kinds).toEqual(['BODY'])
  })
})

describe('measure', () => {
  it('finds the first line below a height, and the first line of the next page', async () => {
    const found = await withPage(columns(`<p>${words(120)}</p>`), (page) =>
      page.evaluate(() => {
        const { measure } = layoutModules
        const { layout, segment } = layoutModules.fixture.segmentLayout()
        const at = (cut: number, page: number) => {
          const position = measure.firstLineBelow(layout, segment, page, cut)
          const rect = position && measure.charRect(layout.range, position.node, position.offset)
          if (!position || !rect) return undefined
          const before = position.node.data.slice(0, position.offset)
          return { ...measure.place(layout, rect), startsWord: before === '' || before.endsWith(' ') }
        }
        return { belowFifty: at(50, 0), nextPage: at(101, 0), onPageTwo: at(30, 1) }
      }),
    )
    // Lines are 20 px: the line whose glyphs reach below 50 px is the third (top 40), at the start of a word.
    expect(found.belowFifty?.column).toBe(0)
    expect(Math.round((found.belowFifty?.top ?? 0) / 20)).toBe(2)
    expect(found.belowFifty?.startsWord).toBe(true)
    expect(found.nextPage?.column).toBe(1)
    expect(Math.round(found.nextPage?.top ?? -1)).toBeLessThan(10)
    expect(found.onPageTwo?.column).toBe(1)
    expect(Math.round((found.onPageTwo?.top ?? 0) / 20)).toBe(1)
  })
})

describe('breaks', () => {
  it('splits a list inside an item: the copy continues the item and the numbering', async () => {
    // The copy's chain is looked at before it is placed, so its inline elements count as cut blocks too (`em`):
    // harmless, and kept, since the refactoring into modules kept the PDFs byte for byte.
    const html = await withPage('<ol id="list" start="3"><li id="a">one</li><li id="b">two <em>three four</em> five</li><li id="c">six</li></ol>', (page) =>
      page.evaluate(() => {
        const list = document.getElementById('list') as HTMLElement
        const text = list.querySelector('em')?.firstChild as Text
        const copy = layoutModules.breaks.splitBlock(list, { node: text, offset: 'three '.length })
        return [list.outerHTML, copy.outerHTML]
      }),
    )
    expect(html).toEqual([
      '<ol id="list" start="3"><li id="a">one</li><li id="b" class="galley-split">two <em>three </em></li></ol>',
      '<ol start="4" class="galley-continued"><li class="galley-continued"><em class="galley-continued">four</em> five</li><li id="c">six</li></ol>',
    ])
  })

  it('shows the hyphen of a word split at a soft hyphen', async () => {
    const html = await withPage('<p id="p">a hyphen\u00ADated word</p>', (page) =>
      page.evaluate(() => {
        const paragraph = document.getElementById('p') as HTMLElement
        const copy = layoutModules.breaks.splitBlock(paragraph, { node: paragraph.firstChild as Text, offset: 'a hyphen\u00AD'.length })
        return [paragraph.outerHTML, copy.outerHTML]
      }),
    )
    expect(html).toEqual(['<p id="p" class="galley-split">a hyphen-</p>', '<p class="galley-continued">ated word</p>'])
  })

  it('leaves no blank code line at the end of a split code block, and keeps a lone line feed', async () => {
    // Code as code-block.ts sets it: one span per line, line feeds between them; an empty span is a blank line.
    const code = (id: string, lines: string[]): string => `<pre id="${id}" style="white-space: pre-wrap"><code>${lines.map((line) => `<span class="line">${line}</span>`).join('\n')}</code></pre>`
    const html = await withPage(`${code('blank', ['a();', '', '  b();'])}${code('plain', ['a();', '  b();'])}`, (page) =>
      page.evaluate(() =>
        ['blank', 'plain'].map((id) => {
          const pre = document.getElementById(id) as HTMLElement
          const last = [...pre.querySelectorAll('span.line')].at(-1)?.firstChild as Text
          layoutModules.breaks.splitBlock(pre, { node: last, offset: 2 })
          return pre.innerHTML
        }),
      ),
    )
    expect(html).toEqual([`<code><span class="line">a();</span></code>`, `<code><span class="line">a();</span>\n</code>`])
  })

  it('pins the page break Chromium chose, keeping two lines of a paragraph on either side', async () => {
    // Page one: a 3-line paragraph and the first 2 lines of the second; a page may not end after its first line.
    const lines = (count: number, name: string): string => Array.from({ length: count }, (_, i) => `${name}${i}`).join('<br>')
    const body = columns(`<p id="first">${lines(3, 'a')}</p><p id="second">${lines(8, 'b')}</p>`)
    const result = await withPage(body, (page) =>
      page.evaluate(() => {
        const { breaks } = layoutModules
        const { layout, segment } = layoutModules.fixture.segmentLayout()
        const lineCount = (id: string) => Math.round((document.getElementById(id)?.getBoundingClientRect().height ?? 0) / 20)
        const before = [lineCount('first'), lineCount('second')]
        breaks.pinBreak(layout, segment, 0)
        const point = breaks.breakAt(layout, segment, 0, 70)
        const continued = segment.querySelector('.galley-continued')?.textContent
        return { before, continued, children: [...segment.children].map((child) => `${child.tagName.toLowerCase()}${child.id ? `#${child.id}` : ''}.${child.className}`), point: point && (point.before as Element).id }
      }),
    )
    expect(result.before[0]).toBe(3)
    // The break after line 5 goes into the second paragraph (two lines stay, the rest goes on).
    expect(result.children).toEqual(['p#first.', 'p#second.galley-split', 'div.galley-page-break', 'p.galley-continued'])
    expect(result.continued).toBe('b2b3b4b5b6b7')
    // Ending page one above 70 px would leave one line of the second paragraph: the page ends before it instead.
    expect(result.point).toBe('second')
  })
})

describe('notes', () => {
  it('builds a note as it sits at a page foot: number first, no back-arrow', async () => {
    const html = await withPage('<ol><li id="fn-1"><p>Text of the note. <a href="#fnref-1" data-footnote-backref="">↩</a></p></li></ol>', (page) =>
      page.evaluate(() => layoutModules.notes.noteElement('fn-1', document.getElementById('fn-1') as HTMLElement, '1').outerHTML),
    )
    expect(html).toBe('<div class="footnote" id="fn-1" role="doc-footnote"><p><a class="footnote-number" href="#fnref-1">1</a> Text of the note. </p></div>')
  })

  it('splits a long note to fit the room left, the rest a continuation without a number', async () => {
    const result = await withPage(`<ol><li id="fn-1"><p>${words(90)}</p></li></ol>`, (page) =>
      page.evaluate(() => {
        const { notes, state } = layoutModules
        const { probe } = notes.noteProbe()
        const layout = state.createLayout({ width: 300, height: 100, notes: 'footnotes', book: false, bookTitle: '' }, { segments: [], probe, separator: 0, noteItems: new Map(), heights: new WeakMap() })
        const note = notes.noteElement('fn-1', document.getElementById('fn-1') as HTMLElement, '1')
        const rest = notes.splitNote(layout, note, 60)
        probe.replaceChildren(note)
        const first = note.getBoundingClientRect().height
        return { first, rest: rest?.className, text: `${note.textContent ?? ''}|${rest?.textContent ?? ''}` }
      }),
    )
    expect(result.first).toBeLessThanOrEqual(60)
    expect(result.first).toBeGreaterThanOrEqual(40)
    expect(result.rest).toBe('footnote galley-note-continued')
    expect(result.text.replace('-|', '').replace('|', ' ').replace(/\s+/g, ' ').trim()).toBe(`1 ${words(90)}`)
  })

  it('puts each note on the page of its reference', async () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `<p>${words(20, i * 20)}<sup><a id="fnref-${i}" href="#fn-${i}" data-footnote-ref="">${i + 1}</a></sup> ${words(12)}</p>`).join('')
    const notes = Array.from({ length: 6 }, (_, i) => `<li id="fn-${i}"><p>Note ${i + 1}.</p></li>`).join('')
    const result = await withPage(`<main id="main">${paragraphs}</main><section data-footnotes=""><ol>${notes}</ol></section>`, (page) =>
      page.evaluate(() => layoutModules.paginate.paginate({ width: 300, height: 100, notes: 'footnotes', book: false, bookTitle: '' })),
    )
    expect(result.notes.map((note) => note.id)).toEqual(['fn-0', 'fn-1', 'fn-2', 'fn-3', 'fn-4', 'fn-5'])
    for (const note of result.notes) expect(note.page).toBe(note.referencePage)
    expect(result.pages).toBeGreaterThan(3)
    expect(new Set(result.notes.map((note) => note.page)).size).toBeGreaterThan(2)
    for (const area of result.areas) expect(area.top + area.notes).toBeLessThanOrEqual(100)
  })
})

describe('window', () => {
  it('holds back what is more than a page ahead, sets aside finished pages, and puts everything back in order', async () => {
    const body = columns(Array.from({ length: 100 }, (_, i) => `<p id="p${i}">${i}</p>`).join(''))
    const result = await withPage(body, (page) =>
      page.evaluate(() => {
        const { measure, window } = layoutModules
        const { layout, segment } = layoutModules.fixture.segmentLayout()
        const ids = () => [...segment.children].map((child) => child.id || child.className)
        const segmentState = window.openWindow(layout, segment)
        const opened = segment.children.length
        // Five one-line paragraphs a page: a break pinned before p10 ends page 1, so page 2 starts the window.
        const marker = document.createElement('div')
        marker.className = 'galley-page-break'
        document.getElementById('p10')?.before(marker)
        window.fillWindow(layout, segmentState, 2)
        const lastBefore = window.lastPage(layout, segmentState)
        let final: string[] = []
        window.setAsideBefore(layout, segmentState, 2, (blocks) => {
          // Shown while still laid out: the last of them is on page 2.
          final = blocks.map((block) => `${block.id || block.className}@${measure.columnOf(layout, block.getBoundingClientRect())}`)
        })
        const afterSetAside = { first: segment.firstElementChild?.id, pagesBefore: segmentState.pagesBefore, lastPage: window.lastPage(layout, segmentState), lastBefore }
        window.closeWindow(segmentState)
        return { opened, afterSetAside, final, ids: ids() }
      }),
    )
    expect(result.opened).toBe(41)
    expect(result.final).toEqual([...Array.from({ length: 10 }, (_, i) => `p${i}@${Math.floor(i / 5)}`), 'galley-page-break@2'])
    expect(result.afterSetAside.first).toBe('p10')
    expect(result.afterSetAside.pagesBefore).toBe(2)
    expect(result.afterSetAside.lastPage).toBeGreaterThanOrEqual(3)
    // Setting pages aside moves no page (the pass fills the window by the last page read before it).
    expect(result.afterSetAside.lastPage).toBe(result.afterSetAside.lastBefore)
    expect(result.ids).toEqual([...Array.from({ length: 10 }, (_, i) => `p${i}`), 'galley-page-break', ...Array.from({ length: 90 }, (_, i) => `p${i + 10}`), 'galley-end'])
  })
})

describe('window pieces', () => {
  it('takes a bibliography in and sets it aside a few entries at a time, by the breaks pinned in it, and joins it again', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => `<div class="csl-entry" id="e${i}">e${i}</div>`).join('')
    const body = columns(`<div id="head">Works cited</div><div id="refs" class="references" role="list">${entries}</div>`)
    const result = await withPage(body, (page) =>
      page.evaluate(() => {
        const { window } = layoutModules
        const { layout, segment } = layoutModules.fixture.segmentLayout()
        const segmentState = window.openWindow(layout, segment)
        const opened = [...segment.children].map((child) => `${child.id || child.className}:${child.children.length}`)
        // Five lines a page: the heading and e0–e3 fill page 0, e4–e8 page 1; a break pinned before e9 ends page 1.
        const marker = document.createElement('div')
        marker.className = 'galley-page-break'
        document.getElementById('e9')?.before(marker)
        window.fillWindow(layout, segmentState, 2)
        let final: string[] = []
        const markerPage = layoutModules.measure.columnOf(layout, marker.getBoundingClientRect())
        window.setAsideBefore(layout, segmentState, 2, (blocks) => {
          final = blocks.map((block) => block.id || block.className)
        })
        const first = segment.firstElementChild
        const afterSetAside = { first: first?.className, firstEntry: first?.firstElementChild?.id, pagesBefore: segmentState.pagesBefore }
        window.closeWindow(segmentState)
        const refs = document.getElementById('refs') as HTMLElement
        return { markerPage, opened, final, afterSetAside, joined: [...refs.children].map((child) => child.id || child.className), pieces: document.querySelectorAll('.galley-window-piece').length, segment: [...segment.children].map((child) => child.id || child.className) }
      }),
    )
    expect(result.markerPage).toBe(2)
    // Pieces of eight entries, copies of the list without its id; the list keeps the first eight.
    expect(result.opened.slice(0, 3)).toEqual(['head:0', 'refs:8', 'references galley-window-piece:8'])
    expect(result.opened).toHaveLength(2 + 7 + 1)
    // The break pinned in the second piece is moved out between two pieces, where the window sets aside what is before it.
    expect(result.final).toEqual(['head', 'refs', 'references galley-window-piece', 'galley-page-break'])
    expect(result.afterSetAside).toEqual({ first: 'references galley-window-piece', firstEntry: 'e9', pagesBefore: 2 })
    expect(result.joined).toEqual([...Array.from({ length: 9 }, (_, i) => `e${i}`), 'galley-page-break', ...Array.from({ length: 51 }, (_, i) => `e${i + 9}`)])
    expect(result.pieces).toBe(0)
    expect(result.segment).toEqual(['head', 'refs', 'galley-end'])
  })
})

describe('page breaks in a row', () => {
  // Chromium ignores a forced break at the very start of a row of columns: the window must not start with the
  // second of two breaks, or the empty page between them (which printing keeps) is not counted.
  it('counts the empty page two breaks make, in a chapter and before a section, and opens the next chapter on a recto', async () => {
    const breaks = '<div class="galley-page-break"></div>'.repeat(2)
    const body = `<main id="main"><section class="chapter"><h1 id="one">One</h1><p>a</p>${breaks}<section id="list"><h1 id="list-title">List</h1><p>b</p></section></section>
<section class="chapter"><h1 id="two">Two</h1><p>c</p>${breaks}<p id="after">d</p></section><section class="chapter"><h1 id="three">Three</h1></section></main>`
    const result = await withPage(body, (page) => page.evaluate(() => layoutModules.paginate.paginate({ width: 300, height: 100, notes: 'endnotes', book: true, bookTitle: '' })))
    // One: pages 1, 2 (empty), 3; a blank verso (4); Two: 5, 6 (empty), 7; a blank verso (8); Three: 9.
    expect(result.headings.map((heading) => `${heading.id}@${heading.page}`)).toEqual(['one@1', 'list-title@3', 'two@5', 'three@9'])
    expect(result.pages).toBe(9)
  })

  it('makes one page break of a break inside a block (a fenced div\'s `\\newpage`), in it or first, and keeps the empty page of two', async () => {
    const pageBreak = '<div class="galley-page-break"></div>'
    const pages = async (div: string): Promise<{ pages: number; headings: string[] }> => {
      const body = `<main id="main"><section class="chapter"><h1 id="one">One</h1><div class="note">${div}</div><h2 id="after">After</h2></section></main>`
      const result = await withPage(body, (page) => page.evaluate(() => layoutModules.paginate.paginate({ width: 300, height: 100, notes: 'endnotes', book: true, bookTitle: '' })))
      return { pages: result.pages, headings: result.headings.map((heading) => `${heading.id}@${heading.page}`) }
    }
    expect(await pages(`<p>a</p>${pageBreak}<p>b</p>`)).toEqual({ pages: 2, headings: ['one@1', 'after@2'] })
    expect(await pages(`<p>a</p>${pageBreak.repeat(2)}<p>b</p>`)).toEqual({ pages: 3, headings: ['one@1', 'after@3'] })
    expect(await pages(`${pageBreak}<p>b</p>`)).toEqual({ pages: 2, headings: ['one@1', 'after@2'] })
  })
})

describe('running heads', () => {
  it('opens a chapter on a recto after a blank verso, and names its opening page and the rest', async () => {
    const body = '<main id="main"><section class="chapter" id="one"><h1>One\u00ADTitle</h1><p>a</p><div class="galley-page-break"></div><p>b</p></section></main>'
    const result = await withPage(body, (page) =>
      page.evaluate(() => {
        const { runningHeads, state } = layoutModules
        const chapter = document.getElementById('one') as HTMLElement
        const layout = state.createLayout({ width: 300, height: 100, notes: 'endnotes', book: true, bookTitle: '' }, { segments: [chapter], probe: chapter, separator: 0, noteItems: new Map(), heights: new WeakMap() })
        layout.pageBase = 3
        runningHeads.openOnRecto(layout, chapter)
        runningHeads.namePages(layout, chapter, 1)
        return { pageBase: layout.pageBase, main: document.getElementById('main')?.innerHTML, rules: layout.found.pageRules }
      }),
    )
    expect(result.pageBase).toBe(4)
    expect(result.main).toBe(
      '<div class="galley-blank-page"></div><section class="chapter" id="one"><h1 style="page: galley-2-open;">One\u00ADTitle</h1><p style="page: galley-2-open;">a</p>' +
        '<div class="galley-page-break" style="page: galley-2;"></div><p style="page: galley-2;">b</p></section>',
    )
    expect(result.rules).toEqual([
      '@page galley-blank { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }',
      '@page galley-2-open { @top-left { content: none; } @top-right { content: none; } }',
      '@page galley-2:right { @top-right { content: "OneTitle"; } }',
    ])
  })
})

describe('running heads of the back matter', () => {
  it('leaves the head off the bibliography\'s opening page only, when the pass broke pages inside it', async () => {
    const entries = (from: number, count: number): string => Array.from({ length: count }, (_, i) => `<div class="csl-entry">e${from + i}</div>`).join('')
    const body = `<main id="main"><div class="galley-back-matter" id="back"><div id="refs">${entries(0, 2)}<div class="galley-page-break"></div>${entries(2, 2)}</div></div></main>`
    const pages = await withPage(body, (page) =>
      page.evaluate(() => {
        const { runningHeads, state } = layoutModules
        const back = document.getElementById('back') as HTMLElement
        const layout = state.createLayout({ width: 300, height: 100, notes: 'endnotes', book: true, bookTitle: '' }, { segments: [back], probe: back, separator: 0, noteItems: new Map(), heights: new WeakMap() })
        runningHeads.namePages(layout, back, 4)
        return [...document.querySelectorAll('#refs > *')].map((child) => (child as HTMLElement).style.getPropertyValue('page'))
      }),
    )
    expect(pages).toEqual(['galley-5-open', 'galley-5-open', 'galley-5', 'galley-5', 'galley-5'])
  })
})

describe('TOC numbers', () => {
  it('writes the pages headings and listed figures fell on, and nothing for an unknown target', async () => {
    const body = `<nav id="TOC"><a href="#one"><span class="toc-page"></span></a><a href="#gone"><span class="toc-page">9</span></a>
<div class="crossref-list"><a href="#fig%3Amap"><span class="toc-page"></span></a></div></nav>
${columns(`<h1 id="one">One</h1><p>${words(60)}</p><figure id="fig:map"><p>map</p></figure>`)}`
    const numbers = await withPage(body, (page) =>
      page.evaluate(() => {
        const { measure, tocNumbers } = layoutModules
        const { layout, segment } = layoutModules.fixture.segmentLayout({ book: true, pageBase: 4 })
        tocNumbers.recordPages(layout, [...segment.children], tocNumbers.listTargets())
        tocNumbers.writeTocNumbers(layout.found)
        return { numbers: [...document.querySelectorAll('.toc-page')].map((number) => number.textContent), figure: measure.columnOf(layout, (document.getElementById('fig:map') as HTMLElement).getBoundingClientRect()) }
      }),
    )
    expect(numbers.figure).toBeGreaterThan(0)
    expect(numbers.numbers).toEqual(['5', '', String(5 + numbers.figure)])
  })
})

describe('overflow', () => {
  it('reports a box wider than the text block with its page, and no box that fits', async () => {
    const body = columns(`<p>${words(40)}</p><pre>${'x'.repeat(80)}</pre><p>${words(10)}</p>`)
    const found = await withPage(body, (page) =>
      page.evaluate(() => {
        const { measure, overflow } = layoutModules
        const { layout, segment } = layoutModules.fixture.segmentLayout({ pageBase: 10 })
        overflow.reportOverflows(layout, [...segment.children])
        return layout.found.overflows
      }),
    )
    expect(found).toEqual([{ page: 12, text: 'x'.repeat(40) }])
  })
})

describe('line breaking', () => {
  it('reads a paragraph’s lines from its boxes', async () => {
    const counts = await withPage(`<p id="p" style="width: 300px">${words(50)}</p>`, (page) =>
      page.evaluate(() => {
        const paragraph = document.getElementById('p') as HTMLElement
        return { lines: layoutModules.lines.linesOf(document.createRange(), paragraph).length, height: paragraph.getBoundingClientRect().height }
      }),
    )
    expect(counts.lines).toBeGreaterThan(3)
    expect(counts.lines).toBe(Math.round(counts.height / 20))
  })

  it('ends a ladder of hyphenated lines, and changes nothing but soft hyphens', async () => {
    // Long hyphenatable words only: Chromium's greedy breaking hyphenates most lines, several in a row.
    const long = ['in\u00ADter\u00ADna\u00ADtion\u00ADal\u00ADly', 'com\u00ADmu\u00ADni\u00ADca\u00ADtion', 'gov\u00ADern\u00ADment', 'ad\u00ADmin\u00ADis\u00ADtra\u00ADtion', 're\u00ADspon\u00ADsi\u00ADbil\u00ADi\u00ADty']
    const text = Array.from({ length: 60 }, (_, i) => long[(i * 3) % long.length]).join(' ')
    const result = await withPage(`<p id="p" style="text-align: left">${text}</p>`, (page) =>
      page.evaluate(() => {
        const { lines } = layoutModules
        const paragraph = document.getElementById('p') as HTMLElement
        const hyphenated = () => lines.maybeHyphenated(lines.linesOf(document.createRange(), paragraph), new Set(), 16).filter(Boolean).length
        document.body.style.width = '300px'
        const before = { text: paragraph.textContent, hyphenated: hyphenated() }
        const result = layoutModules.lineBreaking.improveLineBreaks({ width: 300, notes: 'endnotes' })
        return { before, result, text: paragraph.textContent, hyphenated: hyphenated() }
      }),
    )
    expect(result.before.hyphenated).toBeGreaterThan(8)
    expect(result.result.words).toBeGreaterThan(2)
    expect(result.result.ladders).toBe(0)
    expect(result.hyphenated).toBeLessThan(result.before.hyphenated)
    expect(result.text).not.toBe(result.before.text)
    expect(result.text?.replaceAll('\u00AD', '')).toBe(result.before.text?.replaceAll('\u00AD', ''))
  })
})
