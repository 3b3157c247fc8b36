// Refuses absurdly deep nesting (a thousand `>` in a row) before any recursive stage can overflow the stack.
import type { Root } from 'mdast'
import type { Node } from 'unist'
import type { VFile } from 'vfile'
import { InputError } from '../errors.js'

export interface Options {
  /** Deepest nesting of blocks and inlines allowed. Default 256, far beyond any real document. */
  maxDepth?: number
}

export function remarkDepthLimit(options: Readonly<Options> = {}) {
  return (tree: Root, file: VFile): void => assertDepth(tree, file, options.maxDepth)
}

/** Throws an `InputError` at the first node nested deeper than `maxDepth` (default 256) below `tree`. */
export function assertDepth(tree: Node, file: VFile, maxDepth = 256): void {
  // Iterative on purpose: recursion is exactly what this guards against.
  const stack: { node: Node; depth: number }[] = [{ node: tree, depth: 0 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: Node; depth: number }
    if (depth > maxDepth) {
      const start = node.position?.start
      throw new InputError(
        `The manuscript nests more than ${maxDepth} levels deep (block quotes, lists or emphasis inside each other); flatten it`,
        start ? { file: file.path, line: start.line, column: start.column } : { file: file.path },
      )
    }
    const children = (node as { children?: Node[] }).children
    if (children) for (const child of children) stack.push({ node: child, depth: depth + 1 })
  }
}
