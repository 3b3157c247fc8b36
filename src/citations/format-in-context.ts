// A document's clusters formatted by citeproc-js in linear time, each against the few clusters before it that
// decide its positions, instead of citeproc's own quadratic `rebuildProcessorState`. Reads and writes citeproc-js's
// internal cluster registry, so it is written for the version `citeproc-patches.ts` checks.
import type { Citation } from 'citeproc'

/**
 * What citeproc's `rebuildProcessorState` gives, in linear time. With every entry registered ahead, what citeproc derives from the clusters
 * before a cluster (the positions first, subsequent, ibid, ibid-with-locator and near-note, the
 * first-reference-note-number, the citation count that reruns disambiguation in note styles) comes from a few of
 * them: for each of its entries the first and the latest cluster citing it, in running text and in notes; the
 * cluster before it in its stream (text or notes) with every cluster of that note; the clusters before it in its
 * own note; and the first cluster citing each entry of those (so their first-reference note numbers stay as they
 * were and citeproc does not rerun their disambiguation). Each cluster is formatted against just those, and only
 * its own text is taken: what citeproc re-formats of the context clusters is an artefact of the shortened list.
 * Tests compare this with citeproc's own `rebuildProcessorState` on generated documents in many styles.
 */
export function formatInContext(engine: EngineInternals, citations: EngineCitation[], assumeRegistered: number, onCluster?: (done: number) => void): Map<string, string> {
  const first = new Map<string, number>()
  const latest = new Map<string, number>()
  const inNote = new Map<number, number[]>()
  let previousInText = -1
  let previousInNotes = -1
  const html = new Map<string, string>()
  engine.setOutputFormat('html')
  citations.forEach((citation, index) => {
    const note = citation.properties.noteIndex
    const context = new Set<number>()
    /** Adds the clusters that `seen` records for the entries of `cluster`, in either stream. */
    const addCiting = (cluster: EngineCitation | undefined, ...seen: Map<string, number>[]): void => {
      for (const item of cluster?.citationItems ?? []) {
        for (const map of seen) {
          for (const at of [map.get(`t${item.id}`), map.get(`n${item.id}`)]) if (at !== undefined) context.add(at)
        }
      }
    }
    addCiting(citation, first, latest)
    const previous = note ? previousInNotes : previousInText
    if (previous >= 0) {
      context.add(previous)
      for (const at of inNote.get(citations[previous]?.properties.noteIndex ?? 0) ?? []) context.add(at)
    }
    for (const at of inNote.get(note) ?? []) context.add(at)
    for (const at of [...context]) addCiting(citations[at], first)
    const before = [...context].sort((a, b) => a - b).flatMap((at) => citations[at] ?? [])
    // citeproc looks clusters up by id in a table that each call replaces with the clusters it was given.
    for (const earlier of before) engine.registry.citationreg.citationById[earlier.citationID] = earlier
    const pre = before.map((earlier): [string, number] => [earlier.citationID, earlier.properties.noteIndex])
    const [, formatted] = engine.processCitationCluster(citation, pre, [], assumeRegistered)
    html.set(citation.citationID, formatted.find(([, , id]) => id === citation.citationID)?.[1] ?? '')
    onCluster?.(index + 1)
    const stream = note ? 'n' : 't'
    for (const item of citation.citationItems) {
      if (!first.has(stream + item.id)) first.set(stream + item.id, index)
      latest.set(stream + item.id, index)
    }
    if (note) {
      inNote.set(note, [...(inNote.get(note) ?? []), index])
      previousInNotes = index
    } else previousInText = index
  })
  return html
}

/**
 * Whether positions follow from entry ids alone (citeproc's ids: `ids`), as `formatInContext` assumes. CSL-M's legal and container
 * tracking and parallel citations tie an entry's position to other entries: those documents take citeproc's way.
 */
export function contextFree(engine: EngineInternals, styleXml: string, ids: readonly string[]): boolean {
  // CSL-M's `check-ambiguity-and-backreference` prints according to the citation count itself.
  if (styleXml.includes('check-ambiguity-and-backreference')) return false
  if (engine.opt.parallel?.enable || engine.bibliography.opt.track_container_items) return false
  return ids.every((id) => !engine.registry.registry[id]?.ref?.legislation_id)
}

/** A cluster as citeproc keeps it: it adds the cites in the order the style printed them. */
export type EngineCitation = Citation & { properties: { unsorted?: boolean }; sortedItems?: [unknown, { id: string | number }][]; galleySilent?: string[] }

/** The parts of citeproc-js beyond its documented interface that formatting in context uses. */
export interface EngineInternals {
  opt: { parallel?: { enable?: boolean }; sort_sep: string }
  bibliography: { opt: { track_container_items?: unknown } }
  registry: {
    registry: Record<string, { ref?: { legislation_id?: string } } | undefined>
    citationreg: { citationById: Record<string, EngineCitation> }
  }
  setOutputFormat(mode: 'html'): void
  processCitationCluster(citation: EngineCitation, pre: [string, number][], post: [string, number][], flag: number): [unknown, [number, string, string][]]
}
