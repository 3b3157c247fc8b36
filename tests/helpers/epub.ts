// Reads an EPUB for tests: its files, the links that do not resolve, and the parts of the text it holds.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'

export function unpack(file: string): Map<string, string> {
  return new Map([...unpackBytes(file)].map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]))
}

/** The EPUB's files as bytes (images, fonts). */
export function unpackBytes(file: string): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(readFileSync(file))))
}

/** Every `href` inside the package points at a file that exists and, with a fragment, at an id in it. */
export function brokenLinks(files: Map<string, string>): string[] {
  const ids = new Map<string, Set<string>>()
  for (const [name, text] of files) if (name.endsWith('.xhtml')) ids.set(name, new Set([...text.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? '')))
  const broken: string[] = []
  for (const [name, text] of files) {
    if (!name.endsWith('.xhtml')) continue
    for (const [, href = ''] of text.matchAll(/\shref="([^"]+)"/g)) {
      if (/^(https?:|mailto:)/.test(href) || href.endsWith('.css')) continue
      const [file = '', fragment] = href.split('#')
      const target = file === '' ? name : path.posix.join(path.posix.dirname(name), file)
      if (!files.has(target)) broken.push(`${name} → ${href} (no file)`)
      else if (fragment && !ids.get(target)?.has(decodeURIComponent(fragment))) broken.push(`${name} → ${href} (no id)`)
    }
  }
  return broken
}

export interface Parts {
  entries: string[]
  notes: string[]
  headings: string[]
}

/** The bibliography entries (ids), notes (ids) and headings (text) of one HTML text, in order. */
export function partsOf(text: string): Parts {
  const plain = (markup: string): string => markup.replace(/<[^>]+>/g, '').replaceAll('\u00AD', '').replace(/\s+/g, ' ').trim()
  return {
    entries: [...text.matchAll(/<div id="(ref-[^"]+)" class="csl-entry"/g)].map((match) => match[1] ?? ''),
    notes: [...text.matchAll(/<(?:li|aside) id="(fn[^"]+)"/g)].map((match) => match[1] ?? ''),
    headings: [...text.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map((match) => plain(match[2] ?? '')).filter((heading) => heading !== 'Notes'),
  }
}

/** The parts of the standalone HTML's main text (not the title block, contents or notes heading). */
export function htmlParts(html: string): Parts {
  return partsOf(html.slice(html.indexOf('<main')))
}

/** The parts of an EPUB's content documents, in spine order. */
export function parts(files: Map<string, string>): Parts {
  const opf = files.get('EPUB/package.opf') ?? ''
  const hrefOf = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((match) => [match[1] ?? '', match[2] ?? '']))
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => hrefOf.get(match[1] ?? '') ?? '')
  const all = spine.filter((href) => !/^(cover|title|nav)\.xhtml$/.test(href)).map((href) => partsOf(files.get(`EPUB/${href}`) ?? ''))
  return { entries: all.flatMap((part) => part.entries), notes: all.flatMap((part) => part.notes), headings: all.flatMap((part) => part.headings) }
}
