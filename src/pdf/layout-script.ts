// The layout passes as one browser script: `layout/` bundled by esbuild into an IIFE that defines `galleyLayout`.
// `npm run compile` writes it beside the library's bundle (`scripts/bundle.mjs`); code run from elsewhere (the
// TypeScript sources under vitest, the benchmark's own compile) has no such file and bundles the sources on first use.
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { galleyRoot } from '../paths.js'

/** The global the script defines, and the name of its file beside the library's bundle. */
export const layoutGlobal = 'galleyLayout'
export const layoutScriptFile = 'page-layout.js'

/** The text, read or bundled once per process (watch mode prints many times); it never changes while Galley runs. */
let script: Promise<string> | undefined

/** The script's text: the bundled file when there is one, else the sources bundled now (once per process). */
export function layoutScript(): Promise<string> {
  script ??= loadScript()
  return script
}

async function loadScript(): Promise<string> {
  const bundled = fileURLToPath(new URL(`./${layoutScriptFile}`, import.meta.url))
  if (existsSync(bundled)) return readFile(bundled, 'utf8')
  return bundleLayout()
}

/** Bundles `src/pdf/layout/index.ts` with esbuild (a development dependency: an installed Galley has the file). */
export async function bundleLayout(): Promise<string> {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [path.join(galleyRoot, 'src', 'pdf', 'layout', 'index.ts')],
    bundle: true,
    format: 'iife',
    globalName: layoutGlobal,
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  })
  const [file] = result.outputFiles
  if (!file) throw new Error('esbuild wrote no layout script')
  return file.text
}
