// A course pack's PDF read back page by page: the contents' page numbers are where the readings and their sections
// fell, folios run on through the readings, running heads name the reading (its authors on versos, its title on
// rectos, as an anthology's do), and each reading ends with its list.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli } from './helpers/project.js'
import { pdfInfo, pdfText } from './helpers/tools.js'

const refs = JSON.stringify([
  { id: 'doe2020a', type: 'book', title: 'Alpha Book', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020]] }, publisher: 'P' },
  { id: 'doe2020b', type: 'book', title: 'Beta Book', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020]] }, publisher: 'P' },
  { id: 'roe2019', type: 'book', title: 'Gamma Book', author: [{ family: 'Roe', given: 'Rick' }], issued: { 'date-parts': [[2019]] }, publisher: 'P' },
  { id: 'poe2018', type: 'book', title: 'Delta Book', author: [{ family: 'Poe', given: 'Ed' }], issued: { 'date-parts': [[2018]] }, publisher: 'P' },
])

const sentence = 'A reading is set so that it can be read at a desk with a pencil, in a pack that holds the term in one volume. '

/** A reading of `sections` sections, each of a few pages, citing `cites` in its first. */
function reading(title: string, author: string, sections: string[], cites: string): string {
  const body = sections.map((heading, index) => `# ${heading}\n\n${Array.from({ length: 9 }, (_, i) => `${sentence.repeat(6)}${index === 0 && i === 1 ? ` ${cites}` : ''}`).join('\n\n')}`)
  return `---\ntitle: ${title}\nauthor: ${author}\n---\n\n${body.join('\n\n')}\n`
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim()

describe('course pack PDF', () => {
  it('has true contents page numbers, continuous folios, running heads naming the reading, and a list per reading', { timeout: 300_000 }, async () => {
    const dir = makeProject({
      'refs.json': refs,
      'galley.yaml': 'title: Theory Reader\nauthor: Course Staff\nlayout: course-pack\nsection-bibliographies: true\nreference-section-title: References\nbibliography: refs.json\ninput-files: [hobbes.md, locke.md, rousseau.md]\n',
      'hobbes.md': reading('Leviathan', 'Thomas Hobbes', ['Natural Condition', 'Of War'], '[@doe2020a; @roe2019]'),
      'locke.md': reading('Second Treatise', 'John Locke', ['Of Property', 'Of Consent'], '[@doe2020b]'),
      'rousseau.md': reading('Social Contract', 'Jean-Jacques Rousseau', ['First Societies'], '[@poe2018; @roe2019]'),
    })
    const run = await runCli(dir, ['build', '--to', 'pdf'])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    const pdf = path.join(dir, 'dist', 'hobbes.pdf')
    const count = Number(pdfInfo(pdf)['Pages'])
    const pages = Array.from({ length: count }, (_, index) => pdfText(pdf, index + 1))
    const lines = (page: number): string[] => (pages[page - 1] ?? '').split('\n').map((line) => line.trim()).filter(Boolean)

    // The contents, read from its page: each entry's page number as printed.
    const contentsPage = pages.findIndex((text) => text.includes('Contents')) + 1
    expect(contentsPage).toBe(2)
    const entries = new Map(lines(contentsPage).flatMap((line) => {
      const match = /^(.*?)\s{2,}(\d+)$/.exec(line)
      return match ? [[match[1] ?? '', Number(match[2])] as const] : []
    }))
    // A reading's entry names its author after its title.
    const titles = ['Leviathan — Thomas Hobbes', 'Natural Condition', 'Of War', 'Second Treatise — John Locke', 'Of Property', 'Of Consent', 'Social Contract — Jean-Jacques Rousseau', 'First Societies']
    expect([...entries.keys()]).toEqual(titles)
    for (const [key, page] of [...entries]) entries.set(key.replace(/ — .*/, ''), page)
    // Each reading opens its page with its title and authors (no running head there); each section's heading is
    // on the page its number says.
    for (const [title, author] of [['Leviathan', 'Thomas Hobbes'], ['Second Treatise', 'John Locke'], ['Social Contract', 'Jean-Jacques Rousseau']] as const) {
      const page = entries.get(title) ?? 0
      expect(lines(page)[0]).toBe(title)
      expect(squash(lines(page)[1] ?? '').replace(/ /g, '')).toBe(author.replace(/ /g, ''))
      // Readings open on a recto.
      expect(page % 2).toBe(1)
    }
    for (const heading of ['Natural Condition', 'Of War', 'Of Property', 'Of Consent', 'First Societies']) {
      const page = entries.get(heading) ?? 0
      expect(lines(page), heading).toContain(heading)
      expect(lines(page - 1), heading).not.toContain(heading)
    }

    // Folios run on through the readings: every page that is not a blank verso ends with its own number.
    const readingOf = (page: number): string | undefined => ['Leviathan', 'Second Treatise', 'Social Contract'].findLast((title) => (entries.get(title) ?? Infinity) <= page)
    const authorOf = new Map([['Leviathan', 'Thomas Hobbes'], ['Second Treatise', 'John Locke'], ['Social Contract', 'Jean-Jacques Rousseau']])
    let blanks = 0
    let versos = 0
    for (let page = 1; page <= count; page++) {
      const text = lines(page)
      if (text.length === 0) {
        blanks++
        continue
      }
      expect(text.at(-1), `folio of page ${page}`).toBe(String(page))
      // Running heads on the pages after a reading's opening: its authors on versos, its title on rectos.
      const title = readingOf(page)
      if (!title || page === entries.get(title)) continue
      expect(squash(text[0] ?? ''), `head of page ${page}`).toBe(page % 2 === 0 ? authorOf.get(title) : title)
      versos += page % 2 === 0 ? 1 : 0
    }
    // Versos inside readings were seen, so the check above saw the authors' names.
    expect(versos).toBeGreaterThan(2)
    expect(blanks).toBeLessThan(3)
    // At least one recto inside a reading, so the check above saw a reading's name.
    expect([...Array(count).keys()].map((i) => i + 1).some((page) => page % 2 === 1 && readingOf(page) && page !== entries.get(readingOf(page) ?? ''))).toBe(true)

    // Each reading ends with its own list, before the next reading opens: exactly the entries it cites.
    const listOf = (from: number, to: number): string[] => {
      const text = squash(pages.slice(from - 1, to - 1).join('\n'))
      const list = text.slice(text.lastIndexOf('References'))
      return ['Alpha Book', 'Beta Book', 'Gamma Book', 'Delta Book'].filter((title) => list.includes(title))
    }
    const second = entries.get('Second Treatise') ?? 0
    const third = entries.get('Social Contract') ?? 0
    expect(listOf(entries.get('Leviathan') ?? 0, second)).toEqual(['Alpha Book', 'Gamma Book'])
    expect(listOf(second, third)).toEqual(['Beta Book'])
    expect(listOf(third, count + 1)).toEqual(['Gamma Book', 'Delta Book'])
    // The one engine gives Doe's two books their letters in every reading.
    expect(squash(pages.slice(second - 1, third - 1).join(' '))).toContain('(Doe 2020b)')
  })
})
