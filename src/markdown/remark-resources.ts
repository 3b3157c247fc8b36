// Checks every image the manuscript refers to: only files inside the project are used; nothing is fetched.
import path from 'node:path'
import type { Image, Link, Root } from 'mdast'
import { SKIP, visit } from '../tree-visit.js'
import type { VFile } from 'vfile'
import { isFile, isInside } from '../paths.js'

export interface Options {
  /** Absolute project directory; resources outside it are refused. */
  projectDir: string
}

const scheme = /^[a-z][a-z\d+.-]*:/i
/** Link targets a reader can follow; anything else (`javascript:`, `data:`, `file:`…) is not a link in the output. */
const safeLink = /^(?:https?:|mailto:|tel:|ftp:|#|[^:]*$)/i

/**
 * Rewrites image URLs to project-relative paths (what the PDF page and the EPUB package serve) and replaces
 * an image that cannot be used by its description in brackets, with a message at its position.
 */
export function remarkResources(options: Readonly<Options>) {
  return (tree: Root, file: VFile): void => {
    const chapterDir = path.dirname(path.resolve(file.cwd, file.path))
    visit(tree, 'link', (link: Link) => {
      const url = link.url.trim()
      if (safeLink.test(url) && !url.startsWith('//')) return
      file.message(`Link to ${url.slice(0, 60)} removed: only http(s), mailto, tel and links within the document are kept`, {
        place: link.position,
        ruleId: 'unsafe-link',
        source: 'galley:resources',
      })
      link.url = ''
      link.data = { ...link.data, hName: 'span', hProperties: { className: ['unsafe-link'] } }
    })
    visit(tree, 'image', (image: Image, index, parent) => {
      if (image.url.startsWith('data:image/')) return
      const refuse = (reason: string, ruleId: string) => {
        file.message(reason, { place: image.position, ruleId, source: 'galley:resources' })
        if (parent && index !== undefined) {
          // A figure's caption goes with its image: the mark left in their place holds the description.
          const withCaption = parent.children[index + 1]?.type === 'figureCaption'
          parent.children.splice(index, withCaption ? 2 : 1, {
            type: 'emphasis',
            children: [{ type: 'text', value: `[${image.alt || 'image'}]` }],
            data: { hProperties: { className: ['missing-resource'] } },
          })
        }
        return SKIP
      }
      if (scheme.test(image.url) || image.url.startsWith('//')) {
        return refuse(`Image ${image.url} is not loaded: Galley fetches nothing from the network; save it in the project`, 'remote-resource')
      }
      let decoded: string
      try {
        decoded = decodeURI(image.url.split(/[?#]/)[0] ?? '')
      } catch {
        decoded = image.url
      }
      const absolute = path.resolve(chapterDir, decoded)
      if (!isInside(options.projectDir, absolute)) {
        return refuse(`Image ${image.url} is outside the project directory and is not used`, 'resource-outside-project')
      }
      const found = isFile(absolute)
      // What the file system said, so a cached parse of this file is used only while it still says the same.
      ;(file.data.probedFiles ??= []).push([absolute, found])
      if (!found) {
        return refuse(`Image ${image.url} not found (looked for ${path.relative(file.cwd, absolute)})`, 'missing-resource')
      }
      image.url = path.relative(options.projectDir, absolute).split(path.sep).join('/')
      return undefined
    })
  }
}
