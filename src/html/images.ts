// Image files referenced by the document tree: their media types, inlining for the standalone HTML.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { InputError } from '../errors.js'
import { allowedPath, mediaType, probeImage } from '../markdown/remark-resources.js'
import { visit } from '../tree-visit.js'

export { mediaType }

/** Every `<img>` with a project-relative `src` (remark-resources has checked them all). */
export function projectImages(nodes: Root): Element[] {
  const images: Element[] = []
  visit(nodes, 'element', (node) => {
    if (isProjectImage(node)) images.push(node)
  })
  return images
}

export function isProjectImage(node: Element): boolean {
  const src = node.properties['src']
  return node.tagName === 'img' && typeof src === 'string' && !src.startsWith('data:')
}

/**
 * The bytes of an image the parse accepted, checked again as they are read (the parse may come from the cache, and
 * a file can change under a running build): never a file outside the project or an unsafe SVG.
 */
export function readProjectImage(projectDir: string, src: string): Buffer {
  const outcome = probeImage(projectDir, path.join(projectDir, src))
  const file = allowedPath(outcome)
  if (file === undefined) throw new InputError(`Image ${src} changed during the build and can no longer be used (${outcome}); build again`, { file: src })
  return readFileSync(file)
}

/** A project image file as a data URI, for the standalone HTML, which is one file that opens anywhere. */
export function dataUri(projectDir: string, src: string): string {
  const type = mediaType(src) ?? 'application/octet-stream'
  return `data:${type};base64,${readProjectImage(projectDir, src).toString('base64')}`
}
