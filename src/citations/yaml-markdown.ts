// A CSL-YAML field read as Pandoc reads it (metadata: inline Markdown), written in the markup citeproc reads in a field.
import { toString } from 'mdast-util-to-string'
import { parseInline, parseMetadataInline } from '../markdown/parse-inline.js'
import { citeprocMarkup } from './citeproc-markup.js'

/** Fields that are codes or addresses: taken as they are written. */
const verbatimFields = new Set(['type', 'URL', 'DOI', 'ISBN', 'ISSN', 'PMID', 'PMCID', 'language', 'citation-label'])
/** Fields that are keys or numbers: their Markdown read as plain text (`timmory\_\_justice`, `1140--1213`). */
const plainFields = new Set(['id', 'citation-key', 'page', 'page-first', 'volume', 'issue', 'number', 'edition', 'number-of-pages', 'number-of-volumes', 'chapter-number', 'collection-number', 'version'])

/**
 * A string of a CSL-YAML entry (a bibliography file or the front matter's `references`) as Pandoc reads it: metadata,
 * that is inline Markdown with smart punctuation. Text fields keep their markup in the form citeproc reads in a field
 * (`citeprocMarkup`: `*Homo sapiens*` as `<i>Homo sapiens</i>`); keys and numbers are plain text; codes and
 * addresses (URL, DOI) are as written. A text with nothing Markdown would change is returned as it is, and so is one
 * that does not read as a single paragraph.
 */
export function yamlField(field: string, text: string): string {
  if (verbatimFields.has(field) || !/[*_^~[`\\"']|--|\.\.\./.test(text)) return text
  // A key is matched against the text's citations, which smart punctuation does not touch.
  const nodes = field === 'id' || field === 'citation-key' ? parseInline(text) : parseMetadataInline(text)
  if (!nodes) return text
  return plainFields.has(field) ? toString({ type: 'paragraph', children: nodes }) : citeprocMarkup(nodes)
}
