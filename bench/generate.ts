// Generates a seeded benchmark book (chapters, CSL-JSON bibliography, PNG figures, galley.yaml) of a given size.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { barChartPng, type Rgb } from './png.js'
import { capitalize, Prose, type Sentence } from './prose.js'
import { deriveSeed, Random } from './random.js'
import { generateReferences, personName, type Reference } from './references.js'

export type BookSize = 'small' | 'medium' | 'large'

/** What `generateBook` wrote; paths are absolute, chapters in reading order. */
export interface GeneratedBook {
  dir: string
  chapters: string[]
  bibliography: string
  /** Citation keys written (`[@a; @b]` counts two). */
  citations: number
  entries: number
  footnotes: number
}

interface SizeSpec {
  chapters: number
  words: number
  citations: number
  entries: number
  footnotes: number
  figures: number
}

/** Targets per size; a printed page holds about 370 words of this prose. */
export const sizes: Readonly<Record<BookSize, Readonly<SizeSpec>>> = {
  small: { chapters: 2, words: 3_700, citations: 20, entries: 15, footnotes: 8, figures: 2 },
  medium: { chapters: 10, words: 55_000, citations: 600, entries: 300, footnotes: 160, figures: 5 },
  large: { chapters: 30, words: 220_000, citations: 3_000, entries: 1_500, footnotes: 640, figures: 8 },
}

/** Seed used when none is given, so `generate.js medium dir` always writes the same book. */
export const defaultSeed = 20_240_601

const palette: readonly Rgb[] = [
  [31, 78, 121], [170, 57, 57], [46, 125, 50], [191, 128, 0], [106, 27, 154], [0, 131, 143], [93, 64, 55], [84, 110, 122],
]

function countWords(text: string): number {
  let count = 0
  for (const token of text.split(/\s+/)) if (token !== '') count++
  return count
}

/**
 * Hands out citation keys at a steady average rate, on word progress, so the total lands on target
 * whatever the prose happens to do; uncited entries are preferred often enough that every one gets cited.
 */
class Citer {
  emitted = 0
  readonly #r: Random
  readonly #target: number
  readonly #popular: readonly Reference[]
  readonly #uncited: Set<Reference>
  readonly #queue: Reference[]

  constructor(random: Random, references: readonly Reference[], target: number) {
    this.#r = random
    this.#target = target
    // A shuffled order with a skewed draw gives a few heavily cited works and a long tail, as in real books.
    this.#popular = random.shuffle(references)
    this.#uncited = new Set(references)
    this.#queue = random.shuffle(references)
  }

  /** Whether a citable sentence at this point in the book should carry a citation. */
  due(progress: number): boolean {
    const deficit = this.#target * progress - this.emitted
    return this.#r.next() < (deficit + 0.5) / 3
  }

  #key(exclude: Set<Reference>): Reference {
    const remaining = Math.max(1, this.#target - this.emitted)
    let chosen: Reference | undefined
    if (this.#uncited.size > 0 && this.#r.next() < (this.#uncited.size * 1.5) / remaining) {
      while (chosen === undefined || !this.#uncited.has(chosen) || exclude.has(chosen)) {
        chosen = this.#queue.shift()
        if (chosen === undefined) break
      }
    }
    for (let tries = 0; chosen === undefined || exclude.has(chosen); tries++) {
      const index = Math.floor(this.#popular.length * this.#r.next() ** 2.2)
      chosen = this.#popular[index]
      if (tries > 50) chosen = this.#popular.find((ref) => !exclude.has(ref))
    }
    this.#uncited.delete(chosen)
    this.emitted++
    return chosen
  }

  /** `count` distinct references. */
  keys(count: number): Reference[] {
    const taken = new Set<Reference>()
    for (let n = 0; n < count; n++) taken.add(this.#key(taken))
    return [...taken]
  }

  /** One reference with its key counted. */
  one(): Reference {
    const [ref] = this.keys(1)
    if (ref === undefined) throw new Error('Citer produced no key')
    return ref
  }
}

/** Takes and returns the first item of `unused`, if any. */
function first<T>(unused: Set<T>): T | undefined {
  for (const item of unused) {
    unused.delete(item)
    return item
  }
  return undefined
}

interface Progress {
  words: number
}

/** Writes the Markdown of every chapter, drawing prose and citations from seeded streams. */
class BookWriter {
  readonly #r: Random
  readonly #prose: Prose
  readonly #citer: Citer
  readonly #spec: SizeSpec
  readonly #progress: Progress = { words: 0 }
  #footnotes = 0
  #figure = 0
  #pendingNotes: string[] = []
  #subsectioned = false
  // Forms not yet written: each is used once before chance takes over, so even the small book shows them all.
  readonly #unusedGroups = new Set(['single', 'page', 'pages', 'see', 'mixed'] as const)
  readonly #unusedCites = new Set(['paren', 'locator', 'that', 'suppress'] as const)
  readonly #unusedBlocks = new Set(['list', 'numbered', 'quote', 'table', 'image'] as const)

  constructor(random: Random, references: readonly Reference[], spec: SizeSpec) {
    this.#r = random
    this.#prose = new Prose(random)
    this.#citer = new Citer(new Random(deriveSeed(Math.floor(random.next() * 2 ** 32), 'citer')), references, spec.citations)
    this.#spec = spec
  }

  get citations(): number {
    return this.#citer.emitted
  }

  get footnotes(): number {
    return this.#footnotes
  }

  get #fraction(): number {
    return Math.min(1, this.#progress.words / this.#spec.words)
  }

  #page(): number {
    return this.#r.int(3, 420)
  }

  /** A bracketed citation group in one of Pandoc's forms. */
  #group(): string {
    const r = this.#r
    const c = this.#citer
    const form = first(this.#unusedGroups) ?? r.weighted([
      ['single', 32], ['page', 16], ['pages', 10], ['see', 8], ['mixed', 7], ['two', 8], ['three', 4], ['eg', 4],
      ['cf', 4], ['chap', 3], ['fig', 1], ['para', 1],
    ] as const)
    const page = this.#page()
    switch (form) {
      case 'single':
        return `[@${c.one().item.id}]`
      case 'page':
        return `[@${c.one().item.id}, p. ${page}]`
      case 'pages': {
        const dash = r.chance(0.15) ? '--' : '-'
        return `[@${c.one().item.id}, pp. ${page}${dash}${page + r.int(1, 12)}]`
      }
      case 'see': {
        const [a, b] = c.keys(2)
        return `[see @${a?.item.id}; @${b?.item.id}, chap. ${r.int(1, 12)}]`
      }
      case 'mixed': {
        const [a, b] = c.keys(2)
        return `[@${a?.item.id}, ${page}; @${b?.item.id}, sec. ${r.int(1, 9)}]`
      }
      case 'two':
        return `[${c.keys(2).map((ref) => `@${ref.item.id}`).join('; ')}]`
      case 'three':
        return `[${c.keys(3).map((ref) => `@${ref.item.id}`).join('; ')}]`
      case 'eg':
        return `[e.g., ${c.keys(2).map((ref) => `@${ref.item.id}`).join('; ')}]`
      case 'cf':
        return `[cf. @${c.one().item.id}, p. ${page}]`
      case 'chap':
        return `[@${c.one().item.id}, chap. ${r.int(1, 14)}]`
      case 'fig':
        return `[@${c.one().item.id}, fig. ${r.int(1, 9)}]`
      case 'para':
        return `[@${c.one().item.id}, para. ${r.int(1, 40)}]`
    }
  }

  /** A sentence with a citation worked in: parenthetical, narrative, narrative with locator, or author suppressed. */
  #cite(sentence: Sentence): string {
    const r = this.#r
    const p = this.#prose
    const lead = p.lead(sentence.body)
    const form = first(this.#unusedCites) ?? r.weighted([
      ['paren', 58], ['as', 10], ['according', 5], ['locator', 8], ['that', 7], ['suppress', 8], ['trailing', 4],
    ] as const)
    switch (form) {
      case 'paren':
        return `${sentence.body} ${this.#group()}.`
      case 'as':
        return `As @${this.#citer.one().item.id} ${r.pick(['argues', 'shows', 'notes', 'observes', 'suggests', 'puts it'])}, ${lead}.`
      case 'according':
        return `According to @${this.#citer.one().item.id}, ${lead}.`
      case 'locator': {
        const page = this.#page()
        const locator = r.pick([`p. ${page}`, `pp. ${page}-${page + r.int(1, 9)}`, `chap. ${r.int(1, 12)}`])
        return `@${this.#citer.one().item.id} [${locator}] ${p.reportingVerb()} that ${lead}.`
      }
      case 'that':
        return `@${this.#citer.one().item.id} ${p.reportingVerb()} that ${lead}.`
      case 'suppress': {
        const ref = this.#citer.one()
        const locator = r.chance(0.3) ? `, p. ${this.#page()}` : ''
        return `${capitalize(ref.names)} [-@${ref.item.id}${locator}] ${p.reportingVerb()} that ${lead}.`
      }
      case 'trailing':
        return `${sentence.body}, a point made ${r.pick(['forcefully', 'early', 'persuasively', 'in passing'])} by @${this.#citer.one().item.id}.`
    }
  }

  /** One sentence, cited when the running rate calls for it. */
  #sentence(citeBias = 1): string {
    const sentence = this.#prose.sentence()
    if (sentence.citable && (this.#citer.due(this.#fraction) || (citeBias > 1 && this.#r.chance(0.05 * citeBias)))) {
      return this.#cite(sentence)
    }
    return sentence.body + sentence.end
  }

  #note(): string {
    const r = this.#r
    this.#footnotes++
    const label = this.#footnotes
    const paragraphs: string[] = []
    // The first note is long and cites, so every book has both kinds of footnote.
    const count = label === 1 ? 2 : r.weighted([[1, 70], [2, 20], [3, 10]] as const)
    for (let n = 0; n < count; n++) {
      const sentences = Array.from({ length: r.int(1, n === 0 && count === 1 ? 3 : 5) }, () => this.#sentence(2))
      if (n === 0 && (label === 1 || this.#citer.due(this.#fraction))) {
        const [a, b] = this.#citer.keys(2)
        const from = this.#page()
        sentences.unshift(r.chance(0.5)
          ? `See @${a?.item.id} [pp. ${from}-${from + r.int(2, 15)}]; also @${b?.item.id}.`
          : `On this point, see @${a?.item.id} and, more cautiously, @${b?.item.id} [chap. ${r.int(1, 9)}].`)
      }
      paragraphs.push(sentences.join(' '))
    }
    const text = paragraphs.join('\n\n    ')
    this.#pendingNotes.push(`[^${label}]: ${text}`)
    this.#progress.words += countWords(text)
    return `[^${label}]`
  }

  #paragraph(): string {
    const r = this.#r
    const length = r.weighted([[1, 3], [2, 6], [3, 12], [4, 16], [5, 16], [6, 13], [7, 9], [8, 6], [9, 4], [11, 2]] as const)
    const sentences: string[] = []
    const noteRate = this.#spec.footnotes / this.#spec.words
    for (let n = 0; n < length; n++) {
      let text = this.#sentence()
      const deficit = noteRate * this.#progress.words - this.#footnotes
      if (r.next() < (deficit + 0.3) / 4) text += this.#note()
      sentences.push(text)
    }
    return sentences.join(' ')
  }

  #list(ordered: boolean): string {
    const r = this.#r
    const intro = `${capitalize(this.#prose.clause())}${r.pick([', as follows:', ':', '. The main points are these:'])}`
    const items = Array.from({ length: r.int(3, 6) }, (_, index) => {
      const marker = ordered ? `${index + 1}.` : '-'
      let item = r.chance(0.5) ? this.#prose.phrase() : `${this.#prose.phrase()}: ${this.#prose.clause()}`
      if (this.#citer.due(this.#fraction)) item += ` ${this.#group()}`
      return `${marker} ${item}${r.chance(0.4) ? '.' : ''}`
    })
    return `${intro}\n\n${items.join('\n')}`
  }

  #quote(): string {
    const r = this.#r
    const sentences = Array.from({ length: r.int(2, 5) }, () => {
      const s = this.#prose.sentence()
      return s.body + s.end
    })
    let text = sentences.join(' ')
    if (r.chance(0.2)) text += `\n>\n> ${this.#prose.sentence().body}.`
    if (this.#citer.due(this.#fraction) || r.chance(0.5)) {
      text += ` [@${this.#citer.one().item.id}, p. ${this.#page()}${r.chance(0.2) ? ', emphasis added' : ''}]`
    }
    const intro = `${capitalize(this.#prose.clause())}. As one ${r.pick(['official', 'observer', 'memorandum', 'delegate', 'report'])} put it:`
    return `${intro}\n\n> ${text}`
  }

  #table(): string {
    const r = this.#r
    const start = r.int(190, 198) * 10
    const step = r.pick([2, 5, 10])
    const years = Array.from({ length: r.int(2, 4) }, (_, index) => String(start + index * step))
    const header = [r.pick(['Region', 'Sector', 'Category', 'Province', 'Group']), ...years, 'Change (%)']
    const rows = Array.from({ length: r.int(3, 7) }, () => {
      const values = years.map(() => (r.next() * 400).toFixed(1))
      const change = `${r.chance(0.3) ? '−' : '+'}${(r.next() * 60).toFixed(1)}`
      return [this.#prose.phrase(), ...values, change]
    })
    const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
    const align = `|:---|${years.map(() => '---:').join('|')}|---:|`
    let caption = `${this.#prose.phrase()} in ${r.pick(['selected regions', 'the northern provinces', 'three sectors', 'the border trade'])}, ${years[0]}–${years[years.length - 1]}`
    if (this.#citer.due(this.#fraction)) caption += `. Source: @${this.#citer.one().item.id} [p. ${this.#page()}]`
    return `${line(header)}\n${align}\n${rows.map(line).join('\n')}\n\nTable: ${caption}.`
  }

  #image(): string {
    const r = this.#r
    this.#figure = (this.#figure % this.#spec.figures) + 1
    const caption = `${this.#prose.phrase()} in ${r.pick(['the northern provinces', 'the border trade', 'the capital', 'the coastal cities'])}, ${r.int(190, 198) * 10}s`
    return `![${caption}](images/figure-${this.#figure}.png){width=${r.pick(['50%', '60%', '60%', '80%', '100%'])}}`
  }

  #block(previous: string): [string, string] {
    const r = this.#r
    let kind = previous === 'paragraph'
      ? r.weighted([['paragraph', 78], ['list', 3.5], ['numbered', 2.5], ['quote', 5], ['table', 4], ['image', 4]] as const)
      : 'paragraph'
    if (kind !== 'paragraph') kind = first(this.#unusedBlocks) ?? kind
    switch (kind) {
      case 'paragraph': return [kind, this.#paragraph()]
      case 'list': return [kind, this.#list(false)]
      case 'numbered': return [kind, this.#list(true)]
      case 'quote': return [kind, this.#quote()]
      case 'table': return [kind, this.#table()]
      case 'image': return [kind, this.#image()]
    }
  }

  /** Writes blocks until `budget` more words are written, then the pending footnote definitions. */
  #blocks(out: string[], budget: number): void {
    const end = this.#progress.words + budget
    let previous = 'heading'
    // At least one block; then stop when the next would more likely overshoot than not (blocks average ~100 words).
    do {
      const [kind, text] = this.#block(previous)
      previous = kind
      out.push(text)
      this.#progress.words += countWords(text)
    } while (this.#progress.words + 50 < end)
    out.push(...this.#pendingNotes)
    this.#pendingNotes = []
  }

  #heading(out: string[], level: number, title: string): void {
    out.push(`${'#'.repeat(level)} ${title}`)
    this.#progress.words += countWords(title)
  }

  /** One chapter of about `budget` words. */
  chapter(budget: number): string {
    const r = this.#r
    const out: string[] = []
    const start = this.#progress.words
    this.#heading(out, 1, this.#prose.chapterTitle())
    this.#blocks(out, r.int(150, 450))
    while (this.#progress.words - start < budget) {
      const left = budget - (this.#progress.words - start)
      // A remainder too short for a section is better left out than written as a heading with one sentence.
      if (left < 300) break
      const section = left < 1_500 ? left : r.int(900, 2_200)
      const last = section === left
      this.#heading(out, 2, last && r.chance(0.5) ? 'Conclusion' : this.#prose.sectionTitle())
      if (section > 600 && (!this.#subsectioned || r.chance(0.4))) {
        this.#subsectioned = true
        const parts = r.int(2, 3)
        this.#blocks(out, Math.round(section * 0.2))
        for (let n = 0; n < parts; n++) {
          this.#heading(out, 3, this.#prose.sectionTitle())
          this.#blocks(out, Math.round((section * 0.8) / parts))
        }
      } else {
        this.#blocks(out, section)
      }
    }
    return `${out.join('\n\n')}\n`
  }
}

/** Every file of a book, keyed by path relative to the book's directory; no I/O, so it is easy to test. */
export interface BookFiles {
  files: Map<string, string | Buffer>
  chapters: string[]
  citations: number
  entries: number
  footnotes: number
}

/** Builds a book in memory; the same size and seed always give the same bytes. */
export function buildBook(size: BookSize, seed = defaultSeed): BookFiles {
  const spec = sizes[size]
  const files = new Map<string, string | Buffer>()

  const refRandom = new Random(deriveSeed(seed, 'references'))
  const references = generateReferences(refRandom, new Prose(refRandom), spec.entries)
  files.set('references.json', `${JSON.stringify(references.map((ref) => ref.item), null, 2)}\n`)

  const textRandom = new Random(deriveSeed(seed, 'text'))
  const writer = new BookWriter(textRandom, references, spec)
  // Chapter lengths vary ±30% around the mean, scaled so they add up to the target.
  const weights = Array.from({ length: spec.chapters }, () => 0.7 + textRandom.next() * 0.6)
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0)
  const chapters: string[] = []
  weights.forEach((weight, index) => {
    const name = `chapter-${String(index + 1).padStart(2, '0')}.md`
    files.set(name, writer.chapter(Math.round((spec.words * weight) / weightSum)))
    chapters.push(name)
  })

  const figureRandom = new Random(deriveSeed(seed, 'figures'))
  for (let n = 1; n <= spec.figures; n++) {
    const values = Array.from({ length: figureRandom.int(3, 7) }, () => 0.15 + figureRandom.next() * 0.85)
    files.set(`images/figure-${n}.png`, barChartPng(200, 120, values, palette[(n - 1) % palette.length] ?? [0, 0, 0]))
  }

  const metaRandom = new Random(deriveSeed(seed, 'metadata'))
  const title = new Prose(metaRandom).bookTitle()
  const authors = Array.from({ length: metaRandom.int(1, 2) }, () => personName(metaRandom))
  files.set('galley.yaml', [
    `input-files: [${chapters.join(', ')}]`,
    'metadata:',
    `  title: ${JSON.stringify(title)}`,
    `  author: [${authors.map((name) => JSON.stringify(name)).join(', ')}]`,
    '  bibliography: references.json',
    '  csl: chicago-author-date',
    '  lang: en-US',
    '  toc: true',
    '',
  ].join('\n'))

  return { files, chapters, citations: writer.citations, entries: references.length, footnotes: writer.footnotes }
}

/** Writes a book of `size` into `dir`, replacing chapters and figures left there by an earlier run. */
export async function generateBook(size: BookSize, dir: string, seed = defaultSeed): Promise<GeneratedBook> {
  const root = path.resolve(dir)
  const book = buildBook(size, seed)
  await mkdir(path.join(root, 'images'), { recursive: true })
  for (const name of await readdir(root)) {
    if (/^chapter-\d+\.md$/.test(name)) await rm(path.join(root, name))
  }
  for (const name of await readdir(path.join(root, 'images'))) {
    if (/^figure-\d+\.png$/.test(name)) await rm(path.join(root, 'images', name))
  }
  for (const [name, content] of book.files) await writeFile(path.join(root, name), content)
  return {
    dir: root,
    chapters: book.chapters.map((name) => path.join(root, name)),
    bibliography: path.join(root, 'references.json'),
    citations: book.citations,
    entries: book.entries,
    footnotes: book.footnotes,
  }
}

function isBookSize(value: string | undefined): value is BookSize {
  return value === 'small' || value === 'medium' || value === 'large'
}

async function main(argv: readonly string[]): Promise<number> {
  const [size, dir, seedText] = argv
  const seed = seedText === undefined ? defaultSeed : Number(seedText)
  if (!isBookSize(size) || dir === undefined || !Number.isInteger(seed)) {
    process.stderr.write('usage: node lib-bench/bench/generate.js small|medium|large DIR [SEED]\n')
    return 2
  }
  const started = performance.now()
  const book = await generateBook(size, dir, seed)
  const milliseconds = Math.round(performance.now() - started)
  let words = 0
  for (const chapter of book.chapters) words += countWords(await readFile(chapter, 'utf8'))
  process.stdout.write(`${JSON.stringify({ size, seed, ...book, words, pages: Math.round(words / 370), milliseconds }, null, 2)}\n`)
  return 0
}

// Run as a script (`node lib-bench/bench/generate.js …`), not when imported by the benchmark runner.
const invoked = process.argv[1]
if (invoked !== undefined && import.meta.url === pathToFileURL(path.resolve(invoked)).href) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    },
  )
}
