// Talks to a running `galley preview` as a page would: GETs and its event stream.
import { request } from 'node:http'
import { main } from '../../src/cli/main.js'

export interface Update {
  version: number
  ok: boolean
  report: string
  html: boolean
  pdf: boolean
  /** The copies built (variants, booklets), by name. */
  copies: { html: string[]; pdf: string[] }
}

/** GETs a path exactly as written (no URL normalisation, so `..` reaches the server). */
export function get(port: number, rawPath: string): Promise<{ status: number; body: string; bytes: Buffer; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const bytes = Buffer.concat(chunks)
        resolve({ status: response.statusCode ?? 0, body: bytes.toString(), bytes, type: String(response.headers['content-type']) })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/** Follows the event stream; `next(test)` waits for the first update (from now on) that passes `test`. */
export function follow(port: number) {
  const seen: Update[] = []
  const waiters: { from: number; test: (update: Update) => boolean; resolve: (update: Update) => void }[] = []
  const req = request({ host: '127.0.0.1', port, path: '/events' }, (response) => {
    let buffer = ''
    response.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const update = JSON.parse(buffer.slice(0, end).replace(/^data: /, '')) as Update
        buffer = buffer.slice(end + 2)
        seen.push(update)
        for (const waiter of [...waiters]) {
          if (seen.length > waiter.from && waiter.test(update)) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve(update)
          }
        }
      }
    })
  })
  req.end()
  return {
    next: (test: (update: Update) => boolean): Promise<Update> => new Promise((resolve) => waiters.push({ from: seen.length, test, resolve })),
    close: () => req.destroy(),
  }
}

/** `galley preview ARGS --port 0 --no-open` in `dir`, through the CLI's `main`; resolves once it listens. */
export async function startPreview(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ port: number; stderr: () => string; stop: () => Promise<number> }> {
  let stderr = ''
  let stop: () => void = () => undefined
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  let announced: (port: number) => void = () => undefined
  const listening = new Promise<number>((resolve) => (announced = resolve))
  const exit = main(['preview', ...args, '--port', '0', '--no-open'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text
      const port = /Preview at http:\/\/127\.0\.0\.1:(\d+)\//.exec(text)?.[1]
      if (port) announced(Number(port))
    },
    stopWatching: stopped,
  })
  const port = await Promise.race([listening, exit.then((code) => Promise.reject(new Error(`preview exited ${code}: ${stderr}`)))])
  return {
    port,
    stderr: () => stderr,
    stop: () => {
      stop()
      return exit
    },
  }
}
