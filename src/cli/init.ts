// `galley init`: a new project that builds all three outputs with no edits, from one of the templates in `templates/`.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { galleyRoot } from '../paths.js'

export const templates = ['article', 'book', 'handout', 'course'] as const
export type Template = (typeof templates)[number]

/** Where the project's CI file goes, by the service that runs it (`none`: no CI file). */
export const ciFiles = {
  github: { template: 'workflow.yml', path: '.github/workflows/galley.yml' },
  gitlab: { template: 'gitlab-ci.yml', path: '.gitlab-ci.yml' },
  none: undefined,
} as const
export type Ci = keyof typeof ciFiles

export function isCi(name: string): name is Ci {
  return Object.hasOwn(ciFiles, name)
}

/** What `init` wrote, for the CLI to report; or why it wrote nothing. */
export type InitResult = { files: string[]; refused?: undefined } | { files?: undefined; refused: string }

/**
 * Copies a template into `dir`: `galley.yaml` (Pandoc's defaults-file keys), the manuscript, a small CSL-JSON
 * bibliography, a figure, `.gitignore` and a CI file that builds on every push (GitHub Actions by default, GitLab
 * CI, or none). Writes nothing into a folder that is not empty.
 */
export function initProject(dir: string, template: Template, ci: Ci = 'github'): InitResult {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return { refused: `${dir} is a file, not a folder` }
    if (readdirSync(dir).length > 0) return { refused: `${dir} is not empty; Galley creates a project only in a new or empty folder` }
  }
  const source = path.join(galleyRoot, 'templates')
  const ciFile = ciFiles[ci]
  const copies: [string, string][] = [
    [path.join(source, template), '.'],
    [path.join(source, 'common', 'references.json'), 'references.json'],
    [path.join(source, 'common', 'figure.svg'), 'figure.svg'],
    [path.join(source, 'common', 'gitignore'), '.gitignore'],
    ...(ciFile ? [[path.join(source, 'common', ciFile.template), ciFile.path] as [string, string]] : []),
  ]
  mkdirSync(dir, { recursive: true })
  for (const [from, to] of copies) cpSync(from, path.join(dir, to), { recursive: true, errorOnExist: true, force: false })
  return { files: listFiles(dir).map((file) => path.relative(dir, file)).sort() }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? listFiles(full) : [full]
  })
}
