// `galley init`: each template is a project that builds all three outputs as it is, with no warning.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { templates } from '../src/cli/init.js'
import { runCli } from './helpers/project.js'
import { epubcheck } from './helpers/tools.js'

describe('galley init', () => {
  for (const template of templates) {
    it(`makes a ${template} that builds HTML, PDF and EPUB without a warning`, async () => {
      const parent = mkdtempSync(path.join(tmpdir(), 'galley-init-'))
      const created = await runCli(parent, ['init', 'project', '--template', template])
      expect(created.exitCode, created.stderr).toBe(0)
      expect(created.stdout).toMatch(/galley\.yaml.*references\.json/)
      const dir = path.join(parent, 'project')
      expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('.galley-cache/')
      expect(existsSync(path.join(dir, '.github/workflows/galley.yml'))).toBe(true)
      const built = await runCli(dir, ['build', '--fail-on-warnings'])
      expect(built.stderr).toBe('')
      expect(built.exitCode).toBe(0)
      const outputs = readdirSync(path.join(dir, 'dist')).sort()
      // The course template writes two copies (student and key), the others one.
      expect(outputs.map((name) => path.extname(name)).sort()).toEqual(template === 'course' ? ['.epub', '.epub', '.html', '.html', '.pdf', '.pdf'] : ['.epub', '.html', '.pdf'])
      for (const epub of outputs.filter((name) => name.endsWith('.epub'))) expect(epubcheck(path.join(dir, 'dist', epub)).messages).toEqual([])
      // Every citation of the template is in its bibliography.
      for (const html of outputs.filter((name) => name.endsWith('.html'))) {
        expect(readFileSync(path.join(dir, 'dist', html), 'utf8')).not.toContain('class="citation-missing"')
      }
      if (template === 'course') {
        // The answers are in the key only.
        const text = (name: string): string => readFileSync(path.join(dir, 'dist', name), 'utf8').replace(/\u00ad/g, '')
        expect(text('problem-set.html')).not.toContain('Answer.')
        expect(text('problem-set-key.html')).toContain('Answer.')
      }
    }, template === 'course' ? 240_000 : 120_000)
  }

  it('refuses a folder that is not empty, and an unknown template', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'galley-init-'))
    writeFileSync(path.join(dir, 'notes.md'), 'mine')
    const full = await runCli(dir, ['init'])
    expect(full.exitCode).toBe(73)
    expect(full.stderr).toMatch(/is not empty; Galley creates a project only in a new or empty folder/)
    expect(readdirSync(dir)).toEqual(['notes.md'])
    const unknown = await runCli(dir, ['init', 'x', '--template', 'thesis'])
    expect(unknown.exitCode).toBe(64)
    expect(unknown.stderr).toBe('galley init: unknown template "thesis"; choose article, book, handout, course\n')
    expect(existsSync(path.join(dir, 'x'))).toBe(false)
  })
})
