// `galley check --pdf`: the PDF is made in memory, and its self-check's findings come back at source lines.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeProject, runCli } from './helpers/project.js'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Finding {
  file: string
  line: number | null
  column: number | null
  rule: string
  severity: string
}

describe('galley check --pdf', () => {
  it('places text running out of the text block at its line in the chapter it is in, and writes nothing', async () => {
    const digits = '0123456789'.repeat(12)
    const dir = makeProject({
      'a.md': '---\ntitle: Overflow\n---\n\n# One\n\nFirst chapter.\n',
      'b.md': `# Two\n\nSome text.\n\nThe sequence GATTACA${digits}END is long.\n`,
    })
    const run = await runCli(dir, ['check', 'a.md', 'b.md', '--pdf', '--format', 'json'])
    const findings = JSON.parse(run.stdout) as Finding[]
    const overflow = findings.filter((finding) => finding.rule === 'text-outside-text-area')
    expect(overflow.length).toBeGreaterThan(0)
    expect(overflow[0]).toMatchObject({ file: 'b.md', line: 5, column: 1, severity: 'error' })
    // The estimate without a browser finds the same token, at its first character.
    expect(findings).toContainEqual(expect.objectContaining({ file: 'b.md', line: 5, column: 14, rule: 'long-unbreakable-token' }))
    expect(run.exitCode).toBe(1)
    expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    expect(readdirSync(dir).sort()).toEqual(['.galley-cache', 'a.md', 'b.md'])
  }, 120_000)

  it('passes the shipped sample clean with its PDF', async () => {
    const run = await runCli(root, ['check', 'manuscript/china-north-korea.md', '--pdf', '--no-cache'])
    expect(run).toEqual({ exitCode: 0, stdout: 'No problems found.\n', stderr: '' })
  }, 120_000)
})
