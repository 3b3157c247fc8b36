// micromark's EditMap made to cost what it edits: the patch that keeps blank-line-separated containers linear.
import { EditMap } from 'micromark-util-edit-map'
import type { Event } from 'micromark-util-types'

type Change = [at: number, remove: number, add: Event[]]
interface EditMapShape {
  map: Change[]
  index: Map<number, Change>
  consume(events: Event[]): void
}

const linear = Symbol('galley: linear EditMap.consume')

/**
 * micromark's document tokenizer moves the exits of closed containers back before the line that closed them with an
 * EditMap on the document's whole event list, each time a container ends at a lazy line or a blank one (`> a`, `- a`,
 * `T\n: d` items with blank lines between them). `EditMap.consume` (micromark-util-edit-map 1.0.0) copies the whole
 * list, edited or not, so a document of n such containers took time growing with n² (4,000 block quotes: 3 s).
 * This `consume` makes the same edits, in the same order, but leaves the events before the first edit where they are,
 * so an edit near the end of the list costs only what follows it. Applied once, on import; refuses a version whose
 * EditMap no longer has this shape rather than editing events wrongly.
 */
function makeConsumeLinear(): void {
  const prototype = EditMap.prototype as unknown as EditMapShape & { [linear]?: true }
  if (prototype[linear]) return
  const probe = new EditMap() as unknown as Partial<EditMapShape>
  if (typeof prototype.consume !== 'function' || !Array.isArray(probe.map) || !(probe.index instanceof Map)) {
    throw new Error('micromark-util-edit-map changed shape: check src/markdown/micromark-edit-map.ts against it')
  }
  prototype.consume = function (this: EditMapShape, events: Event[]): void {
    this.map.sort((a, b) => a[0] - b[0])
    if (this.map.length === 0) return
    // From the last edit to the first: keep what follows it and what it adds, and cut the list there.
    const tails: Event[][] = []
    for (let index = this.map.length - 1; index >= 0; index--) {
      const [at, remove, add] = this.map[index] as Change
      tails.push(events.slice(at + remove), add)
      events.length = at
    }
    for (let index = tails.length - 1; index >= 0; index--) {
      for (const event of tails[index] as Event[]) events.push(event)
    }
    this.map.length = 0
    this.index.clear()
  }
  prototype[linear] = true
}

makeConsumeLinear()
