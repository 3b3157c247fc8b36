// The processes a command started, from /proc (Linux), for tests that check none is left behind.
import { readdirSync, readFileSync } from 'node:fs'

/** Every process below `pid`, from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = []
  const stack = [...(children.get(pid) ?? [])]
  while (stack.length > 0) {
    const next = stack.pop() as number
    found.push(next)
    stack.push(...(children.get(next) ?? []))
  }
  return found
}

export const alive = (pid: number): boolean => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
  } catch {
    return false
  }
}
