// The class list of a hast element (or of mdast `hProperties`), whichever way it was written.

export function classNames(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []
}
