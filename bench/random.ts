// A small seeded random source (mulberry32) so benchmark books are byte-identical for a given seed.

/**
 * Derives an independent 32-bit seed from a base seed and a label, so the bibliography and the prose draw from
 * separate streams: changing how much prose is written never reshuffles the references.
 */
export function deriveSeed(seed: number, label: string): number {
  // FNV-1a over the label, folded with the seed; any good mix works, this one is short and stable.
  let hash = (0x811c9dc5 ^ seed) >>> 0
  for (let index = 0; index < label.length; index++) {
    hash ^= label.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** Seeded pseudo-random numbers with the few helpers the generator needs. */
export class Random {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** A float in [0, 1), mulberry32. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    // An empty vocabulary list is a bug in the generator itself, not in anyone's input.
    if (item === undefined) throw new Error('Random.pick called with an empty list')
    return item
  }

  /** One item, with probability proportional to its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0)
    let roll = this.next() * total
    for (const [value, weight] of choices) {
      roll -= weight
      if (roll < 0) return value
    }
    const last = choices[choices.length - 1]
    if (last === undefined) throw new Error('Random.weighted called with no choices')
    return last[0]
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items]
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1))
      const a = copy[index]
      const b = copy[other]
      if (a === undefined || b === undefined) continue
      copy[index] = b
      copy[other] = a
    }
    return copy
  }

  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, count)
  }
}
