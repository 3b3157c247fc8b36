// Runs the tools tests check outputs with: epubcheck, poppler, csstree's CSS validator.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { validate as validateCss } from 'csstree-validator'

export interface EpubcheckReport {
  errors: number
  warnings: number
  fatals: number
  messages: { severity: string; message: string; locations: string[] }[]
}

/** Debian's epubcheck 4.2.6 (its wrapper script does not start here; the jar does). */
export function epubcheck(file: string): EpubcheckReport {
  const json = path.join(mkdtempSync(path.join(tmpdir(), 'epubcheck-')), 'report.json')
  spawnSync('java', ['-jar', '/usr/share/java/epubcheck.jar', '--json', json, file], { encoding: 'utf8' })
  const report = JSON.parse(readFileSync(json, 'utf8')) as {
    checker: { nError: number; nWarning: number; nFatal: number }
    messages: { severity: string; message: string; locations: { path: string; line: number; column: number }[] }[]
  }
  return {
    errors: report.checker.nError,
    warnings: report.checker.nWarning,
    fatals: report.checker.nFatal,
    messages: report.messages.map((message) => ({
      severity: message.severity,
      message: message.message,
      locations: message.locations.map((location) => `${location.path}:${location.line}:${location.column}`),
    })),
  }
}

export function pdfInfo(file: string): Record<string, string> {
  const text = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  return Object.fromEntries(text.split('\n').filter(Boolean).map((line) => {
    const at = line.indexOf(':')
    return [line.slice(0, at).trim(), line.slice(at + 1).trim()]
  }))
}

export function pdfText(file: string, first?: number, last?: number): string {
  const range = first === undefined ? [] : ['-f', String(first), '-l', String(last ?? first)]
  return execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 })
}

/** One row per font: name, type, embedded (yes/no). */
export function pdfFonts(file: string): { name: string; embedded: boolean }[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
  return lines.map((line) => {
    const columns = line.trim().split(/\s+/)
    const emb = columns.at(-5)
    return { name: columns[0] ?? '', embedded: emb === 'yes' }
  })
}

export interface LineEnds {
  /** U+00AD anywhere in the text a viewer extracts. */
  softHyphens: number
  /** Lines with a letter in them (headings, heads, notes and body alike). */
  lines: number
  /** Lines ending in a hyphen after a letter: a word broken at the line end. */
  hyphenated: number
  /** Runs of three or more hyphenated lines in a row (a page break ends a run). */
  ladders: number
  longestRun: number
}

/** How a PDF's lines end, read with `pdftotext -layout` (lines as printed) and without it (the text a viewer copies). */
export function lineEnds(file: string, first?: number, last?: number): LineEnds {
  const range = first === undefined ? [] : ['-f', String(first), '-l', String(last ?? first)]
  const text = execFileSync('pdftotext', [...range, file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 })
  const result: LineEnds = { softHyphens: text.split('\u00AD').length - 1, lines: 0, hyphenated: 0, ladders: 0, longestRun: 0 }
  for (const page of pdfText(file, first, last).split('\f')) {
    let run = 0
    const endRun = (): void => {
      if (run > 2) result.ladders += 1
      run = 0
    }
    for (const line of page.split('\n')) {
      if (/\p{L}/u.test(line)) result.lines += 1
      if (/\p{L}\u00AD?[-\u00AD\u2010]$/u.test(line.trimEnd())) {
        result.hyphenated += 1
        run += 1
        result.longestRun = Math.max(result.longestRun, run)
      } else {
        endRun()
      }
    }
    endRun()
  }
  return result
}

/** Where the DAISY Ace command line is (a dev dependency). */
export const aceCli = path.resolve(import.meta.dirname, '../../node_modules/.bin/ace-cli')

/**
 * DAISY Ace's violations for an EPUB, as `file: rule (impact)`, and the accessibility metadata it found missing. Ace's
 * checks run in the system Chromium, offline.
 */
export function ace(file: string, browser = '/usr/bin/chromium'): { violations: string[]; missingMetadata: string[] } {
  const out = mkdtempSync(path.join(tmpdir(), 'ace-'))
  const run = spawnSync(aceCli, ['--silent', '--outdir', out, file], { encoding: 'utf8', env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: browser }, timeout: 240_000 })
  const reportFile = path.join(out, 'report.json')
  let text: string
  try {
    text = readFileSync(reportFile, 'utf8')
  } catch {
    throw new Error(`Ace wrote no report (exit ${String(run.status)}): ${run.stderr}`)
  }
  const report = JSON.parse(text) as {
    assertions: { 'earl:testSubject': { url: string }; assertions: { 'earl:test': { 'dct:title': string; 'earl:impact': string } }[] }[]
    'a11y-metadata': { missing: string[] }
  }
  return {
    violations: report.assertions.flatMap((subject) => subject.assertions.map((assertion) => `${subject['earl:testSubject'].url}: ${assertion['earl:test']['dct:title']} (${assertion['earl:test']['earl:impact']})`)),
    missingMetadata: report['a11y-metadata'].missing,
  }
}

/**
 * What a reader's CSS parser would drop or a store reject, in an EPUB's stylesheet: what csstree's validator (the
 * W3C grammars, vendor prefixes allowed) finds wrong; an `@namespace` after any rule other than `@charset` and
 * `@import` (invalid, so dropped with every rule that uses its prefix); `@import` (Kindle's conversion and RMSDK do
 * not follow it); `position: fixed` or `absolute` (Kindle's guidelines: not supported).
 */
export function readerCssProblems(css: string): string[] {
  const problems = validateCss(css, 'style.css').map((error) => `${error.line ?? 0}:${error.column ?? 0} ${error.message}`)
  const code = css.replace(/\/\*[\s\S]*?\*\//g, '')
  const firstRule = code.search(/@(?!charset|import|namespace)[a-z-]+|[^\s;@][^{;]*\{/)
  const lastNamespace = code.lastIndexOf('@namespace')
  if (lastNamespace !== -1 && firstRule !== -1 && lastNamespace > firstRule) problems.push('@namespace after other rules')
  if (/@import\b/.test(code)) problems.push('@import')
  for (const match of code.matchAll(/position\s*:\s*(fixed|absolute)/g)) problems.push(match[0])
  return problems
}
