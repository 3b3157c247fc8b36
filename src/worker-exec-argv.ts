// The Node options a worker thread is started with.

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
