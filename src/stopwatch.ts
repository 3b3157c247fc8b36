// Where a build's time goes, for the benchmark: each `lap(name)` adds the time since the previous lap to `name`.
export interface Stopwatch {
  lap(name: string): void
  readonly timings: Record<string, number>
}

export function stopwatch(): Stopwatch {
  const timings: Record<string, number> = {}
  let last = performance.now()
  return {
    timings,
    lap(name) {
      const now = performance.now()
      timings[name] = (timings[name] ?? 0) + (now - last)
      last = now
    },
  }
}
