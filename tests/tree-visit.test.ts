// Galley's tree walk stands in for unist-util-visit: on the same trees and visitors it must do the same.
import { readFileSync } from 'node:fs'
import type { Root } from 'mdast'
import * as unistUtilVisit from 'unist-util-visit'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { parseMarkdown } from '../src/markdown/parse.js'
import * as treeVisit from '../src/tree-visit.js'

// The two modules' types differ in how they infer node types; the tests call both through one plain signature.
type Visitor = (node: { type: string; value: string }, index: number | undefined, parent: { children: unknown[] } | undefined) => unknown
interface Walker {
  visit(tree: Root, visitor: Visitor): void
  visit(tree: Root, type: string, visitor: Visitor): void
  SKIP: 'skip'
  EXIT: false
}
const reference = unistUtilVisit as unknown as Walker
const ours = treeVisit as unknown as Walker

async function sampleTree(): Promise<Root> {
  const file = new VFile({ path: 'manuscript/china-north-korea.md', value: readFileSync('manuscript/china-north-korea.md', 'utf8') })
  return parseMarkdown(file)
}

/** Walks with a visitor that records and edits as Galley's passes do: splits text, skips and jumps. */
function trace(walker: Walker, tree: Root): string[] {
  const seen: string[] = []
  walker.visit(tree, (node, index, parent) => {
    seen.push(`${node.type}@${String(index)}${node.value === undefined ? '' : `:${node.value.slice(0, 12)}`}`)
    if (node.type === 'heading') return walker.SKIP
    if (node.type === 'text' && parent && index !== undefined && node.value && node.value.includes(' the ')) {
      const [head, ...rest] = node.value.split(' the ')
      parent.children.splice(index, 1, { type: 'text', value: head }, { type: 'inlineCode', value: 'the' }, { type: 'text', value: rest.join(' the ') })
      return [walker.SKIP, index + 3]
    }
    return undefined
  })
  return seen
}

describe('tree-visit', () => {
  it('visits, edits and skips the sample manuscript exactly as unist-util-visit does', async () => {
    const [a, b] = [await sampleTree(), await sampleTree()]
    const expected = trace(reference, a)
    expect(expected.length).toBeGreaterThan(60)
    expect(trace(ours, b)).toEqual(expected)
    expect(b).toEqual(a)
  })

  it('filters by type, follows returned indexes and stops at EXIT', () => {
    const tree = (): Root => ({
      type: 'root',
      children: [
        { type: 'paragraph', children: [{ type: 'text', value: 'a' }, { type: 'emphasis', children: [{ type: 'text', value: 'b' }] }, { type: 'text', value: 'c' }] },
        { type: 'paragraph', children: [{ type: 'text', value: 'd' }, { type: 'text', value: 'e' }, { type: 'text', value: 'stop' }, { type: 'text', value: 'f' }] },
        { type: 'paragraph', children: [{ type: 'text', value: 'g' }] },
      ],
    })
    const walk = (walker: Walker): string[] => {
      const seen: string[] = []
      walker.visit(tree(), 'text', (node, index) => {
        seen.push(node.value)
        if (node.value === 'a') return (index ?? 0) + 2 // Jumps over the emphasis.
        if (node.value === 'd') return [walker.SKIP, (index ?? 0) + 2]
        return node.value === 'stop' ? walker.EXIT : undefined
      })
      return seen
    }
    expect(walk(reference)).toEqual(['a', 'c', 'd', 'stop'])
    expect(walk(ours)).toEqual(['a', 'c', 'd', 'stop'])
  })

  it('refuses the calls of unist-util-visit it does not walk alike: a function test, reverse order', () => {
    const tree: Root = { type: 'root', children: [] }
    const anyVisit = treeVisit.visit as (...args: unknown[]) => void // The calls the types rule out, as a dependency could make them.
    expect(() => anyVisit(tree, () => true, () => undefined)).toThrow(TypeError)
    expect(() => anyVisit(tree, 'text', () => undefined, true)).toThrow(TypeError)
    expect(() => anyVisit(tree, () => undefined)).not.toThrow()
  })
})
