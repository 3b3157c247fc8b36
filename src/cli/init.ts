// `galley init`: a new project that builds all three outputs with no edits, from one of the templates in `templates/`.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { galleyRoot } from '../paths.js'

export const templates = ['article', 'book', 'handout', 'course'] as const
export type Template = (typeof templates)[number]

/** What `init` wrote, for the CLI to report; or why it wrote nothing. */
export type InitResult = { files: string[]; refused?: undefined } | { files?: undefined; refused: string }

/**
 * Copies a template into `dir`: `galley.yaml` (Pandoc's defaults-file keys), the manuscript, a small CSL-JSON
 * bibliography, a figure, `.gitignore` and a CI workflow. Writes nothing into a folder that is not empty.
 */
export function initProject(dir: string, template: Template): InitResult {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return { refused: `${dir} is a file, not a folder` }
    if (readdirSync(dir).length > 0) return { refused: `${dir} is not empty; Galley creates a project only in a new or empty folder` }
  }
  const source = path.join(galleyRoot, 'templates')
  const copies: [string, string][] = [
    [path.join(source, template), '.'],
    [path.join(source, 'common', 'references.json'), 'references.json'],
    [path.join(source, 'common', 'figure.svg'), 'figure.svg'],
    [path.join(source, 'common', 'gitignore'), '.gitignore'],
    [path.join(source, 'common', 'workflow.yml'), '.github/workflows/galley.yml'],
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
