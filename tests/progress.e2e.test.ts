// Progress of a PDF build on a terminal: the layout pass's pages as they are laid out, then the printing.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeProject } from './helpers/project.js'

const galley = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'galley.js')
const hasScript = spawnSync('script', ['--version']).status === 0

describe('PDF build progress', () => {
  it.runIf(hasScript)('counts the pages the layout pass lays out, and names the page count printed', () => {
    const paragraphs = Array.from({ length: 60 }, (_, index) => `Paragraph ${index + 1}. ${'Words that fill the page. '.repeat(12)}`).join('\n\n')
    const dir = makeProject({ 'doc.md': `---\ntitle: Pages\n---\n\n${paragraphs}\n` })
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm', NO_COLOR: '1' }
    delete env['CI']
    const run = spawnSync('script', ['-qec', `node ${galley} build doc.md --to pdf`, '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 })
    expect(run.status).toBe(0)
    const pages = Number(/Built PDF \((\d+) pages\)/.exec(run.stdout)?.[1])
    expect(pages).toBeGreaterThan(2)
    for (let page = 1; page <= pages; page++) expect(run.stdout).toContain(`Laying out pages: page ${page}…`)
    expect(run.stdout).toContain(`Printing ${pages} pages…`)
  }, 120_000)
})
