// The last guard before any output: no element or attribute in the document's body can run script or fetch a file.
import type { Element, Root } from 'hast'
import type { VFile } from 'vfile'
import { isSafeLink } from '../markdown/remark-resources.js'
import { visit } from '../tree-visit.js'

/** Elements that run script, embed other documents, submit, or load styles and resources of their own. */
const forbiddenElements = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'link', 'meta', 'base', 'form', 'style', 'template'])
/** Attributes (hast property names) whose value the browser loads or follows. */
const linkProperties = new Set(['href', 'xLinkHref', 'action', 'formAction', 'cite', 'longDesc', 'ping', 'manifest'])
const sourceProperties = new Set(['src', 'srcSet', 'poster', 'background', 'data', 'lowsrc', 'dynsrc'])
/** What an image may be: a project file (a relative path, checked by remark-resources) or an inline raster image. */
const safeSource = /^(?:data:image\/(?:png|jpeg|gif|webp)[;,]|[^:]*$)/i
const unsafeStyle = /url\s*\(|expression\s*\(|@import|javascript:|\\|</i

/**
 * Every problem the earlier stages report with a position is already gone when this runs; this pass is the one place
 * that guarantees it for every output, whatever stage put a node in the tree (Markdown, citeproc's entries, the
 * bibliography's links). What it still finds is removed and reported.
 */
export function rehypeSafeOutput() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (forbiddenElements.has(node.tagName) && parent && index !== undefined) {
        parent.children.splice(index, 1)
        report(file, node, `<${node.tagName}> element`)
        return index
      }
      for (const [name, value] of Object.entries(node.properties)) {
        const text = Array.isArray(value) ? value.join(' ') : String(value)
        const unsafe =
          /^on/i.test(name) ||
          (linkProperties.has(name) && !isSafeLink(text)) ||
          (sourceProperties.has(name) && !safeSource.test(text.trim())) ||
          (name === 'style' && unsafeStyle.test(text))
        if (!unsafe) continue
        delete node.properties[name]
        report(file, node, `${name} attribute`)
      }
      return undefined
    })
  }
}

function report(file: VFile, node: Element, what: string): void {
  file.message(`Unsafe ${what} left out of the output`, { place: node.position, ruleId: 'unsafe-output', source: 'galley:html' })
}
