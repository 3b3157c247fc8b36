// The diagnostics registry: every rule id the code emits is in it, every rule in it is emitted, and the README's table is it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isRuleId, rules, ruleTable } from '../src/diagnostics.js'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sources(file)
    return entry.name.endsWith('.ts') ? [{ file: path.relative(root, file), text: readFileSync(file, 'utf8') }] : []
  })
}

const code = sources(path.join(root, 'src')).filter((source) => source.file !== path.join('src', 'diagnostics.ts'))

/**
 * Places that pass a rule id on rather than write it: each is typed `RuleId` (so tsc refuses an id outside the
 * registry), except the parse cache, which replays messages an earlier run emitted.
 */
const forwarded = new Set([
  'src/markdown/remark-resources.ts: ruleId, source', // refuse(reason, ruleId: RuleId)
  'src/process-book.ts: ruleId, source', // metadata's warn(…, ruleId: RuleId)
  'src/process-book.ts: ruleId: issue.ruleId', // BibliographyIssue.ruleId: RuleId
  'src/output/pdf.ts: ruleId: finding.ruleId', // PdfFinding.ruleId: Extract<RuleId, …>
  'src/check/audit.ts: ruleId, source', // report(file, ruleId: RuleId, …)
  'src/check/run-check.ts: ruleId: message.ruleId', // a PDF check message moved to its source line, rule unchanged
  'src/markdown/remark-unsupported.ts: ruleId, source', // warn(ruleId: RuleId, …)
  'src/markdown/remark-attributes.ts: ruleId, source', // 'raw-html' or 'raw-tex', typed by the literals
  'src/markdown/parse-cache.ts: ruleId: message.ruleId',
  'src/markdown/parse-cache.ts: ruleId: stored.ruleId',
  'src/markdown/metadata-abstract.ts: ruleId: message.ruleId', // the abstract's parse messages, rule unchanged
])

describe('diagnostics registry', () => {
  it('knows every rule id written in the code', () => {
    const written = code.flatMap(({ file, text }) => [...text.matchAll(/ruleId: '([^']*)'/g)].map((match) => ({ file, id: match[1] })))
    expect(written.length).toBeGreaterThan(20)
    expect(written.filter(({ id }) => !isRuleId(id))).toEqual([])
  })

  it('has no rule id passed on untyped: every other use of ruleId is a known, typed channel', () => {
    const uses = code.flatMap(({ file, text }) =>
      [...text.matchAll(/ruleId(?:, source|: (?!')[\w.]+)/g)].map((match) => `${file.split(path.sep).join('/')}: ${match[0]}`),
    )
    const unknown = uses.filter((use) => !forwarded.has(use) && !/ruleId: (?:string|RuleId|Extract)/.test(use))
    expect(unknown).toEqual([])
  })

  it('lists no rule that nothing emits', () => {
    const all = code.map(({ text }) => text).join('\n')
    const unused = Object.keys(rules).filter((id) => !all.includes(`'${id}'`))
    expect(unused).toEqual([])
  })

  it('knows every rule id in the fixtures’ expected messages', () => {
    const fixtures = path.join(root, 'tests', 'fixtures')
    const ids = readdirSync(fixtures).flatMap((name) => {
      const file = path.join(fixtures, name, 'expected-messages.json')
      if (!existsSync(file)) return []
      return (JSON.parse(readFileSync(file, 'utf8')) as { ruleId?: string }[]).map((message) => message.ruleId)
    })
    expect(ids.length).toBeGreaterThan(10)
    expect(ids.filter((id) => !isRuleId(id))).toEqual([])
  })

  it('is the README’s rule table (UPDATE=1 rewrites it)', () => {
    const readmePath = path.join(root, 'README.md')
    const readme = readFileSync(readmePath, 'utf8')
    const pattern = /(<!-- rules:start[^>]*-->)[\s\S]*?(<!-- rules:end -->)/
    expect(readme).toMatch(pattern)
    const expected = readme.replace(pattern, (_, start: string, end: string) => `${start}\n${ruleTable()}\n${end}`)
    if (process.env['UPDATE'] === '1') writeFileSync(readmePath, expected)
    else expect(readme).toBe(expected)
  })
})
