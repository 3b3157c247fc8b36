// `galley check`: everything a build would warn about plus the publication audit, as text or as JSON for CI.
import { parseArgs } from 'node:util'
import { reporter } from 'vfile-reporter'
import { formatError, GalleyError } from '../errors.js'
import { standardInputText, type Io } from './main.js'

const usage = `Usage: galley check [FILE.md...] [options]   (- or no file: standard input, when it is not a terminal)

Reads the document as a build does, writes nothing, and reports each problem at file:line:column with its rule id:
what the build warns about, and internal links that lead nowhere, images too coarse to print (under 150 dpi; under
300 dpi as a note), images without a description, words or code too long for a line, headings that skip a level,
bibliography entries nobody cites (a note). Exit code 1 when there is an error, 0 otherwise.

Options:
      --format FORMAT     text (default) or json: [{file, line, column, rule, severity, message}]
      --pdf               also make the PDF (in memory) and report what its self-check finds, at the source lines
      --bibliography FILE CSL-JSON, CSL-YAML or BibTeX; repeatable
      --csl STYLE         CSL style file or name
  -M, --metadata K=V      set a metadata key, as in Pandoc; repeatable
  -d, --defaults FILE     a YAML config file (default: galley.yaml if present)
      --no-cache          parse and format citations afresh
  -h, --help              show this help`

export async function checkCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        pdf: { type: 'boolean' },
        bibliography: { type: 'string', multiple: true },
        csl: { type: 'string' },
        metadata: { type: 'string', short: 'M', multiple: true },
        defaults: { type: 'string', short: 'd' },
        'no-cache': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    io.stderr(`galley check: ${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`)
    return 64
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout(`${usage}\n`)
    return 0
  }
  const format = values.format ?? 'text'
  if (format !== 'text' && format !== 'json') {
    io.stderr(`galley check: --format is text or json, not "${format}"\n`)
    return 64
  }
  const metadata = [...(values.metadata ?? []), ...(values.bibliography ?? []).map((file) => `bibliography=${file}`), ...(values.csl ? [`csl=${values.csl}`] : [])]
  const { check } = await import('../check/run-check.js')
  let result
  try {
    const stdin = await standardInputText(io, positionals, values.defaults)
    result = await check({ inputs: positionals, stdin, metadata, config: values.defaults, noCache: values['no-cache'], pdf: values.pdf === true, cwd: io.cwd, env: io.env })
  } catch (error) {
    if (!(error instanceof GalleyError)) throw error
    io.stderr(`${formatError(error, io.cwd)}\n`)
    return error.exitCode
  }
  const errors = result.findings.filter((finding) => finding.severity === 'error').length
  if (format === 'json') {
    io.stdout(`${JSON.stringify(result.findings, null, 2)}\n`)
  } else if (result.findings.length === 0) {
    io.stdout('No problems found.\n')
  } else {
    io.stdout(`${reporter(result.files, { quiet: true, color: !io.env['NO_COLOR'] && io.stdoutIsTTY === true })}\n`)
  }
  return errors > 0 ? 1 : 0
}
