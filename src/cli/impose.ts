// `galley impose`: a PDF in, its pages laid out as a booklet, 2-up or 4-up out; messages and exit codes.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { GalleyError, InputError, UsageError } from '../errors.js'
import { checkTargets, writeOutputs } from '../output/write-outputs.js'
import { impose, imposedPath, layouts, readPdf, sheets, type Layout, type SheetName } from '../pdf/impose.js'
import { exitCodes, type Io } from './main.js'

export const imposeUsage = `Usage: galley impose IN.pdf [-o OUT.pdf] [options]

Lays the pages of a PDF out on sheets for printing, as vectors (text, fonts and drawing unchanged).

Options:
  -l, --layout LAYOUT     booklet (default): saddle-stitched, print duplex flipped on the short edge, fold, staple;
                          2up or 4up: pages in reading order, two or four to a side
  -o, --output FILE       the imposed PDF (default: IN-LAYOUT.pdf beside IN.pdf)
      --sheet SHEET       a4, a3, letter or tabloid (default: the smallest that holds the pages at full size:
                          A5 pages → A4, A4 → A3, Letter → Tabloid for a booklet; the page's own size for 2up, 4up)
      --signature N       booklet in stitched signatures of N pages (a multiple of 4), blanks at the end
      --guides            a dashed fold line (booklet) or cut lines (2up, 4up)
  -q, --quiet             report only problems
  -h, --help              show this help`

/** Runs `galley impose` with the arguments after `impose`. */
export async function imposeCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        layout: { type: 'string', short: 'l' },
        output: { type: 'string', short: 'o' },
        sheet: { type: 'string' },
        signature: { type: 'string' },
        guides: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    io.stderr(`galley impose: ${error instanceof Error ? error.message : String(error)}\n\n${imposeUsage}\n`)
    return exitCodes.usage
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout(`${imposeUsage}\n`)
    return exitCodes.ok
  }
  try {
    const input = positionals[0]
    if (input === undefined || positionals.length > 1) {
      throw new UsageError(input === undefined ? 'name the PDF to impose: galley impose IN.pdf -o OUT.pdf' : `impose takes one PDF, got ${positionals.length}: ${positionals.join(', ')}`)
    }
    const layout = values.layout ?? 'booklet'
    if (!isLayout(layout)) throw new UsageError(`unknown layout "${layout}"; use booklet, 2up or 4up`)
    const sheet = values.sheet?.toLowerCase()
    if (sheet !== undefined && !isSheet(sheet)) throw new UsageError(`unknown sheet "${values.sheet ?? ''}"; use a4, a3, letter or tabloid`)
    const signature = values.signature === undefined ? undefined : Number(values.signature)
    if (signature !== undefined && !/^\d+$/.test(values.signature ?? '')) throw new UsageError(`--signature must be a multiple of 4 (4, 8, 12, 16…), got "${values.signature ?? ''}"`)
    const source = path.resolve(io.cwd, input)
    const output = path.resolve(io.cwd, values.output ?? imposedPath(input, layout))
    const shown = (file: string): string => path.relative(io.cwd, file) || file
    // Refused before any work: an output that is the input, a directory, a device or a link.
    checkTargets([output], [source])
    const document = await readPdf(await readInput(source, shown(source)), shown(source))
    const started = performance.now()
    const imposed = await impose(document, { layout, sheet, signature, guides: values.guides === true, date: sourceDate(io.env) })
    const bytes = await imposed.document.save()
    writeOutputs([{ path: output, bytes }])
    if (!values.quiet) {
      const pages = document.getPageCount()
      const orientation = imposed.landscape ? 'landscape' : 'portrait'
      const scale = Math.abs(imposed.scale - 1) < 0.005 ? 'full size' : `at ${Math.round(imposed.scale * 100)}%`
      io.stdout(
        `${shown(output)}  ${layout}, ${pages} pages on ${imposed.sides} ${imposed.sheet.toUpperCase()} ${orientation} sides ${scale}` +
          `${imposed.blanks > 0 ? `, ${imposed.blanks} blank` : ''}, ${Math.round(performance.now() - started)} ms\n`,
      )
    }
    return exitCodes.ok
  } catch (error) {
    if (error instanceof GalleyError) {
      // The output as the user named it, not the absolute path the checks were given.
      const message = values.output === undefined ? error.message : error.message.replace(path.resolve(io.cwd, values.output), values.output)
      io.stderr(`galley impose: ${message}\n`)
      return error.exitCode
    }
    io.stderr(`galley: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return exitCodes.internal
  }
}

async function readInput(file: string, shown: string): Promise<Uint8Array> {
  try {
    return await readFile(file)
  } catch (error) {
    const code = (error as { code?: string }).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(error)
    throw new InputError(`Cannot read ${shown}: ${reason}`, { file: shown })
  }
}

/** `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible output; else now. */
function sourceDate(env: NodeJS.ProcessEnv): Date {
  const epoch = env['SOURCE_DATE_EPOCH']
  return epoch !== undefined && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date()
}

function isLayout(value: string): value is Layout {
  return (layouts as readonly string[]).includes(value)
}

function isSheet(value: string): value is SheetName {
  return Object.hasOwn(sheets, value)
}
