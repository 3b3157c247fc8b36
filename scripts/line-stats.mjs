// Line ends and word gaps of a PDF, for judging line breaking: `node scripts/line-stats.mjs book.pdf [font size in pt]`.
// Hyphenated line ends are counted as tests/helpers/tools.ts `lineEnds` does (every line with a letter, headings and
// notes too); word gaps are read with `pdftotext -bbox-layout` on the full justified lines of the body type (the most
// common line height on a page, reaching the page's right edge, four words or more), in em of the given size
// (default 11, the body size on A4; A5's is 10).
import { execFileSync } from 'node:child_process'

const [file, sizeArgument] = process.argv.slice(2)
if (!file) {
  console.error('usage: node scripts/line-stats.mjs book.pdf [font size in pt]')
  process.exit(2)
}
const size = Number(sizeArgument ?? 11)

const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 })
let lines = 0
let hyphenated = 0
let longestRun = 0
for (const page of text.split('\f')) {
  let run = 0
  for (const line of page.split('\n')) {
    if (/\p{L}/u.test(line)) lines += 1
    if (/\p{L}\u00AD?[-\u00AD\u2010]$/u.test(line.trimEnd())) {
      hyphenated += 1
      run += 1
      longestRun = Math.max(longestRun, run)
    } else {
      run = 0
    }
  }
}

const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 29 })
const gaps = []
let fullLines = 0
for (const page of xml.split('<page ').slice(1)) {
  const pageLines = [...page.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((match) => ({
    height: Math.round((Number(match[3]) - Number(match[1])) * 2) / 2,
    right: Number(match[2]),
    words: [...(match[4] ?? '').matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)].map((word) => [Number(word[1]), Number(word[2])]),
  }))
  const heights = new Map()
  for (const line of pageLines) heights.set(line.height, (heights.get(line.height) ?? 0) + 1)
  const body = [...heights].sort((a, b) => b[1] - a[1])[0]?.[0]
  const bodyLines = pageLines.filter((line) => line.height === body)
  const right = Math.max(...bodyLines.map((line) => line.right))
  for (const line of bodyLines) {
    if (line.words.length < 4 || line.right < right - 0.6) continue
    fullLines += 1
    for (let i = 1; i < line.words.length; i++) gaps.push((line.words[i][0] - line.words[i - 1][1]) / size)
  }
}
gaps.sort((a, b) => a - b)
const quantile = (q) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0
const round = (value, digits) => Number(value.toFixed(digits))
console.log(
  JSON.stringify({
    lines,
    hyphenated,
    hyphenatedShare: round(hyphenated / lines, 4),
    longestRun,
    fullLines,
    gapMean: round(gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length, 3),
    gapP95: round(quantile(0.95), 3),
  }),
)
