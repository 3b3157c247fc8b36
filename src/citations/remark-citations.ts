// Formats every citation of the whole book in one citeproc pass and puts the bibliography in place (a tree-to-tree pass):
// Pandoc's passes in its order: the requests (`requests.ts`), citeproc through the session's port, each citation's
// text in place (`insert.ts`), `deNote`/`addNote` for note styles (`notes.ts`) with `mvPunct` (`punctuation.ts`), and
// `insertRefs` (`refs.ts`).
import type { FootnoteDefinition, Root } from 'mdast'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import type { Bibliography } from './bibliography.js'
import { citationLayout } from './cluster-html.js'
import { citeprocFragment } from './html-fragment.js'
import { authorKey } from './csl-engine.js'
import { clusterNodes, insertInText, mergeText, type Context } from './insert.js'
import { locatorTerms } from './locators.js'
import { addNote, deNote } from './notes.js'
import { periodTerms } from './punctuation.js'
import { entryNodes, insertRefs, listProperties } from './refs.js'
import { citedBySection, placeSectionBibliographies, sectionSelections } from './section-bibliographies.js'
import { citationRequests, isNoteStyle, pointOf, requests } from './requests.js'
import type { FormatCitations } from './session.js'
import { citationLocale, localeName } from './styles.js'

export interface Options {
  metadata: Metadata
  bibliography: Bibliography
  styleXml: string
  /** Locale XML for a language tag, or undefined (the CLI has already warned about the fallback). */
  retrieveLocale: (lang: string) => string | undefined
  /** citeproc, through the build's citation session (`CitationSession.formatter`), or `formatHere`. */
  formatCitations: FormatCitations
  /** Told as citeproc formats the book's citations (`done` of `total`), for a progress display. */
  onCitations?: ((done: number, total: number) => void) | undefined
}


const source = 'galley:citations'

/**
 * The citations stage: every cluster of the book goes to one citeproc engine in reading order (so ibid, subsequent
 * notes, disambiguation and numbering are right); then each citation node gets its text. In a note style a citation
 * in running text becomes a footnote, numbered with the Markdown footnotes, and one inside a footnote is formatted in
 * place, in parentheses unless it opens the note (Pandoc's rules). The bibliography goes into `::: {#refs}` or at
 * the end. Keys not in the bibliography are reported and shown as `key?` where they were cited.
 */
export function remarkCitations(options: Readonly<Options>) {
  return async (tree: Root, file: VFile): Promise<void> => {
    const { metadata, bibliography, styleXml } = options
    const lang = citationLocale(metadata, styleXml)
    const ownLocale = options.retrieveLocale(lang)
    const localeXml = ownLocale ?? options.retrieveLocale('en-US')
    // No locale at all is reported by the CLI; a region without its own (de-LU) uses the language's main one.
    const usedLocale = ownLocale && /<locale\b[^>]*xml:lang="([^"]+)"/.exec(ownLocale)?.[1]
    if (usedLocale && usedLocale.toLowerCase() !== localeName(lang).toLowerCase()) {
      file.message(`No CSL locale for "${lang}"; citations use ${usedLocale} terms`, { ruleId: 'unknown-locale', source })
    }
    const terms = locatorTerms(localeXml, styleXml, lang)
    const noteStyle = isNoteStyle(styleXml)
    // `section-bibliographies`: what each level-1 section cites, read before the citations change the tree.
    const keysBySection = metadata.sectionBibliographies && !metadata.suppressBibliography ? citedBySection(tree) : undefined
    const { found, cited, uncited, clusters, authors: authorRequests } = citationRequests(tree, file, { bibliography, terms, nocite: metadata.nocite, noteStyle })
    file.data.citedKeys = [...cited, ...uncited]
    if (found.length === 0 && uncited.length === 0) return

    const engine = { styleXml, lang, items: bibliography.items, retrieveLocale: options.retrieveLocale }
    // Every hundredth of the way at most: a long book has thousands of citations.
    const total = clusters.length
    const step = Math.ceil(total / 100)
    options.onCitations?.(0, total)
    const onCluster = options.onCitations && ((done: number): void => (done % step === 0 && done < total ? options.onCitations?.(done, total) : undefined))
    const selections = keysBySection && sectionSelections(keysBySection, bibliography.items, uncited)
    const request = { engine, clusters, uncited, authors: [...authorRequests.values()], selections }
    const { document: formatted, authors, lists, source: from } = await options.formatCitations(request, onCluster)
    options.onCitations?.(total, total)
    file.data.citeproc = from
    const context: Context = {
      layout: citationLayout(styleXml),
      noteStyle,
      link: metadata.linkCitations && !metadata.suppressBibliography,
      keepsPeriod: periodTerms(`${styleXml}\n${localeXml ?? ''}`),
      moveNotes: noteStyle && metadata.notesAfterPunctuation,
      moveSuperscripts: metadata.notesAfterPunctuation && metadata.given.includes('notes-after-punctuation'),
      punctuationInQuote: /punctuation-in-quote="true"/.test(localeXml ?? ''),
      linkUrls: metadata.linkBibliography,
      ibid: /<term name="ibid">([^<]+)<\/term>/.exec(`${styleXml}\n${localeXml ?? ''}`)?.[1],
    }
    const notes: FootnoteDefinition[] = []
    found.forEach((citation, index) => {
      const known = requests(citation)
      const request = authorRequests.get(citation)
      const author = request ? (authors.get(authorKey(request)) ?? '') : citation.node.mode === 'narrative' ? '' : undefined
      const cluster = formatted.clusters.get(`c${index}`)
      for (const id of cluster?.silent ?? []) {
        // A narrative citation's own entry prints its author in the text (MLA's `@doe`): that is not nothing.
        if (author && id === request?.item.id) continue
        const item = citation.node.items.find((candidate) => candidate.key === id)
        file.message(`Citation of "${id}" prints nothing in this style, so it is left out`, { ...(item ? { place: pointOf(item.start) } : {}), ruleId: 'citation-no-printed-form', source })
      }
      const nodes = clusterNodes(citation, cluster, context)
      if (!noteStyle) {
        // A narrative citation whose rest prints nothing (MLA's `@doe` without a locator) is the author alone.
        const authorNodes = author && known.length > 0 ? citeprocFragment(author) : undefined
        insertInText(citation, authorNodes ? (nodes.length > 0 ? mergeText([...authorNodes, { type: 'text', value: ' ' }, ...nodes]) : authorNodes) : nodes, context)
      } else if (citation.note) deNote(citation, nodes, author ?? '', context)
      else notes.push(addNote(citation, index, nodes, author, context))
    })
    tree.children.push(...notes)
    if (metadata.suppressBibliography) return
    // With `section-bibliographies`, each section gets its list; the book's list keeps what only `nocite` adds.
    const rest = keysBySection
      ? placeSectionBibliographies(tree, lists, {
          title: metadata.referenceSectionTitle,
          listProperties: listProperties(formatted),
          entryNodes: (entries) => entryNodes(entries, metadata),
        })
      : formatted.bibliography
    insertRefs(tree, { ...formatted, bibliography: rest }, metadata)
  }
}
