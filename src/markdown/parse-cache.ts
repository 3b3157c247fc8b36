// Parsed chapters kept between builds: a chapter whose text, place and Galley's code are unchanged is not parsed
// again. Parsing is most of a warm build's time (citations come from their own cache), so an edit to one chapter
// of a book costs the parse of that chapter only.
import path from 'node:path'
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import type { Layer } from '../config/metadata.js'
import { contentKey, type Cache } from '../file-cache.js'
import { parseMarkdown, type ParseOptions } from './parse.js'
import { probeImage } from './remark-resources.js'

/** Everything a parse leaves behind: the tree, the front matter, the messages and what it found on disk. */
interface Entry {
  tree: Root
  frontMatter: Layer | undefined
  messages: StoredMessage[]
  probedFiles: [string, string][]
}

interface StoredMessage {
  reason: string
  place: VFile['messages'][number]['place']
  ruleId: string | undefined
  source: string | undefined
  fatal: boolean | null | undefined
}

/** `parseMarkdown`, through the cache when one is given. The file's messages come out the same either way. */
export async function parseMarkdownCached(file: VFile, options: Readonly<ParseOptions>, cache: Cache | undefined): Promise<Root> {
  if (!cache) return parseMarkdown(file, options)
  const key = keyOf(file, options)
  const entry = cache.get(key) as Entry | undefined
  if (entry?.tree?.type === 'root' && entry.probedFiles.every(([absolute, outcome]) => probeImage(projectDirOf(file, options), absolute) === outcome)) {
    restore(file, entry)
    return entry.tree
  }
  const before = file.messages.length
  const tree = await parseMarkdown(file, options)
  // Stored before later stages change the tree in place.
  cache.set(key, {
    tree,
    frontMatter: file.data.frontMatter,
    messages: file.messages.slice(before).map((message) => ({
      reason: message.reason,
      place: message.place,
      ruleId: message.ruleId,
      source: message.source,
      fatal: message.fatal,
    })),
    probedFiles: file.data.probedFiles ?? [],
  } satisfies Entry)
  return tree
}

function restore(file: VFile, entry: Entry): void {
  if (entry.frontMatter) file.data.frontMatter = entry.frontMatter
  file.data.probedFiles = entry.probedFiles
  for (const stored of entry.messages) {
    const message = file.message(stored.reason, { place: stored.place, ruleId: stored.ruleId, source: stored.source })
    message.fatal = stored.fatal
  }
}

function projectDirOf(file: VFile, options: Readonly<ParseOptions>): string {
  return options.projectDir ?? path.resolve(file.cwd)
}

function keyOf(file: VFile, options: Readonly<ParseOptions>): string {
  return contentKey([file.path, path.resolve(file.cwd), options.projectDir ?? '', (options.resourcePath ?? []).join('\0'), options.defaultImageExtension ?? '', options.baseDir ?? '', String(file.value)])
}
