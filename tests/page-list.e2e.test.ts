// The PDF's page numbers in the EPUB of the same build: each marked paragraph is, in the EPUB, after the marker of
// the page the PDF prints it on (read with pdftotext page by page); the page list, its source and the accessibility
// feature are declared; epubcheck passes; `page-list: false` leaves it all out.
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { unpack } from './helpers/epub.js'
import { makeProject } from './helpers/project.js'
import { epubcheck, pdfInfo, pdfText } from './helpers/tools.js'

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }

const sentences = [
  'The committee met again in the spring and found the archive in better order than the year before.',
  'Nobody could say with confidence who had moved the ledgers, though several clerks had theories.',
  'A second reading of the minutes suggests that the quarrel was older than the building itself.',
  'What mattered to the villagers was the price of salt, and the council knew it.',
]

/** A chapter of `count` paragraphs, each opening with its own mark (`Mark17`) so that it can be found in both outputs. */
function chapter(title: string, first: number, count: number, notes: boolean): string {
  const paragraphs = Array.from({ length: count }, (_, index) => {
    const n = first + index
    const note = notes && n % 5 === 0 ? `[^n${n}]` : ''
    // Phrases that recur, as a book's do, in sentences that do not: each names its paragraph's number.
    const said = sentences.map((sentence, at) => sentence.replace(' the ', ` the ${n * 4 + at} `))
    return `Mark${n} ${said.slice(n % 4).join(' ')} ${said.slice(0, n % 4).join(' ')}${note}`
  })
  const defined = notes ? paragraphs.flatMap((_, index) => ((first + index) % 5 === 0 ? [`[^n${first + index}]: A note on the ${first + index}th paragraph, long enough to take two lines at the foot of its page when it is set.`] : [])) : []
  return `# ${title}\n\n${paragraphs.join('\n\n')}\n\n${defined.join('\n\n')}\n`
}

/** The page of the PDF on which each mark is printed. */
function pdfPages(file: string): Map<string, number> {
  const pages = Number(pdfInfo(file)['Pages'])
  const found = new Map<string, number>()
  for (let page = 1; page <= pages; page++) {
    for (const mark of pdfText(file, page).match(/Mark\d+/g) ?? []) if (!found.has(mark)) found.set(mark, page)
  }
  return found
}

/** For each mark in the EPUB's spine, the label of the last page marker before it. */
function epubPages(files: Map<string, string>): Map<string, string | undefined> {
  const opf = files.get('EPUB/package.opf') ?? ''
  const manifest = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((match) => [match[1], match[2]]))
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => files.get(`EPUB/${manifest.get(match[1] ?? '') ?? ''}`) ?? '')
  const found = new Map<string, string | undefined>()
  let page: string | undefined
  for (const match of spine.join('\n').matchAll(/aria-label="(\d+)"[^>]*role="doc-pagebreak"|role="doc-pagebreak"[^>]*aria-label="(\d+)"|Mark\d+/g)) {
    if (match[0].startsWith('Mark')) {
      if (!found.has(match[0])) found.set(match[0], page)
    } else {
      page = match[1] ?? match[2]
    }
  }
  return found
}

describe('print page numbers in the EPUB', () => {
  it('puts each paragraph after the marker of the page the PDF prints it on', async () => {
    const dir = makeProject({
      'one.md': `---\ntitle: Page Numbers\nauthor: Ann Author\n---\n\n${chapter('First Chapter', 1, 24, true)}`,
      'two.md': chapter('Second Chapter', 25, 20, false),
    })
    const result = await build({ inputs: ['one.md', 'two.md'], to: ['pdf', 'epub'], cwd: dir, env, noCache: true })
    const pdf = result.outputs.find((output) => output.format === 'pdf')?.path ?? ''
    const epub = result.outputs.find((output) => output.format === 'epub')?.path ?? ''
    const printed = pdfPages(pdf)
    expect(printed.size).toBe(44)
    expect(new Set(printed.values()).size).toBeGreaterThan(5)
    const files = unpack(epub)
    const marked = epubPages(files)
    // Every mark after the first page of text: the page its paragraph starts on in the PDF.
    const compared = [...printed].filter(([, page]) => page > 1)
    expect(compared.length).toBeGreaterThan(30)
    for (const [mark, page] of compared) expect(`${mark} p. ${marked.get(mark)}`).toBe(`${mark} p. ${page}`)
    const nav = files.get('EPUB/nav.xhtml') ?? ''
    expect(nav).toMatch(/<nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="[^"]*"><h1>Pages<\/h1><ol><li><a href="[^"]+#page-\d+">\d+<\/a><\/li>/)
    const opf = files.get('EPUB/package.opf') ?? ''
    expect(opf).toContain('<dc:source id="print-source">one.pdf</dc:source><meta refines="#print-source" property="source-of">pagination</meta>')
    expect(opf).toContain('<meta property="schema:accessibilityFeature">printPageNumbers</meta>')
    expect(epubcheck(epub).messages).toEqual([])
  }, 300_000)

  it('leaves the page list out with page-list: false', async () => {
    const dir = makeProject({ 'one.md': `---\ntitle: No Page List\npage-list: false\n---\n\n${chapter('Only Chapter', 1, 12, false)}` })
    const result = await build({ inputs: ['one.md'], to: ['pdf', 'epub'], cwd: dir, env, noCache: true })
    const files = unpack(result.outputs.find((output) => output.format === 'epub')?.path ?? '')
    expect([...files.values()].some((text) => text.includes('doc-pagebreak') || text.includes('page-list') || text.includes('dc:source'))).toBe(false)
  }, 300_000)
})
