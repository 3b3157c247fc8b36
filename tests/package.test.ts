// What `npm run compile` ships: the bundled library entry and the CLI run from lib/bundle/.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe('the package', () => {
  it("exports build and the error classes under its own name (package.json's exports)", async () => {
    const galley = (await import('galley' as string)) as Record<string, unknown>
    expect(typeof galley['build']).toBe('function')
    expect(typeof galley['check']).toBe('function')
    expect(Object.keys(galley['rules'] as object)).toContain('missing-citation-key')
    for (const name of ['InputError', 'ConfigError', 'BibliographyError', 'StyleError', 'RenderError']) expect(typeof galley[name], name).toBe('function')
  })

  it('runs its CLI from the bundle', () => {
    expect(readFileSync('bin/galley.js', 'utf8')).toContain('../lib/bundle/galley.js')
    const version = spawnSync(process.execPath, ['bin/galley.js', '--version'], { encoding: 'utf8' })
    expect(version.status).toBe(0)
    expect(version.stdout.trim()).toBe('galley ' + (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version)
  })

  it('runs as a program of its own, with the Node options of its #! line', () => {
    // As `npx galley` and the npm scripts start it: `env -S` splits the line's options, which `node` alone would not take.
    expect(readFileSync('bin/galley.js', 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env -S node --v8-pool-size=1')
    const version = spawnSync('bin/galley.js', ['--version'], { encoding: 'utf8' })
    expect(version.status, version.stderr).toBe(0)
    expect(version.stdout).toMatch(/^galley \d/)
  })
})
