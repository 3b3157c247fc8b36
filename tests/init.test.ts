// `galley init`: each template is a project that builds all three outputs as it is, with no warning.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { templates } from '../src/cli/init.js'
import { runCli } from './helpers/project.js'
import { epubcheck } from './helpers/tools.js'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The apt packages `npm run setup` installs: a CI file installs only from these. */
const setupPackages = /packages=\(([^)]*)\)/.exec(readFileSync(path.join(root, 'scripts', 'setup.sh'), 'utf8'))?.[1]?.split(/\s+/) ?? []

/** Paths in `dist/` an artifact pattern keeps (GitLab's `*` stays within a folder; a trailing `/` keeps the folder). */
function kept(pattern: string, outputs: readonly string[]): string[] {
  const expression = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\/$/, '/.*')}$`)
  return outputs.map((name) => `dist/${name}`).filter((file) => expression.test(file))
}

/** The CI file `init` wrote, checked as its service reads it: it installs, builds, and keeps every output of the build. */
function checkCi(dir: string, ci: 'github' | 'gitlab', outputs: readonly string[]): void {
  const packages = (commands: readonly string[]): string[] =>
    commands.flatMap((command) => /apt-get install ([^|&]*)/.exec(command)?.[1]?.split(/\s+/).filter((word) => word && !word.startsWith('-')) ?? [])
  if (ci === 'gitlab') {
    expect(existsSync(path.join(dir, '.github'))).toBe(false)
    const config = parse(readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8')) as Record<string, { image: string; before_script: string[]; script: string[]; artifacts: { paths: string[] }; rules?: unknown; only?: unknown }>
    const job = config['galley']
    expect(Object.keys(config)).toEqual(['galley'])
    // A Debian image; no rules or only: GitLab runs the job on every push.
    expect(job?.image).toMatch(/bookworm|debian/)
    expect(job?.rules ?? job?.only).toBeUndefined()
    const installed = packages(job?.before_script ?? [])
    expect(installed).toContain('chromium')
    for (const name of installed) expect(setupPackages).toContain(name)
    expect(job?.script.some((command) => /galley build/.test(command))).toBe(true)
    const paths = job?.artifacts.paths ?? []
    for (const pattern of paths) expect(kept(pattern, outputs), pattern).not.toEqual([])
    expect(new Set(paths.flatMap((pattern) => kept(pattern, outputs)))).toEqual(new Set(outputs.map((name) => `dist/${name}`)))
  } else {
    expect(existsSync(path.join(dir, '.gitlab-ci.yml'))).toBe(false)
    const workflow = parse(readFileSync(path.join(dir, '.github/workflows/galley.yml'), 'utf8')) as { on: string[]; jobs: Record<string, { steps: { run?: string; uses?: string; with?: { path?: string } }[] }> }
    expect(workflow.on).toContain('push')
    const steps = workflow.jobs['build']?.steps ?? []
    // Ubuntu's name for Chromium aside, the packages setup installs.
    const installed = packages(steps.flatMap((step) => step.run?.split('||') ?? []))
    expect(installed).toContain('fonts-dejavu-extra')
    for (const name of installed.filter((name) => name !== 'chromium-browser')) expect(setupPackages).toContain(name)
    expect(steps.some((step) => /galley build/.test(step.run ?? ''))).toBe(true)
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))
    expect(kept(upload?.with?.path ?? '', outputs)).toEqual(outputs.map((name) => `dist/${name}`))
  }
}

describe('galley init', () => {
  for (const template of templates) {
    // The handout is made with GitLab CI, the others with GitHub Actions (the default).
    const ci = template === 'handout' ? 'gitlab' : 'github'
    it(`makes a ${template} that builds HTML, PDF and EPUB without a warning, with ${ci} CI`, async () => {
      const parent = mkdtempSync(path.join(tmpdir(), 'galley-init-'))
      const created = await runCli(parent, ['init', 'project', '--template', template, ...(ci === 'gitlab' ? ['--ci', 'gitlab'] : [])])
      expect(created.exitCode, created.stderr).toBe(0)
      expect(created.stdout).toMatch(/galley\.yaml.*references\.json/)
      const dir = path.join(parent, 'project')
      expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('.galley-cache/')
      const built = await runCli(dir, ['build', '--fail-on-warnings'])
      expect(built.stderr).toBe('')
      expect(built.exitCode).toBe(0)
      const outputs = readdirSync(path.join(dir, 'dist')).sort()
      checkCi(dir, ci, outputs)
      // The course template writes two copies (student and key), the others one.
      expect(outputs.map((name) => path.extname(name)).sort()).toEqual(template === 'course' ? ['.epub', '.epub', '.html', '.html', '.pdf', '.pdf'] : ['.epub', '.html', '.pdf'])
      for (const epub of outputs.filter((name) => name.endsWith('.epub'))) expect(epubcheck(path.join(dir, 'dist', epub)).messages).toEqual([])
      // Every citation of the template is in its bibliography.
      for (const html of outputs.filter((name) => name.endsWith('.html'))) {
        expect(readFileSync(path.join(dir, 'dist', html), 'utf8')).not.toContain('class="citation-missing"')
      }
      // The article and the book show a cross-reference to a figure (an undefined one would have been a warning).
      if (template === 'article' || template === 'book') expect(readFileSync(path.join(dir, 'dist', outputs.find((name) => name.endsWith('.html')) ?? ''), 'utf8').replace(/<[^>]*>/g, '')).toMatch(/fig\.[\s\u00a0]1\b/)
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
    const unknownCi = await runCli(dir, ['init', 'x', '--ci', 'jenkins'])
    expect(unknownCi.exitCode).toBe(64)
    expect(unknownCi.stderr).toBe('galley init: unknown CI "jenkins"; choose github, gitlab, none\n')
    expect(existsSync(path.join(dir, 'x'))).toBe(false)
  })

  it('writes no CI file with --ci none', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'galley-init-'))
    const created = await runCli(parent, ['init', 'project', '--ci', 'none'])
    expect(created.exitCode, created.stderr).toBe(0)
    const files = readdirSync(path.join(parent, 'project'))
    expect(files).toContain('.gitignore')
    expect(files.filter((name) => /github|gitlab/.test(name))).toEqual([])
  })
})
