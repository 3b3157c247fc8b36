// Runs one golden fixture folder through Galley: the HTML of <main>, the messages, or the fatal error.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toHtml } from 'hast-util-to-html'
import { visit } from 'unist-util-visit'
import { build } from '../../src/build.js'
import { main } from '../../src/cli/main.js'

export interface FixtureMessage {
  file: string
  line: number | undefined
  column: number | undefined
  ruleId: string | undefined
  reason: string
}

export interface FixtureResult {
  /** `<main>` of the HTML output, one block per line, soft hyphens removed. */
  html?: string
  messages?: FixtureMessage[]
  error?: { exitCode: number; stderr: string }
}

/** Extra CLI-style arguments for a fixture live in `args.json` (e.g. `["-M", "link-citations=true"]`). */
export async function runFixture(dir: string): Promise<FixtureResult> {
  const argsFile = path.join(dir, 'args.json')
  const args = existsSync(argsFile) ? (JSON.parse(readFileSync(argsFile, 'utf8')) as string[]) : []
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'galley-fixture-')), 'out.html')
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
  if (existsSync(path.join(dir, 'expected-error.json'))) {
    let stderr = ''
    const exitCode = await main(['build', 'input.md', '--to', 'html', '-o', out, ...args], {
      cwd: dir,
      env,
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text
      },
    })
    return { error: { exitCode, stderr: stderr.trim() } }
  }
  const metadata: string[] = []
  let csl: string | undefined
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-M') metadata.push(args[++i] ?? '')
    else if (args[i] === '--csl') csl = args[++i]
    else if (args[i] === '--bibliography') metadata.push(`bibliography=${args[++i] ?? ''}`)
  }
  if (csl) metadata.push(`csl=${csl}`)
  const result = await build({ inputs: ['input.md'], to: ['html'], output: out, cwd: dir, env, metadata })
  const messages = result.files.flatMap((file) =>
    file.messages.map((message) => ({
      file: file.path,
      line: message.line,
      column: message.column,
      ruleId: message.ruleId,
      reason: message.reason,
    })),
  )
  return { html: mainHtml(readFileSync(out, 'utf8')), messages }
}

/** The body text of the document, normalised for reading in a diff. */
export function mainHtml(document: string): string {
  const tree = fromHtml(document.replaceAll('\u00AD', ''))
  let mainElement: Element | undefined
  visit(tree, 'element', (node) => {
    if (node.tagName === 'main') mainElement = node
  })
  if (!mainElement) throw new Error('no <main> in the output')
  const root: Root = { type: 'root', children: mainElement.children }
  return toHtml(root)
    .replace(/>\s*(<(?:p|div|h[1-6]|section|li|ol|ul|table|figure|blockquote|hr)\b)/g, '>\n$1')
    .trim()
}
