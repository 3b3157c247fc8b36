// Builds a varied CSL-JSON bibliography: every common type, 1 to 12 authors, particles, organisations,
// same-author-same-year pairs that force year suffixes, DOIs, URLs, page ranges, volumes and issues.
import type { Prose } from './prose.js'
import type { Random } from './random.js'

/** A CSL name: a person, or an organisation as `literal`. */
export interface CslName {
  family?: string
  given?: string
  'non-dropping-particle'?: string
  literal?: string
}

/** A CSL date, year first. */
export interface CslDate {
  'date-parts': number[][]
}

/** The CSL-JSON fields this generator writes. */
export interface CslItem {
  id: string
  type: 'book' | 'article-journal' | 'chapter' | 'report' | 'webpage' | 'thesis'
  title: string
  author?: CslName[]
  editor?: CslName[]
  translator?: CslName[]
  issued?: CslDate
  'original-date'?: CslDate
  accessed?: CslDate
  'container-title'?: string
  'collection-title'?: string
  publisher?: string
  'publisher-place'?: string
  volume?: string
  issue?: string
  page?: string
  edition?: string
  genre?: string
  number?: string
  DOI?: string
  URL?: string
  ISBN?: string
}

/** An entry plus the author text a sentence uses before a suppress-author citation (`Smith and Lee [-@key]`). */
export interface Reference {
  item: CslItem
  names: string
}

const families = [
  'Smith', 'Johnson', 'Lee', 'Kim', 'Park', 'Choi', 'Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Yang', 'Huang', 'Zhao', 'Wu',
  'Zhou', 'Nguyen', 'Tanaka', 'Suzuki', 'Sato', 'Yamamoto', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber',
  'García', 'Martínez', 'Rodríguez', 'López', 'Hernández', 'Rossi', 'Russo', 'Bianchi', 'Dubois', 'Lefèvre', 'Moreau',
  'Laurent', 'Novák', 'Kowalski', 'Nowak', 'Ivanov', 'Petrov', 'Smirnova', 'Jensen', 'Nielsen', 'Hansen', 'Andersson',
  'Johansson', 'Karlsson', 'O’Brien', 'Murphy', 'Kelly', 'Walsh', 'Patel', 'Shah', 'Singh', 'Gupta', 'Khan', 'Ahmed',
  'Hassan', 'Okafor', 'Mensah', 'Adeyemi', 'Cohen', 'Levi', 'Friedman', 'Goldberg', 'Brown', 'Taylor', 'Wilson',
  'Davies', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Thompson', 'White', 'Hughes', 'Edwards', 'Green',
  'Hall', 'Wood', 'Harris', 'Clarke', 'Jackson', 'Turner', 'Hill', 'Moore', 'Cooper', 'Ward', 'Morris', 'King',
  'Baker', 'Carter', 'Mitchell', 'Campbell', 'Anderson', 'Scott', 'Young', 'Allen', 'Stewart', 'Ross', 'Armstrong',
  'Szalontai', 'Lankov', 'Haggard', 'Noland', 'Person', 'Shen', 'Xia', 'Kwon', 'Yoon', 'Jung', 'Han', 'Lim', 'Seo',
  'Ito', 'Watanabe', 'Nakamura', 'Kobayashi', 'Tran', 'Pham', 'Le', 'Hoang', 'Fernandes', 'Silva', 'Costa', 'Oliveira',
  'Mendes', 'Kaplan', 'Yilmaz', 'Demir', 'Rahman', 'Hussain', 'Barros', 'Bergström', 'Lindqvist', 'Virtanen',
  'Korhonen', 'Horvath', 'Kovács', 'Popescu', 'Dimitrov', 'Papadopoulos', 'Morgan', 'Bell', 'Reed', 'Price', 'Ortiz',
  'Smith-Harrington', 'Fairbank', 'Whitfield', 'Ashworth',
]

const particles: readonly CslName[] = [
  { family: 'Berg', given: 'Anna', 'non-dropping-particle': 'van den' },
  { family: 'Vries', given: 'Pieter', 'non-dropping-particle': 'de' },
  { family: 'Silva', given: 'Ana', 'non-dropping-particle': 'da' },
  { family: 'Heyden', given: 'Ulrich', 'non-dropping-particle': 'van der' },
  { family: 'Costa', given: 'Luís', 'non-dropping-particle': 'da' },
  { family: 'Santos', given: 'Mariana', 'non-dropping-particle': 'dos' },
]

const givens = [
  'J. R.', 'Mary-Anne', 'Jae-hoon', 'Xiaoming', 'Hyun-woo', 'Sung-Yoon', 'Yuki', 'Aiko', 'François', 'Zoë', 'Søren',
  'Björn', 'José', 'María', 'Ana', 'Ewa', 'Tomasz', 'Olga', 'Dmitri', 'Amara', 'Chinedu', 'Kwame', 'Priya', 'Arjun',
  'Fatima', 'Omar', 'Leila', 'Noa', 'David', 'Sarah', 'Michael', 'Elizabeth', 'James', 'Catherine', 'Robert', 'Helen',
  'Thomas', 'Margaret', 'Andrew', 'Ruth', 'Peter', 'Susan', 'Daniel', 'Laura', 'Charles', 'Emma', 'Richard', 'Claire',
  'Jonathan', 'Rebecca', 'Min-jung', 'Seo-yeon', 'Wei', 'Jing', 'Hiroshi', 'Kenji', 'Mei', 'Ingrid', 'Lars', 'Kerstin',
  'Matteo', 'Giulia', 'Élodie', 'Mathieu', 'Katarzyna', 'Nikolai', 'Irina', 'Aylin', 'Mehmet', 'Nadia', 'Samuel',
  'E. H.', 'A. J.', 'M. K.', 'Charles K.', 'Bruce', 'Balázs', 'Andrei', 'Marcus', 'Hannah', 'Gabriel', 'Lucía',
]

const journals = [
  'Journal of Modern History', 'Comparative Studies in Society and History', 'American Political Science Review',
  'International Organization', 'World Politics', 'Past & Present', 'The China Quarterly', 'Journal of Asian Studies',
  'Modern Asian Studies', 'Economic History Review', 'Journal of Economic History', 'Social Science History',
  'Diplomatic History', 'Cold War History', 'International Security', 'Journal of Cold War Studies',
  'Journal of Historical Geography', 'Comparative Politics', 'Studies in Comparative International Development',
  'Journal of Peace Research', 'Asian Survey', 'Pacific Affairs', 'Korean Studies', 'Journal of Contemporary Asia',
  'Review of International Studies', 'Theory and Society', 'American Historical Review', 'Journal of Global History',
  'Itinerario', 'Europe-Asia Studies',
]

const publishers: readonly (readonly [string, string])[] = [
  ['Cambridge University Press', 'Cambridge'], ['Oxford University Press', 'Oxford'],
  ['Princeton University Press', 'Princeton, NJ'], ['University of California Press', 'Berkeley'],
  ['Stanford University Press', 'Stanford, CA'], ['Harvard University Press', 'Cambridge, MA'],
  ['Columbia University Press', 'New York'], ['Cornell University Press', 'Ithaca, NY'],
  ['Yale University Press', 'New Haven, CT'], ['University of Chicago Press', 'Chicago'], ['Routledge', 'London'],
  ['Palgrave Macmillan', 'Basingstoke'], ['Verso', 'London'], ['Duke University Press', 'Durham, NC'],
  ['University of Hawai‘i Press', 'Honolulu'], ['Brill', 'Leiden'], ['Edward Elgar', 'Cheltenham'],
  ['MIT Press', 'Cambridge, MA'], ['Lexington Books', 'Lanham, MD'], ['Rowman & Littlefield', 'Lanham, MD'],
]

const institutions: readonly (readonly [string, string, string])[] = [
  ['World Bank', 'Washington, DC', 'worldbank'], ['International Crisis Group', 'Brussels', 'crisisgroup'],
  ['RAND Corporation', 'Santa Monica, CA', 'rand'], ['Brookings Institution', 'Washington, DC', 'brookings'],
  ['Congressional Research Service', 'Washington, DC', 'crs'], ['Asian Development Bank', 'Manila', 'adb'],
  ['United Nations Development Programme', 'New York', 'undp'], ['Korea Development Institute', 'Sejong', 'kdi'],
  ['Peterson Institute for International Economics', 'Washington, DC', 'piie'],
  ['Food and Agriculture Organization', 'Rome', 'fao'],
]

const websites = [
  '38 North', 'The Diplomat', 'Wilson Center Digital Archive', 'Foreign Affairs', 'East Asia Forum', 'Lawfare',
  'War on the Rocks', 'Sino-NK', 'The Asan Forum',
]

const universities: readonly (readonly [string, string])[] = [
  ['Harvard University', 'Cambridge, MA'], ['University of Chicago', 'Chicago'], ['SOAS University of London', 'London'],
  ['Seoul National University', 'Seoul'], ['University of British Columbia', 'Vancouver'],
  ['Australian National University', 'Canberra'], ['Columbia University', 'New York'],
  ['University of Michigan', 'Ann Arbor'], ['Freie Universität Berlin', 'Berlin'], ['Leiden University', 'Leiden'],
]

const doiPrefixes = ['10.1017', '10.1080', '10.1093', '10.1177', '10.1111', '10.2307', '10.1353', '10.1215', '10.1057']

const slugLetters = 'abcdefghijklmnopqrstuvwxyz0123456789'

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '')
}

function slugify(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/<\/?i>/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

function letters(index: number): string {
  // a, b, …, z, aa, ab, … so even an unlucky collision run stays a valid key.
  const letter = String.fromCharCode(97 + (index % 26))
  return index < 26 ? letter : letters(Math.floor(index / 26) - 1) + letter
}

function nameText(names: readonly CslName[]): string {
  const family = (name: CslName): string =>
    name.literal ?? [name['non-dropping-particle'], name.family].filter((part) => part !== undefined).join(' ')
  const [first, second, third] = names
  if (first === undefined) return ''
  if (names.length >= 4) return `${family(first)} et al.`
  if (third !== undefined && second !== undefined) return `${family(first)}, ${family(second)}, and ${family(third)}`
  if (second !== undefined) return `${family(first)} and ${family(second)}`
  return family(first)
}

type ItemType = CslItem['type']

interface Plan {
  type: ItemType
  authors: number
  copyOf?: number
}

/**
 * The first entries are fixed so that even the small book has every type, 1, 2, 3 and 9 authors,
 * an organisation as author and one same-author-same-year pair; the rest are drawn at random.
 */
const fixedPlans: readonly Plan[] = [
  { type: 'book', authors: 1 },
  { type: 'article-journal', authors: 2 },
  { type: 'chapter', authors: 3 },
  { type: 'article-journal', authors: 9 },
  { type: 'report', authors: 0 },
  { type: 'webpage', authors: 1 },
  { type: 'thesis', authors: 1 },
  { type: 'article-journal', authors: 1, copyOf: 0 },
]

/** A person's name for the book's own title page, from the same pools as the bibliography. */
export function personName(random: Random): string {
  return `${random.pick(givens)} ${random.pick(families)}`
}

/** Builds `count` references with unique ids such as `smith2019a`. */
export function generateReferences(random: Random, prose: Prose, count: number): Reference[] {
  const r = random
  const person = (): CslName => {
    if (r.chance(0.04)) return { ...r.pick(particles) }
    return { family: r.pick(families), given: r.pick(givens) }
  }
  const people = (n: number): CslName[] => Array.from({ length: n }, person)
  const year = (): number => 2024 - Math.floor(59 * r.next() ** 1.6)
  const pageRange = (): string => {
    const start = r.int(1, 620)
    return `${start}–${start + r.int(8, 40)}`
  }
  const doi = (): string => `${r.pick(doiPrefixes)}/${Array.from({ length: r.int(8, 14) }, () => r.pick([...slugLetters])).join('')}`

  const items: CslItem[] = []
  const baseKeys: string[] = []
  for (let index = 0; index < count; index++) {
    const plan: Plan = fixedPlans[index] ?? {
      type: r.weighted([['article-journal', 35], ['book', 22], ['chapter', 18], ['report', 9], ['webpage', 8], ['thesis', 8]] as const),
      authors: r.weighted([[1, 45], [2, 25], [3, 15], [4, 4], [5, 2], [6, 2], [7, 3], [10, 2], [12, 2]] as const),
    }
    const copied = plan.copyOf ?? (index > 8 && r.chance(0.06) ? r.int(0, index - 1) : undefined)
    const source = copied === undefined ? undefined : items[copied]
    const item: CslItem = { id: '', type: plan.type, title: plan.type === 'book' ? prose.bookTitle() : prose.articleTitle() }
    let issuedYear: number | undefined = r.chance(0.01) && plan.type !== 'webpage' ? undefined : year()

    if (source?.author !== undefined && source.author.every((name) => name.literal === undefined)) {
      // Same authors, same year: the pair a style must tell apart with 2019a / 2019b.
      item.author = source.author.map((name) => ({ ...name }))
      const sourceYear = source.issued?.['date-parts'][0]?.[0]
      issuedYear = sourceYear
    } else if (plan.type === 'report' && (plan.authors === 0 || r.chance(0.35))) {
      const [name] = r.pick(institutions)
      item.author = [{ literal: name }]
    } else if (plan.type === 'book' && index >= fixedPlans.length && r.chance(0.15)) {
      item.editor = people(r.int(1, 3)) // an edited volume: cited by its editors
    } else if (plan.type === 'thesis' || plan.type === 'webpage') {
      item.author = people(plan.type === 'webpage' && r.chance(0.2) ? 2 : 1)
    } else {
      item.author = people(plan.type === 'chapter' ? Math.min(plan.authors, 3) : plan.authors)
    }
    if (issuedYear !== undefined) item.issued = { 'date-parts': [[issuedYear]] }

    switch (plan.type) {
      case 'article-journal':
        item['container-title'] = r.pick(journals)
        item.volume = String(r.int(1, 80))
        if (r.chance(0.8)) item.issue = String(r.int(1, 6))
        item.page = pageRange()
        if (r.chance(0.75)) item.DOI = doi()
        else if (r.chance(0.5)) item.URL = `https://www.jstor.org/stable/${r.int(10000, 99999999)}`
        if (issuedYear !== undefined && r.chance(0.2)) item.issued = { 'date-parts': [[issuedYear, r.int(1, 12)]] }
        break
      case 'book': {
        const [publisher, place] = r.pick(publishers)
        item.publisher = publisher
        item['publisher-place'] = place
        if (r.chance(0.1)) item.edition = String(r.int(2, 4))
        if (r.chance(0.3)) item.ISBN = `978-${r.int(0, 1)}-${r.int(100, 999)}-${r.int(10000, 99999)}-${r.int(0, 9)}`
        if (r.chance(0.15)) item.DOI = doi()
        if (issuedYear !== undefined && r.chance(0.04)) {
          // A translation: Chicago prints the original year first.
          item.translator = people(1)
          item['original-date'] = { 'date-parts': [[issuedYear - r.int(5, 60)]] }
        }
        break
      }
      case 'chapter': {
        const [publisher, place] = r.pick(publishers)
        item['container-title'] = prose.bookTitle()
        item.editor = people(r.int(1, 3))
        item.publisher = publisher
        item['publisher-place'] = place
        item.page = pageRange()
        if (r.chance(0.3)) item.DOI = doi()
        break
      }
      case 'report': {
        const [name, place, slug] = r.pick(institutions)
        const literal = item.author?.[0]?.literal
        const institution = literal === undefined ? [name, place, slug] : institutions.find(([n]) => n === literal) ?? [name, place, slug]
        item.publisher = institution[0]
        item['publisher-place'] = institution[1]
        item.genre = r.pick(['Working Paper', 'Policy Brief', 'Asia Report', 'Technical Report', 'Discussion Paper'])
        item.number = String(r.int(1, 320))
        item.URL = `https://www.${institution[2]}.org/publications/${slugify(item.title).slice(0, 48)}`
        break
      }
      case 'webpage': {
        const site = r.pick(websites)
        item['container-title'] = site
        const month = r.int(1, 12)
        const day = r.int(1, 28)
        if (issuedYear !== undefined) item.issued = { 'date-parts': [[issuedYear, month, day]] }
        item.accessed = { 'date-parts': [[2024, r.int(1, 12), r.int(1, 28)]] }
        item.URL = `https://www.${slugify(site).replace(/-/g, '')}.org/${issuedYear ?? 2024}/${String(month).padStart(2, '0')}/${slugify(item.title).slice(0, 60)}`
        break
      }
      case 'thesis': {
        const [university, place] = r.pick(universities)
        item.genre = r.chance(0.8) ? 'PhD diss.' : 'Master’s thesis'
        item.publisher = university
        item['publisher-place'] = place
        if (r.chance(0.3)) item.URL = `https://dissertations.example.org/${r.int(100000, 999999)}`
        break
      }
    }

    const first = (item.author ?? item.editor ?? [])[0]
    const literalSlug = institutions.find(([n]) => n === first?.literal)?.[2]
    baseKeys.push(`${literalSlug ?? ascii(first?.family ?? 'anon')}${issuedYear ?? 'nd'}`)
    items.push(item)
  }

  // Ids last: a base key shared by several entries gets a, b, c … in order, the usual convention.
  const groups = new Map<string, number>()
  for (const key of baseKeys) groups.set(key, (groups.get(key) ?? 0) + 1)
  const seen = new Map<string, number>()
  return items.map((item, index) => {
    const base = baseKeys[index] ?? `anon${index}`
    const nth = seen.get(base) ?? 0
    seen.set(base, nth + 1)
    item.id = (groups.get(base) ?? 0) > 1 ? base + letters(nth) : base
    return { item, names: nameText(item.author ?? item.editor ?? []) }
  })
}
