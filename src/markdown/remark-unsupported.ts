// Pandoc Markdown that Galley does not read yet, reported where it stands instead of passing silently as text.
import type { Root } from 'mdast'
import type { Point, Position } from 'unist'
import type { VFile } from 'vfile'
import type { RuleId } from '../diagnostics.js'

/** Warns, once per kind and file at the first place, about Pandoc's `% Title` title block (not read as metadata). */
export function remarkUnsupported() {
  return (_tree: Root, file: VFile): void => {
    const source = String(file.value)
    const warned = new Set<string>()
    const warn = (ruleId: RuleId, reason: string, place: Point | Position | undefined): void => {
      if (warned.has(ruleId)) return
      warned.add(ruleId)
      file.message(reason, { place, ruleId, source: 'galley:markdown' })
    }
    if (/^%[ \t]/.test(source)) {
      warn('title-block', 'A Pandoc title block (`% Title` lines) is not read as metadata: write a YAML block (`---`, `title: …`, `---`)', { line: 1, column: 1 })
    }
  }
}
