// The entries `nocite` adds to a book's bibliography without a citation (Pandoc's `nocite`, `@*` for all).

/**
 * The entries `nocite` adds to those cited (`@*`: every other entry), in the bibliography's order as in Pandoc (a
 * numeric style numbers them so), and the keys it names that do not exist.
 */
export function uncitedKeys(nocite: readonly string[], items: ReadonlyMap<string, unknown>, cited: ReadonlySet<string>): { keys: string[]; unknown: string[] } {
  const named = new Set<string>()
  const unknown: string[] = []
  for (const key of nocite.flatMap(nociteCitations)) {
    if (key === '*' || items.has(key)) named.add(key)
    else unknown.push(key)
  }
  const keys = [...items.keys()].filter((id) => !cited.has(id) && (named.has('*') || named.has(id)))
  return { keys, unknown }
}

/**
 * The keys of one `nocite` value. Pandoc reads it as Markdown and takes the keys of the citations in it, so Pandoc
 * documents write `@a @b`, `[@a; @b]` or `[@*]` alike. A value without any `@` is taken as a bare key.
 */
function nociteCitations(value: string): string[] {
  if (!value.includes('@')) return [value]
  const keys: string[] = []
  // Pandoc's key syntax: `@{any key}`, or a letter, digit or `_` first and last, internal punctuation between (and
  // `:` or `/` before a `/`, for URLs).
  for (const [, braced, plain] of value.matchAll(/(?<![\p{L}\p{N}_])@(?:\{([^{}]+)\}|(\*|[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_])|[:/](?=\/))*))/gu)) {
    const key = braced ?? plain
    if (key) keys.push(key)
  }
  return keys
}
