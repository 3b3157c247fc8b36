// Golden fixtures: every folder under tests/fixtures is one thing a user can write; UPDATE=1 rewrites expectations.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runFixture } from './helpers/fixtures.js'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const update = process.env['UPDATE'] === '1'

function compare(file: string, actual: string): void {
  if (update || !existsSync(file)) writeFileSync(file, actual)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

describe('golden fixtures', () => {
  const folders = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory())
  it('has fixtures', () => {
    expect(folders.length).toBeGreaterThan(0)
  })
  for (const folder of folders) {
    it(folder.name, async () => {
      const dir = path.join(root, folder.name)
      const result = await runFixture(dir)
      if (result.error) {
        compare(path.join(dir, 'expected-error.json'), `${JSON.stringify(result.error, null, 2)}\n`)
        return
      }
      compare(path.join(dir, 'expected.html'), `${result.html ?? ''}\n`)
      compare(path.join(dir, 'expected-messages.json'), `${JSON.stringify(result.messages ?? [], null, 2)}\n`)
    })
  }
})
