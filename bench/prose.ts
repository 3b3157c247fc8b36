// Seeded academic-sounding English: noun phrases, clauses, sentences and titles built from a phrase vocabulary.
import type { Random } from './random.js'

const singularNouns = [
  'state', 'archive', 'border', 'regime', 'treaty', 'ministry', 'party', 'alliance', 'economy', 'region', 'frontier',
  'settlement', 'reform', 'crisis', 'narrative', 'argument', 'framework', 'institution', 'market', 'bureaucracy',
  'leadership', 'population', 'peninsula', 'province', 'capital', 'countryside', 'press', 'census', 'policy', 'doctrine',
  'negotiation', 'agreement', 'movement', 'network', 'record', 'ledger', 'inquiry', 'memorandum', 'campaign',
  'delegation', 'committee', 'mission', 'embassy', 'harbor', 'railway', 'famine', 'drought', 'boundary', 'hierarchy',
  'tradition', 'consensus', 'paradigm', 'hypothesis', 'model', 'sample', 'survey', 'case', 'comparison', 'chronology',
  'periodization', 'ideology', 'armistice', 'customs house', 'trade fair', 'five-year plan', 'ration system',
  'village council', 'foreign ministry', 'security apparatus', 'planning commission', 'free trade zone', 'joint venture',
]

const pluralNouns = [
  'states', 'archives', 'borders', 'elites', 'officials', 'merchants', 'peasants', 'workers', 'migrants', 'refugees',
  'diplomats', 'cadres', 'historians', 'observers', 'institutions', 'markets', 'networks', 'reforms', 'treaties',
  'negotiations', 'loans', 'subsidies', 'exports', 'imports', 'remittances', 'tariffs', 'quotas', 'records', 'reports',
  'memoirs', 'interviews', 'statistics', 'rumors', 'campaigns', 'factions', 'ministries', 'provinces', 'villages',
  'cities', 'ports', 'railways', 'factories', 'cooperatives', 'smugglers', 'brokers', 'envoys', 'delegations',
  'advisers', 'engineers', 'students', 'soldiers', 'households', 'communities', 'ideas', 'practices', 'norms', 'rules',
  'hierarchies', 'boundaries', 'categories', 'assumptions', 'expectations', 'grievances', 'loyalties', 'obligations',
  'trade flows', 'aid packages', 'border crossings', 'price controls', 'party organs', 'county authorities',
]

const abstractNouns = [
  'sovereignty', 'legitimacy', 'authority', 'patronage', 'surveillance', 'reconstruction', 'modernization',
  'industrialization', 'collectivization', 'decolonization', 'dependence', 'autonomy', 'trust', 'uncertainty',
  'reciprocity', 'memory', 'mobility', 'scarcity', 'solidarity', 'suspicion', 'prestige', 'security', 'development',
  'integration', 'isolation', 'continuity', 'change', 'violence', 'order', 'accountability', 'compliance', 'resistance',
  'leverage', 'credibility', 'interdependence', 'self-reliance', 'state capacity', 'economic coercion',
]

const adjectives = [
  'local', 'provincial', 'regional', 'national', 'transnational', 'informal', 'formal', 'contested', 'fragile',
  'durable', 'peripheral', 'central', 'coastal', 'rural', 'urban', 'administrative', 'fiscal', 'military', 'diplomatic',
  'commercial', 'ideological', 'cultural', 'economic', 'political', 'social', 'institutional', 'official', 'unofficial',
  'early', 'late', 'postwar', 'interwar', 'colonial', 'postcolonial', 'revolutionary', 'conservative', 'socialist',
  'agrarian', 'industrial', 'maritime', 'continental', 'ambiguous', 'uneven', 'partial', 'competing', 'overlapping',
  'emerging', 'declining', 'persistent', 'recurrent', 'hidden', 'visible', 'nominal', 'substantive', 'reciprocal',
  'asymmetric', 'hierarchical', 'fragmented', 'centralized', 'decentralized', 'bilateral', 'multilateral', 'sustained',
  'episodic', 'long-standing', 'short-lived', 'well-documented', 'little-known', 'neglected', 'everyday', 'clandestine',
]

const verbs = [
  'shape', 'constrain', 'reinforce', 'undermine', 'obscure', 'reflect', 'transform', 'sustain', 'complicate',
  'challenge', 'legitimize', 'mediate', 'reproduce', 'displace', 'reorganize', 'enable', 'limit', 'structure', 'expose',
  'conceal', 'redefine', 'accelerate', 'delay', 'stabilize', 'destabilize', 'channel', 'absorb', 'frame', 'anticipate',
  'outlast', 'reshape', 'erode', 'consolidate', 'negotiate', 'mirror', 'amplify', 'soften', 'weaken', 'strengthen',
  'extend', 'narrow', 'govern', 'regulate', 'document', 'register', 'tolerate', 'resist', 'accommodate', 'privilege',
  'marginalize', 'finance', 'monitor', 'bypass', 'formalize', 'deepen', 'unsettle',
]

const modals = [
  'may', 'might', 'could', 'would', 'should', 'must', 'can', 'cannot', 'did not', 'tended to', 'continued to',
  'began to', 'helped to', 'failed to', 'seemed to', 'was meant to', 'was unable to', 'would later',
]

const adverbs = ['rarely', 'often', 'quietly', 'gradually', 'repeatedly', 'openly', 'never fully', 'largely', 'partly', 'increasingly', 'briefly', 'effectively']

const outcomes = [
  'fragile', 'durable', 'short-lived', 'costly', 'decisive', 'illusory', 'temporary', 'contentious', 'remarkably resilient',
  'difficult to enforce', 'more symbolic than real', 'open to interpretation', 'surprisingly stable', 'politically useful',
]

const openers = [
  'In the years that followed', 'By the early 1960s', 'For much of the period', 'On closer inspection', 'In practice',
  'In principle', 'At first glance', 'From this vantage point', 'Seen from the provinces', 'Taken together',
  'In retrospect', 'Throughout the decade', 'Within a few years', 'Under these conditions', 'For contemporaries',
  'In the archival record', 'In most accounts', 'In the standard narrative', 'Despite these efforts',
  'Against this background', 'After the armistice', 'Before the reforms', 'As the decade wore on', 'In the short run',
  'Over the longer term', 'For a brief moment', 'In the capital at least', 'Viewed from below',
]

const connectives = [
  'However', 'Moreover', 'Nevertheless', 'By contrast', 'In this sense', 'At the same time', 'Put differently',
  'Indeed', 'Still', 'Conversely', 'Crucially', 'Equally', 'Instead', 'Likewise', 'Accordingly', 'Even so',
  'In other words', 'To be sure', 'Admittedly', 'Consequently', 'Meanwhile', 'More importantly', 'In turn', 'Above all',
]

const claimAdjectives = [
  'striking', 'worth noting', 'not surprising', 'hardly coincidental', 'unclear', 'likely', 'plausible', 'doubtful',
  'evident', 'difficult to deny', 'tempting to conclude', 'important to recognize', 'easy to forget',
  'sometimes suggested',
]

const scholars = [
  'Historians', 'Political scientists', 'Economists', 'Sociologists', 'Earlier studies', 'Recent scholarship',
  'Most observers', 'Contemporary commentators', 'Several critics', 'A growing literature', 'Area specialists',
  'Diplomatic historians', 'Students of the region',
]

const scholarVerbs = [
  'have long debated whether', 'have often assumed that', 'have rarely asked whether', 'tend to argue that',
  'have questioned whether', 'have emphasized that', 'have recently suggested that', 'generally agree that',
  'remain divided over whether', 'have taken for granted that',
]

const reportingVerbs = [
  'argues', 'shows', 'suggests', 'contends', 'demonstrates', 'observes', 'notes', 'maintains', 'insists', 'concludes',
  'points out', 'reminds us', 'documents', 'proposes',
]

const periods = [
  'the interwar years', 'the 1920s', 'the 1930s', 'the 1940s', 'the 1950s', 'the 1960s', 'the 1970s', 'the 1980s',
  'the 1990s', 'the early postwar period', 'the late nineteenth century', 'the first decade of the century',
  'the Cold War', 'the reform era', 'the following decade', 'the occupation', 'the famine years', 'the thaw',
]

const places = [
  'the northern provinces', 'the border regions', 'coastal cities', 'the capital', 'rural districts',
  'the river valleys', 'the industrial north', 'the southern ports', 'the frontier zone', 'the inland prefectures',
  'the mining towns', 'the special economic zones', 'the countryside', 'the treaty ports', 'the highlands',
]

const tails = [
  (r: Random): string => ` in ${r.pick(places)}`,
  (r: Random): string => ` during ${r.pick(periods)}`,
  (r: Random): string => ` in ${r.pick(places)} during ${r.pick(periods)}`,
  (r: Random): string => ` with ${r.pick(['lasting', 'uneven', 'unexpected', 'far-reaching', 'limited', 'ambiguous'])} consequences`,
  (r: Random): string => ` to a ${r.pick(['considerable', 'limited', 'surprising', 'remarkable', 'lesser'])} extent`,
  (): string => ', at least in part',
  (): string => ', if only temporarily',
  (): string => ' more than is usually acknowledged',
  (): string => ' in ways that contemporaries rarely noticed',
  (r: Random): string => ` long before ${r.pick(periods)}`,
  (r: Random): string => ` well into ${r.pick(periods)}`,
]

const asides = [
  'a point often overlooked', 'or so it seemed', 'at least on paper', 'not least in the provinces',
  'a pattern that would recur', 'and this is the crux', 'however briefly', 'for reasons discussed below',
  'as the sources make plain', 'whatever its stated aims',
]

const shortSentences = [
  'This matters.', 'The evidence is mixed.', 'The pattern is familiar.', 'The answer is not obvious.',
  'Few contemporaries saw it that way.', 'The point deserves emphasis.', 'The record is incomplete.',
  'That was not inevitable.', 'Much depended on timing.', 'The difference is instructive.',
  'The sources are silent on this point.', 'Neither view is entirely satisfactory.', 'The consequences were lasting.',
  'Context is everything here.', 'The numbers tell only part of the story.', 'It did not last.',
  'Nobody planned it this way.', 'The irony was not lost on observers.',
]

const foreignSentences = [
  'What emerged was a *modus vivendi* rather than a settlement.',
  'The line became a *de facto* border long before it was a *de jure* one.',
  'For the planners, the reform was already a *fait accompli*.',
  'Seen over the *longue durée*, the episode looks far less exceptional.',
  'The *raison d’état* was rarely stated so openly.',
  'Officials defended the *status quo* with remarkable persistence.',
  'The phrase *self-reliance* carried more weight than any statute.',
]

const smallWords = new Set(['a', 'an', 'the', 'and', 'but', 'or', 'of', 'in', 'on', 'at', 'to', 'for', 'by', 'from', 'with', 'as', 'into'])

/** Capitalises the first letter, skipping leading Markdown emphasis marks and punctuation. */
export function capitalize(text: string): string {
  return text.replace(/^([^A-Za-z]*)([a-z])/, (_all, lead: string, letter: string) => lead + letter.toUpperCase())
}

/** Lower-cases the first letter unless the first word looks like a proper noun or acronym. */
function decapitalize(text: string): string {
  // Template sentences never open with a proper noun, so only acronyms ("US", "UN") need to keep their case.
  return text.replace(/^(\**)([A-Z])(?=[a-z ])/, (_all, stars: string, first: string) => stars + first.toLowerCase())
}

/** Chicago-style title case: every word capitalised except short function words inside the title. */
export function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word, index) => (index > 0 && smallWords.has(word) ? word : word.replace(/^((?:<[^>]*>|[^A-Za-z<])*)([a-z])/, (_a, lead: string, ch: string) => lead + ch.toUpperCase())))
    .join(' ')
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) && !/^(one|uni|use|eu)/i.test(word) ? 'an' : 'a'
}

/** One sentence: its text without final punctuation, the punctuation, and whether a citation may follow it. */
export interface Sentence {
  body: string
  end: '.' | '?'
  citable: boolean
}

/** Generates prose from a `Random`; every call advances the stream, so output depends only on the seed. */
export class Prose {
  readonly #r: Random

  constructor(random: Random) {
    this.#r = random
  }

  /** A noun phrase such as "the fragile alliance of local elites". */
  nounPhrase(allowOf = true): string {
    const r = this.#r
    const adjective = r.chance(0.38) ? `${r.pick(adjectives)} ` : ''
    const of = allowOf && r.chance(0.2) ? ` of ${this.nounPhrase(false)}` : ''
    const kind = r.weighted([['singular', 4], ['plural', 4], ['abstract', 2]] as const)
    let phrase: string
    if (kind === 'singular') {
      const noun = adjective + r.pick(singularNouns)
      const det = r.weighted([['the', 6], ['this', 1], ['a', 2.5], ['one', 0.5]] as const)
      phrase = `${det === 'a' ? article(noun) : det} ${noun}${of}`
    } else if (kind === 'plural') {
      const det = r.weighted([['', 3.5], ['the ', 4], ['these ', 1], ['many ', 0.5], ['several ', 0.5], ['most ', 0.5]] as const)
      phrase = `${det}${adjective}${r.pick(pluralNouns)}${of}`
    } else {
      phrase = allowOf && r.chance(0.6) ? `the ${r.pick(abstractNouns)} of ${this.nounPhrase(false)}` : `${adjective}${r.pick(abstractNouns)}`
    }
    // Occasional emphasis, as authors do for a term they are about to define.
    // Only top-level phrases, so emphasis never nests inside another emphasised phrase.
    if (allowOf && r.chance(0.025)) return `*${phrase}*`
    if (allowOf && r.chance(0.005)) return `**${phrase}**`
    return phrase
  }

  #tail(): string {
    return this.#r.chance(0.35) ? this.#r.pick(tails)(this.#r) : ''
  }

  #past(): string {
    const verb = this.#r.pick(verbs)
    if (verb.endsWith('e')) return `${verb}d`
    if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`
    return `${verb}ed`
  }

  /** A lower-case independent clause without final punctuation. */
  clause(): string {
    const r = this.#r
    switch (r.weighted([['plain', 5], ['modal', 2], ['adverb', 2], ['passive', 1.5], ['proved', 1], ['contrast', 0.7]] as const)) {
      case 'plain':
        return `${this.nounPhrase()} ${this.#past()} ${this.nounPhrase()}${this.#tail()}`
      case 'modal':
        return `${this.nounPhrase()} ${r.pick(modals)} ${r.pick(verbs)} ${this.nounPhrase()}${this.#tail()}`
      case 'adverb':
        return `${this.nounPhrase()} ${r.pick(adverbs)} ${this.#past()} ${this.nounPhrase()}${this.#tail()}`
      case 'passive': {
        const subject = r.chance(0.5) ? `the ${r.pick(singularNouns)} was` : `the ${r.pick(pluralNouns)} were`
        return `${subject} ${r.chance(0.3) ? `${r.pick(adverbs)} ` : ''}${this.#past()} by ${this.nounPhrase()}${this.#tail()}`
      }
      case 'proved':
        return `${this.nounPhrase()} ${r.pick(['proved', 'remained', 'seemed', 'looked', 'became'])} ${r.pick(outcomes)}${this.#tail()}`
      case 'contrast':
        return `what ${this.nounPhrase(false)} ${this.#past()} was not ${this.nounPhrase(false)} but ${this.nounPhrase()}`
    }
  }

  /** A sentence of varied shape and length, from four words to fifty. */
  sentence(): Sentence {
    const r = this.#r
    const form = r.weighted([
      ['plain', 10], ['opener', 5], ['connective', 5], ['claim', 3], ['compound', 6], ['scholars', 2], ['short', 2],
      ['question', 0.6], ['dash', 1.5], ['list', 1], ['foreign', 0.4], ['pages', 0.4],
    ] as const)
    const citable = (body: string): Sentence => ({ body, end: '.', citable: true })
    switch (form) {
      case 'plain':
        return citable(capitalize(this.clause()))
      case 'opener':
        return citable(`${r.pick(openers)}, ${this.clause()}`)
      case 'connective':
        return citable(`${r.pick(connectives)}, ${this.clause()}`)
      case 'claim':
        return citable(`It is ${r.pick(claimAdjectives)} that ${this.clause()}`)
      case 'compound': {
        const joiner = r.pick([', and ', '; ', ', although ', ', whereas ', ', but ', ', while ', ', since ', ', so that '])
        return citable(capitalize(`${this.clause()}${joiner}${this.clause()}`))
      }
      case 'scholars':
        return citable(`${r.pick(scholars)} ${r.pick(scholarVerbs)} ${this.clause()}`)
      case 'short':
        return { body: r.pick(shortSentences).slice(0, -1), end: '.', citable: false }
      case 'question':
        return { body: `Why did ${this.nounPhrase()} ${r.pick(verbs)} ${this.nounPhrase()}`, end: '?', citable: false }
      case 'dash':
        return r.chance(0.5)
          ? citable(capitalize(`${this.clause()}---${r.pick(asides)}`))
          : citable(capitalize(`${this.nounPhrase()}---${r.pick(asides)}---${this.#past()} ${this.nounPhrase()}`))
      case 'list':
        return citable(`${r.pick(['Three', 'Several', 'Two', 'Four'])} factors stand out: ${this.nounPhrase(false)}, ${this.nounPhrase(false)}, and ${this.nounPhrase()}`)
      case 'foreign':
        return { body: r.pick(foreignSentences).slice(0, -1), end: '.', citable: false }
      case 'pages': {
        const from = r.int(20, 380)
        return citable(`${capitalize(this.clause())}, as the evidence on pages ${from}--${from + r.int(2, 9)} shows`)
      }
    }
  }

  /** Turns a sentence body into one that a narrative citation can introduce ("As @x argues, …"). */
  lead(body: string): string {
    return decapitalize(body)
  }

  /** A reporting verb in the third person singular. */
  reportingVerb(): string {
    return this.#r.pick(reportingVerbs)
  }

  /** A short phrase for a list item or table row label. */
  phrase(): string {
    return capitalize(this.nounPhrase(false)).replace(/\*/g, '')
  }

  /** A title such as "Governing the Frontier: Trade and Authority in Northeast Asia, 1945–1990". */
  bookTitle(): string {
    const r = this.#r
    const region = r.pick(regions)
    const start = r.int(185, 199) * 10
    const mainTitle = r.pick<() => string>([
      () => `The Politics of ${r.pick(abstractNouns)}`,
      () => `${r.pick(adjectives)} ${r.pick(pluralNouns)}`,
      () => `Beyond the ${r.pick(singularNouns)}`,
      () => `Between ${r.pick(pluralNouns)} and ${r.pick(pluralNouns)}`,
      () => `${r.pick(gerunds)} the ${r.pick(singularNouns)}`,
      () => `Making ${r.pick(pluralNouns)}`,
      () => `The ${r.pick(adjectives)} ${r.pick(singularNouns)}`,
      () => `${r.pick(abstractNouns)} and Its Discontents`,
      () => `Empire of ${r.pick(pluralNouns)}`,
    ])()
    const subtitle = r.pick<() => string>([
      () => `${r.pick(pluralNouns)} and ${r.pick(pluralNouns)} in ${region}, ${start}–${start + r.int(2, 6) * 10}`,
      () => `A History of ${r.pick(adjectives)} ${r.pick(abstractNouns)}`,
      () => `${r.pick(abstractNouns)}, ${r.pick(abstractNouns)}, and the ${r.pick(adjectives)} State`,
      () => `Rethinking ${r.pick(adjectives)} ${r.pick(abstractNouns)}`,
      () => `Evidence from ${region}`,
      () => `${r.pick(abstractNouns)} in ${region}`,
    ])()
    return titleCase(`${capitalize(mainTitle)}: ${capitalize(subtitle)}`)
  }

  /** A shorter, article-like title; some are questions, a few carry CSL `<i>` markup. */
  articleTitle(): string {
    const r = this.#r
    const form = r.int(0, 9)
    if (form === 0) return titleCase(`Did ${r.pick(pluralNouns)} ${r.pick(verbs)} ${r.pick(abstractNouns)}? Evidence from ${r.pick(regions)}`)
    if (form === 1) return titleCase(`Reading <i>${r.pick(italicTerms)}</i>: ${r.pick(pluralNouns)} and ${r.pick(abstractNouns)}`)
    if (form <= 5) return titleCase(`${r.pick(gerunds)} ${r.pick(pluralNouns)}: ${capitalize(r.pick(adjectives))} ${r.pick(abstractNouns)} in ${r.pick(regions)}`)
    return this.bookTitle()
  }

  /** A chapter heading. */
  chapterTitle(): string {
    const r = this.#r
    return titleCase(r.pick<() => string>([
      () => `${r.pick(gerunds)} the ${r.pick(singularNouns)}`,
      () => `${capitalize(r.pick(abstractNouns))} and ${r.pick(abstractNouns)}`,
      () => `The ${r.pick(adjectives)} ${r.pick(singularNouns)}`,
      () => `${capitalize(r.pick(pluralNouns))} in ${r.pick(periods)}`,
      () => `${r.pick(gerunds)} ${r.pick(pluralNouns)}: ${capitalize(r.pick(abstractNouns))} in ${r.pick(places)}`,
    ])())
  }

  /** A section heading. */
  sectionTitle(): string {
    const r = this.#r
    return titleCase(r.pick<() => string>([
      () => capitalize(this.nounPhrase(false).replace(/\*/g, '')),
      () => `The ${r.pick(abstractNouns)} of ${r.pick(pluralNouns)}`,
      () => `Beyond ${r.pick(abstractNouns)}`,
      () => `${capitalize(r.pick(pluralNouns))} and ${r.pick(pluralNouns)}`,
      () => `${capitalize(r.pick(places))} in ${r.pick(periods)}`,
      () => r.pick(['Sources and Methods', 'A Note on Terminology', 'Counting the Uncountable', 'Rival Explanations', 'What the Archives Show', 'Limits of the Evidence']),
    ])())
  }
}

const regions = [
  'Northeast Asia', 'the Korean Peninsula', 'Manchuria', 'East Asia', 'the Yalu Borderlands', 'Postwar Japan',
  'Cold War China', 'the Soviet Far East', 'Southeast Asia', 'the Pacific World', 'the Tumen River Delta',
]

const gerunds = [
  'Governing', 'Imagining', 'Negotiating', 'Remaking', 'Mapping', 'Policing', 'Financing', 'Remembering', 'Building',
  'Contesting', 'Managing', 'Reading', 'Crossing', 'Ordering',
]

const italicTerms = ['Juche', 'Songun', 'Rodong Sinmun', 'Minsaengdan', 'Chollima', 'Hanja']
