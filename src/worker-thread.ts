// Starting a worker thread from a compiled script beside its module (citeproc's, the PDF check's), with the
// process's Node options less those a worker refuses.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

/**
 * The worker of `script`, or undefined when there is none to start: running from the TypeScript sources, which have no
 * worker script, or no thread to be had. The caller then does the work on its own thread.
 */
export function startWorker(script: URL): Worker | undefined {
  if (!existsSync(fileURLToPath(script))) return undefined
  try {
    return new Worker(script, { execArgv: workerExecArgv(process.execArgv) })
  } catch {
    return undefined
  }
}

/**
 * The process's own options, less `--input-type` (`node --input-type=module -e …`), which would stop a worker loading
 * a file, and `--v8-pool-size`, which Node refuses in a worker (the CLI sets it; the thread pool is the process's and
 * the worker shares it).
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const refused = new Set(['--input-type', '--v8-pool-size'])
  // Node takes `--v8_pool_size` too, and `--input-type module` as two words.
  const name = (option: string | undefined): string => (option ?? '').split('=')[0]?.replaceAll('_', '-') ?? ''
  return execArgv.filter((option, i) => !refused.has(name(option)) && !(refused.has(name(execArgv[i - 1])) && !execArgv[i - 1]?.includes('=')))
}
