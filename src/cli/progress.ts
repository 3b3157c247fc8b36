// A build's progress on one live line of the terminal, and a summary when it ends; nothing at all in a pipe or CI.
import type { BuildResult } from '../build.js'
import type { OnProgress, Progress } from '../progress.js'
import type { Io } from './main.js'

export interface ProgressLine {
  /** Undefined when progress is not shown, so the build does not even call it. */
  update: OnProgress | undefined
  /** Clears the line and, after a build that succeeded, writes the summary. */
  done: (result: Pick<BuildResult, 'outputs' | 'pdf'> | undefined) => void
}

const labels: Record<Progress['stage'], string> = {
  parse: 'Reading chapters',
  read: 'Reading the bibliography and style',
  citations: 'Formatting citations',
  html: 'Making the HTML',
  epub: 'Packaging the EPUB',
  print: 'Hyphenating for print',
  browser: 'Waiting for the browser',
  layout: 'Laying out pages',
  printing: 'Printing',
  'pdf-check': 'Checking the PDF',
  write: 'Writing',
}

/**
 * Shown only on a terminal (stderr), and not with `--quiet`, in CI (`CI` set) or on a `dumb` terminal: a pipe or a
 * log gets no carriage returns or escape codes. The line is rewritten in place (`\r`, erase line).
 */
export function progressLine(io: Pick<Io, 'stderr' | 'env' | 'stderrIsTTY'>, quiet: boolean): ProgressLine {
  const ci = io.env['CI'] !== undefined && io.env['CI'] !== '' && io.env['CI'] !== 'false' && io.env['CI'] !== '0'
  if (io.stderrIsTTY !== true || quiet || ci || io.env['TERM'] === 'dumb') return { update: undefined, done: () => undefined }
  const started = performance.now()
  const seconds = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`
  let shown = false
  return {
    update(progress) {
      const count =
        progress.done !== undefined && progress.total !== undefined ? ` ${progress.done}/${progress.total}`
        : progress.done !== undefined ? `: page ${progress.done}`
        : progress.total !== undefined ? ` ${progress.total} pages`
        : ''
      io.stderr(`\r\u001b[K${seconds().padStart(7)}  ${labels[progress.stage]}${count}…`)
      shown = true
    },
    done(result) {
      if (shown) io.stderr('\r\u001b[K')
      if (!result) return
      const made = result.outputs.map((output) => (output.format === 'pdf' && result.pdf ? `PDF (${result.pdf.pages} pages)` : output.format.toUpperCase()))
      io.stderr(`Built ${[...new Set(made)].join(', ')} in ${seconds()}\n`)
    },
  }
}
