// `galley chapters/*.md` run from a repository's root: the root is the project when it looks like one, as Pandoc
// resolves `images/x.png` against the folder it runs in; a folder without a marker (a home) keeps the old rule.
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { resolveProject } from '../src/config/project.js'
import { makeProject, runCli, tinyPng } from './helpers/project.js'

const chapter = '---\ntitle: Repo\n---\n\n# One\n\n![A dot](images/dot.png)\n'

describe('the project when Galley runs above the chapters', () => {
  for (const [marker, content] of [['.git', undefined], ['.git', 'gitdir: /elsewhere/.git/worktrees/x\n'], ['Makefile', 'all:\n'], ['_quarto.yml', 'project:\n  type: book\n'], ['package.json', '{}\n'], ['metadata.yaml', 'lang: en\n']] as const) {
    it(`is the folder Galley runs in when it holds ${marker}${content?.startsWith('gitdir') ? ' (a worktree\'s file)' : ''} and every input`, async () => {
      const dir = makeProject({ 'chapters/01.md': chapter, 'chapters/02.md': '# Two\n', 'images/dot.png': tinyPng })
      if (content === undefined) mkdirSync(path.join(dir, marker))
      else writeFileSync(path.join(dir, marker), content)
      const run = await runCli(dir, ['chapters/01.md', 'chapters/02.md', '-o', 'book.html'])
      expect(run.exitCode, run.stderr).toBe(0)
      expect(run.stderr).toBe('')
      expect(readFileSync(path.join(dir, 'book.html'), 'utf8')).toContain('data:image/png;base64,')
      // The cache stays where Galley runs; chapters keep their file name as their source.
      expect(existsSync(path.join(dir, '.galley-cache'))).toBe(true)
      expect(existsSync(path.join(dir, 'chapters', '.galley-cache'))).toBe(false)
    })
  }

  it('stays the folder of the inputs where Galley runs in a folder with no marker (a home directory), and says how to let the image in', async () => {
    const dir = makeProject({ 'chapters/01.md': chapter, 'images/dot.png': tinyPng })
    const run = await runCli(dir, ['chapters/01.md', '-o', 'book.html'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).toContain('is at images/dot.png, outside the project (chapters), and is not used: give --resource-path with its folder (--resource-path .), run Galley from a folder holding both that is a project\'s root (with .git')
    expect(readFileSync(path.join(dir, 'book.html'), 'utf8')).not.toContain('data:image/png')
    expect(resolveProject({ inputs: ['chapters/01.md'], cwd: dir }).dir).toBe(path.join(realpathSync(dir), 'chapters'))
  })

  it('stays the folder of the inputs when one of them is not below the folder Galley runs in', () => {
    const dir = makeProject({ 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/a.md': '# A\n', 'other/b.md': '# B\n' })
    const repo = path.join(dir, 'repo')
    expect(resolveProject({ inputs: ['a.md', '../other/b.md'], cwd: repo }).dir).toBe(realpathSync(dir))
    expect(resolveProject({ inputs: ['a.md'], cwd: repo }).dir).toBe(realpathSync(repo))
  })

  it('is the marked folder above when Galley runs beside the chapters (a build folder running on ../chapters)', () => {
    const dir = makeProject({ 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/build/Makefile': 'all:\n', 'repo/thesis/a.md': '# A\n', 'repo/graphs/x.png': tinyPng })
    expect(resolveProject({ inputs: ['../thesis/a.md'], cwd: path.join(dir, 'repo', 'build') }).dir).toBe(path.join(realpathSync(dir), 'repo'))
    // With no marked folder holding both, the inputs' folder, as before.
    const bare = makeProject({ 'build/x.txt': '', 'thesis/a.md': '# A\n' })
    expect(resolveProject({ inputs: ['../thesis/a.md'], cwd: path.join(bare, 'build') }).dir).toBe(path.join(realpathSync(bare), 'thesis'))
  })

  it('does not count a chapters folder that is a link out of the root: its project is where the link leads', () => {
    const dir = makeProject({ 'repo/Makefile': 'all:\n', 'elsewhere/chapters/a.md': '# A\n' })
    symlinkSync(path.join(dir, 'elsewhere', 'chapters'), path.join(dir, 'repo', 'chapters'))
    expect(resolveProject({ inputs: ['chapters/a.md'], cwd: path.join(dir, 'repo') }).dir).toBe(path.join(realpathSync(dir), 'elsewhere', 'chapters'))
  })

  it('keeps a galley.yaml elsewhere (-d) as the project, whatever marks the folder Galley runs in', async () => {
    const dir = makeProject({ '.git/HEAD': 'x\n', 'book/galley.yaml': 'input-files: [a.md]\n', 'book/a.md': chapter, 'images/dot.png': tinyPng })
    const result = await build({ inputs: [], config: 'book/galley.yaml', to: ['html'], cwd: dir, output: 'out.html', env: { SOURCE_DATE_EPOCH: '0' }, earlyCiteproc: false, noCache: true })
    expect(result.projectDir).toBe(path.join(realpathSync(dir), 'book'))
  })
})

