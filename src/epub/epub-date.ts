// The EPUB `dc:date` as Pandoc writes it: a date as written in the front matter, in the ISO 8601 form EPUB requires.

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

/**
 * Pandoc's `normalizeDate'`: `2025`, `2025-10` and `2025-10-27` as they are; `27 October 2025`, `27 Oct 2025`,
 * `October 27, 2025`, `Oct. 27, 2025`, `10/27/2025` and `20251027` as `2025-10-27`; a year outside 1601–9999 or any
 * other text gives undefined (the date is then left out of the package, where it would be invalid: epubcheck OPF-053).
 */
export function epubDate(written: string): string | undefined {
  const text = written.trim()
  if (/^\d{4}(-\d{2})?$/.test(text)) return text
  let match: RegExpExecArray | null
  let day: number | undefined
  let month: number | undefined
  let year: number | undefined
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text))) [month, day, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$/.exec(text))) [day, month, year] = [Number(match[1]), monthOf(match[2] ?? ''), Number(match[3])]
  else if ((match = /^([A-Za-z]+)\.?\s+(\d{1,2}),\s*(\d{4})$/.exec(text))) [month, day, year] = [monthOf(match[1] ?? ''), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(text))) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{4})(\d{2})$/.exec(text))) [year, month, day] = [Number(match[1]), Number(match[2]), 1]
  if (year === undefined || month === undefined || day === undefined || year < 1601 || year > 9999) return undefined
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined
  return date.toISOString().slice(0, 10)
}

/** A month's number from its English name or three-letter abbreviation (Pandoc parses in its default, English, locale). */
function monthOf(name: string): number | undefined {
  const lower = name.toLowerCase()
  const index = months.findIndex((month) => month === lower || (lower.length === 3 && month.startsWith(lower)))
  return index === -1 ? undefined : index + 1
}
