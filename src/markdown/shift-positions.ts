// Positions of a tree parsed from a slice of a file, moved to where they are in the whole file.
import type { Node } from 'unist'
import type { location } from 'vfile-location'

/** Moves positions read from a slice of the source starting at `base` to where they are in the whole source. */
export function shiftPositions(tree: Node, base: number, place: ReturnType<typeof location>): void {
  // Iterative: the tree's depth is checked after this.
  const stack: Node[] = [tree]
  for (let node = stack.pop(); node; node = stack.pop()) {
    for (const point of node.position ? [node.position.start, node.position.end] : []) {
      const offset = (point.offset ?? 0) + base
      const moved = place.toPoint(offset)
      point.offset = offset
      if (moved) {
        point.line = moved.line
        point.column = moved.column
      }
    }
    stack.push(...((node as { children?: Node[] }).children ?? []))
  }
}
