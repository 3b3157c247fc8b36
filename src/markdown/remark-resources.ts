// Checks every link and image the manuscript refers to: only files inside the project are used; nothing is fetched.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import type { Definition, Emphasis, Image, ImageReference, Link, LinkReference, Parent, Root } from 'mdast'
import { SKIP, visit } from '../tree-visit.js'
import type { VFile } from 'vfile'
import { isInside, projectFile } from '../paths.js'
import { unsafeSvgReason } from '../svg-safety.js'
import type { RuleId } from '../diagnostics.js'

export interface Options {
  /** Absolute project directory; resources outside it (after symbolic links are followed) are refused. */
  projectDir: string
  /**
   * Absolute folders searched, in order, for an image not found in its chapter's folder (Pandoc's
   * `--resource-path`). Default: the folder Galley runs in, Pandoc's default. Folders given here come from the person
   * running Galley (the command line, the API), never from a document: an image in one of them is used even when the
   * folder is outside the project.
   */
  resourcePath?: readonly string[]
  /**
   * Pandoc's `--default-image-extension` (`svg` or `.svg`): added to an image path that has no extension, so one
   * source names `img/plot` for every format. Default: none.
   */
  defaultImageExtension?: string
  /**
   * The folder an image path is relative to, when not the file's own: a file Quarto includes is read as if its text
   * stood in the including document (`quarto-include.ts`). Default: the file's folder.
   */
  baseDir?: string
}

/** The image types every output can show, by file extension. */
const mediaTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
}

export function mediaType(file: string): string | undefined {
  return mediaTypes[path.extname(file).toLowerCase()]
}

const scheme = /^[a-z][a-z\d+.-]*:/i
/** Link targets a reader can follow; anything else (`javascript:`, `data:`, `file:`…) is not a link in the output. */
const safeLink = /^(?:https?:|mailto:|tel:|ftp:|#|[^:]*$)/i

/** Whether a link target may reach the output (after the whitespace and control characters a browser ignores). */
export function isSafeLink(url: string): boolean {
  // Browsers drop these before reading the scheme: `java\tscript:` is `javascript:`.
  const cleaned = url.replace(/[\u0000-\u0020\u007f]+/g, '')
  return safeLink.test(cleaned) && !cleaned.startsWith('//') && !cleaned.startsWith('\\')
}

/**
 * What the file system says of an image: `ok:<real path>`, or why it is refused. A cached parse is used only while
 * every image it looked at still gives the same answer.
 */
export function probeImage(projectDir: string, absolute: string): string {
  const found = projectFile(projectDir, absolute)
  if (found.refused) return found.refused
  if (path.extname(found.file).toLowerCase() === '.svg') {
    const unsafe = unsafeSvgReason(readFileSync(found.file, 'utf8'))
    if (unsafe) return `unsafe-svg:${unsafe}`
  }
  return `ok:${found.file}`
}

/** The real path of an image its probe allowed, or undefined when the probe refused it. */
export function allowedPath(outcome: string): string | undefined {
  return outcome.startsWith('ok:') ? outcome.slice('ok:'.length) : undefined
}

/**
 * Rewrites image URLs to project-relative paths (what the PDF page and the EPUB package serve) and replaces
 * an image that cannot be used by its description in brackets, with a message at its position. Links whose target
 * is not safe to follow become plain text. Reference-style links and images (`[x][r]`, `![x][r]` with
 * `[r]: …`) are checked through their definitions like inline ones.
 */
export function remarkResources(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const chapterDir = options.baseDir ?? path.dirname(path.resolve(file.cwd, file.path))
    const definitions = new Map<string, Definition>()
    visit(tree, 'definition', (definition: Definition) => {
      // The first definition of a label wins, as in CommonMark.
      if (!definitions.has(definition.identifier)) definitions.set(definition.identifier, definition)
    })
    // References become the links and images they stand for, so one set of checks sees every URL.
    visit(tree, (node, index, parent) => {
      if ((node.type !== 'linkReference' && node.type !== 'imageReference') || !parent || index === undefined) return undefined
      const definition = definitions.get(node.identifier)
      if (!definition) return undefined
      parent.children[index] = resolveReference(node, definition) as (typeof parent.children)[number]
      return undefined
    })
    visit(tree, 'definition', (definition: Definition) => {
      // Its links were resolved above; the definition itself prints nothing, but keep no unsafe URL in the tree.
      if (!isSafeLink(definition.url)) definition.url = ''
    })
    visit(tree, 'link', (link: Link) => {
      const url = link.url.trim()
      if (isSafeLink(url)) return
      file.message(`Link to ${url.slice(0, 60)} removed: only http(s), mailto, tel and links within the document are kept`, {
        place: link.position,
        ruleId: 'unsafe-link',
        source: 'galley:resources',
      })
      link.url = ''
      link.data = { ...link.data, hName: 'span', hProperties: { className: ['unsafe-link'] } }
    })
    visit(tree, 'image', (image: Image, index, parent) => {
      if (image.url.startsWith('data:image/') && !/^data:image\/svg/i.test(image.url)) return undefined
      const refuse = (reason: string, ruleId: RuleId) => {
        file.message(reason, { place: image.position, ruleId, source: 'galley:resources' })
        if (parent && index !== undefined) replaceImage(parent, index, image)
        return SKIP
      }
      if (image.url.startsWith('data:')) return refuse('An image given as a data: URL other than PNG, JPEG, GIF or WebP is not used', 'unsafe-resource')
      if (scheme.test(image.url) || image.url.startsWith('//')) {
        return refuse(`Image ${image.url} is not loaded: Galley fetches nothing from the network; save it in the project`, 'remote-resource')
      }
      let decoded: string
      try {
        decoded = decodeURI(image.url.split(/[?#]/)[0] ?? '')
      } catch {
        decoded = image.url
      }
      const extension = options.defaultImageExtension?.replace(/^\.?/, '.')
      if (extension && extension !== '.' && path.extname(decoded) === '') decoded += extension
      // The chapter's folder, then Pandoc's --resource-path (by default the folder Galley runs in); wherever it is
      // found, the file must be inside the project.
      const searched = options.resourcePath ?? [path.resolve(file.cwd)]
      // Quarto reads a leading `/` as the project's root, not the file system's (`/images/x.png` from any chapter).
      const fromRoot = /\.qmd$/i.test(file.path) && decoded.startsWith('/')
      const candidates = fromRoot ? [path.join(options.projectDir, decoded)] : [...new Set([path.resolve(chapterDir, decoded), ...searched.map((dir) => path.resolve(dir, decoded))])]
      let absolute = candidates[0] ?? chapterDir
      let outcome = 'missing'
      for (const candidate of candidates) {
        const probed = probeImage(options.projectDir, candidate)
        // What the file system said, so a cached parse of this file is used only while it still says the same.
        ;(file.data.probedFiles ??= []).push([candidate, probed])
        const allowed = allowedPath(probed) !== undefined
        if (candidate === candidates[0] || allowed) [absolute, outcome] = [candidate, probed]
        if (allowed) break
      }
      // Not in the project: a --resource-path folder the person running Galley named may hold it (trusted, as
      // --bibliography is); the image then travels in the tree as a data: URL, which every output takes as it is.
      const trusted = allowedPath(outcome) === undefined ? trustedImage(options.resourcePath ?? [], candidates) : undefined
      if (trusted) {
        // Never what a probe answers: a cached parse of this file is not used, so a changed image is read again.
        ;(file.data.probedFiles ??= []).push([trusted, 'read-from-resource-path'])
        const type = mediaType(trusted)
        if (type === undefined || type === 'image/svg+xml') {
          return refuse(`Image ${image.url} (found through --resource-path outside the project) is not a PNG, JPEG, GIF or WebP image; copy it into the project`, 'unsupported-resource')
        }
        image.url = `data:${type};base64,${readFileSync(trusted).toString('base64')}`
        return undefined
      }
      if (outcome === 'outside') {
        return refuse(`Image ${image.url} is outside the project directory and is not used`, 'resource-outside-project')
      }
      if (outcome === 'missing' || outcome === 'not-a-file') {
        // Pandoc would take it from the folder Galley runs in, which is not the project here: say how to let it in.
        const beside = candidates.slice(1).find((candidate) => existsSync(candidate))
        if (beside) {
          const shown = path.relative(file.cwd, options.projectDir) || '.'
          const folder = realPath(path.dirname(beside))
          // In a folder of the project, yet outside it: a symbolic link that leads out.
          if (isInside(options.projectDir, folder)) {
            const at = path.relative(file.cwd, beside)
            return refuse(`Image ${image.url}${at === image.url ? '' : ` (${at})`} is a symbolic link out of the project (${shown}) and is not used`, 'resource-outside-project')
          }
          // Below the folder Galley runs in, which is not the project: say how to make it the project.
          const here = realPath(file.cwd)
          const hint = isInside(here, folder) && here !== options.projectDir
            ? `give --resource-path with its folder (--resource-path .), run Galley from a folder holding both that is a project's root (with .git, a Makefile, _quarto.yml, package.json or metadata.yaml), or put a galley.yaml there`
            : 'give --resource-path with its folder if you trust it'
          return refuse(`Image ${image.url} is at ${path.relative(file.cwd, beside)}, outside the project (${shown}), and is not used: ${hint}`, 'resource-outside-project')
        }
        // Every place it was looked for, the chapter's folder and each --resource-path folder, as Pandoc searches them.
        const looked = [...new Set(candidates.map((candidate) => path.relative(file.cwd, candidate) || '.'))]
        return refuse(`Image ${image.url} not found (looked for ${looked.join(', ')})`, 'missing-resource')
      }
      if (mediaType(absolute) === undefined) {
        return refuse(`Image ${image.url} is not a PNG, JPEG, GIF, SVG or WebP image, which is all a browser or an e-reader shows; convert it`, 'unsupported-resource')
      }
      if (outcome.startsWith('unsafe-svg:')) {
        return refuse(`SVG image ${image.url} is not used: ${outcome.slice('unsafe-svg:'.length)}`, 'unsafe-resource')
      }
      image.url = path.relative(options.projectDir, absolute).split(path.sep).join('/')
      return undefined
    })
  }
}

/**
 * The real path of the first candidate inside one of the command line's `--resource-path` folders (checked as the
 * project is: after symbolic links are followed), or undefined.
 */
function trustedImage(folders: readonly string[], candidates: readonly string[]): string | undefined {
  for (const folder of folders) {
    for (const candidate of candidates) {
      const found = projectFile(folder, candidate)
      if (!found.refused) return found.file
    }
  }
  return undefined
}

function resolveReference(node: LinkReference | ImageReference, definition: Definition): Link | Image {
  const common = { url: definition.url, title: definition.title ?? null, ...(node.position ? { position: node.position } : {}) }
  if (node.type === 'imageReference') return { type: 'image', alt: node.alt ?? '', ...common, ...(node.data ? { data: node.data } : {}) }
  return { type: 'link', children: node.children, ...common, ...(node.data ? { data: node.data } : {}) }
}

/**
 * An image that cannot be used gives way to its description in brackets. A figure's caption takes the description's
 * place, as read (`remarkFigureCaptions`): its citations are still cited, so the bibliography and its numbering stay
 * what Pandoc makes of the same text.
 */
function replaceImage(parent: Parent, index: number, image: Image): void {
  const next = parent.children[index + 1]
  const caption = next?.type === 'figureCaption' ? (next.children as Emphasis['children']) : undefined
  parent.children.splice(index, caption ? 2 : 1, {
    type: 'emphasis',
    children: caption ? [{ type: 'text', value: '[' }, ...caption, { type: 'text', value: ']' }] : [{ type: 'text', value: `[${image.alt || 'image'}]` }],
    data: { hProperties: { className: ['missing-resource'] } },
  })
}

function realPath(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return path.resolve(file)
  }
}
