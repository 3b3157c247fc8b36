// A preorder tree walk with unist-util-visit's interface, without its per-node cost.
//
// unist-util-visit 5 (through unist-util-visit-parents 6) makes a closure per node, renames it with
// `Object.defineProperty` (for stack traces) and copies the ancestors into a new array. On a 10-chapter book that was
// 120 ms of a 500 ms rebuild after a prose edit, with a dozen walks over the tree. This walk allocates nothing per
// node; its visitors return the same actions (`SKIP`, `EXIT`, a next index, or `[action, index]`), so it is a
// drop-in for a type test or none (not unist-util-is's function or array tests).
import type { Nodes as HastNodes } from 'hast'
import type { Nodes as MdastNodes } from 'mdast'
import type { Node, Parent } from 'unist'

export const CONTINUE: true = true
export const SKIP: 'skip' = 'skip'
export const EXIT: false = false

type Action = typeof CONTINUE | typeof SKIP | typeof EXIT
type Result = Action | number | [Action, number?] | undefined | void

/** The nodes a tree can hold: hast's for a hast tree, mdast's for an mdast one, either for a tree made on the spot. */
type Family<Tree extends Node> = Tree extends HastNodes ? HastNodes : Tree extends MdastNodes ? MdastNodes : HastNodes | MdastNodes
type Visitor<Tree extends Node, N> = (node: N, index: number | undefined, parent: Extract<Family<Tree>, Parent> | undefined) => Result

/**
 * Visits `tree` and its descendants in preorder (those of `type` only, when given). A visitor may change its parent's
 * children from its own index on, and return where to go on: `SKIP` (not into this node's children), `EXIT`, or the
 * index of the sibling to visit next. A node's children are read after its visitor ran.
 */
export function visit<Tree extends Node>(tree: Tree, visitor: Visitor<Tree, Family<Tree>>): void
export function visit<Tree extends Node, Type extends string>(tree: Tree, type: Type, visitor: Visitor<Tree, Extract<Family<Tree>, { type: Type }>>): void
export function visit(tree: Node, typeOrVisitor: string | Visitor<Node, never>, maybeVisitor?: Visitor<Node, never>, reverse?: unknown): void {
  // unist-util-visit's function tests and reverse order are not here: fail rather than walk otherwise (the bundle
  // hands this walker to dependencies written for unist-util-visit).
  if ((typeof typeOrVisitor === 'function' && maybeVisitor !== undefined) || reverse !== undefined) {
    throw new TypeError('tree-visit takes a type name or no test, and walks in document order only')
  }
  const type = typeof typeOrVisitor === 'string' ? typeOrVisitor : undefined
  const visitor = typeof typeOrVisitor === 'string' ? maybeVisitor : typeOrVisitor
  if (!visitor) return
  let exited = false
  // The index of the sibling to visit after `node`.
  const step = (node: Node, index: number | undefined, parent: Parent | undefined): number => {
    let action: Action = CONTINUE
    let next = (index ?? 0) + 1
    if (type === undefined || node.type === type) {
      const result = visitor(node as never, index, parent as never)
      if (Array.isArray(result)) {
        action = result[0]
        if (typeof result[1] === 'number') next = result[1]
      } else if (typeof result === 'number') next = result
      else if (result === SKIP || result === EXIT) action = result
    }
    if (action === EXIT) exited = true
    if (!exited && action !== SKIP && 'children' in node && Array.isArray(node.children)) {
      const children = node.children as Node[]
      for (let i = 0; i >= 0 && i < children.length && !exited; ) {
        const child = children[i]
        if (child) i = step(child, i, node as Parent)
        else i++
      }
    }
    return next
  }
  step(tree, undefined, undefined)
}
