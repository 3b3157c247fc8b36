// The EPUB output: the book's HTML tree cut into content documents and packaged with its cover, fonts and images.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Root } from 'hast'
import type { VFile } from 'vfile'
import type { Metadata } from '../config/schema.js'
import { allowedPath, probeImage } from '../markdown/remark-resources.js'
import { galleyRoot } from '../paths.js'

export interface EpubContext {
  metadata: Metadata
  projectDir: string
  /** `dcterms:modified`. */
  date: Date
  /** Where messages about the book as a whole go. */
  bookFile: VFile
}

/** The EPUB's bytes. Takes the tree as it is (unhyphenated) and changes it: pass a copy if another output follows. */
export async function renderEpub(tree: Root, context: Readonly<EpubContext>): Promise<Uint8Array> {
  const { metadata, projectDir } = context
  const css = readFileSync(path.join(galleyRoot, 'styles', 'epub.css'), 'utf8')
  // Loaded only for an EPUB: the zip writer and the packaging are a tenth of Galley's load time.
  const [{ splitDocument }, { packageEpub }] = await Promise.all([import('../epub/split.js'), import('../epub/package-epub.js')])
  const documents = splitDocument(tree, { splitLevel: metadata.splitLevel, title: metadata.title })
  return packageEpub({ metadata, documents, css, modified: context.date, projectDir, cover: checkedCover(metadata, projectDir, context.bookFile) })
}

/** The `cover-image` if it is a picture inside the project; otherwise a warning and the drawn cover. */
function checkedCover(metadata: Metadata, projectDir: string, file: VFile): string | undefined {
  const cover = metadata.coverImage
  if (!cover) return undefined
  const relative = path.relative(projectDir, cover)
  const outcome = /\.(png|jpe?g|gif|svg)$/i.test(cover) ? probeImage(projectDir, cover) : 'not-an-image'
  const reason =
    outcome === 'outside' ? 'is outside the project directory'
    : outcome === 'missing' || outcome === 'not-a-file' ? 'not found'
    : outcome === 'not-an-image' ? 'is not a PNG, JPEG, GIF or SVG image'
    : outcome.startsWith('unsafe-svg:') ? `is not safe to publish (${outcome.slice('unsafe-svg:'.length)})`
    : undefined
  if (reason === undefined) return allowedPath(outcome)
  file.message(`Cover image ${relative} ${reason}; the EPUB gets a cover drawn from title and author`, { ruleId: 'cover-image', source: 'galley:epub' })
  return undefined
}
