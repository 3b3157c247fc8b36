// `galley preview`: a local server shows the latest build, reloads on every save, shows a broken edit's message and
// recovers on the next good save, serves nothing but its own four addresses, and stops on request.
import { writeFileSync } from 'node:fs'
import { request } from 'node:http'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli/main.js'
import { makeProject } from './helpers/project.js'

interface Update {
  version: number
  ok: boolean
  report: string
  html: boolean
  pdf: boolean
  copies: { html: string[]; pdf: string[] }
}

/** GETs a path exactly as written (no URL normalisation, so `..` reaches the server). */
function get(port: number, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Follows the event stream; `next(test)` waits for the first update (from now on) that passes `test`. */
function follow(port: number) {
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

/** Starts `galley preview FILE --to html` on a free port; `stop` ends it, `exit` is its exit code. */
async function startPreview(dir: string, file: string): Promise<{ port: number; stderr: () => string; stop: () => void; exit: Promise<number> }> {
  let stderr = ''
  let stop: () => void = () => undefined
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  let announced: (port: number) => void = () => undefined
  const listening = new Promise<number>((resolve) => (announced = resolve))
  const exit = main(['preview', file, '--to', 'html', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text
      const port = /Preview at http:\/\/127\.0\.0\.1:(\d+)\//.exec(text)?.[1]
      if (port) announced(Number(port))
    },
    stopWatching: stopped,
  })
  return { port: await listening, stderr: () => stderr, stop, exit }
}

describe('galley preview', () => {
  it('serves the latest build, reloads on save, shows a broken edit and recovers', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: Preview\n---\n\nFirst version.\n', 'secret.txt': 'not for the browser' })
    const { port, stderr, stop, exit } = await startPreview(dir, 'paper.md')
    expect(stderr()).toContain('only this machine can open it')
    const events = follow(port)
    await events.next((update) => update.ok && update.html)
    expect((await get(port, '/document.html')).body.replaceAll('\u00AD', '')).toContain('First version.')
    const page = await get(port, '/')
    expect(page.body).toContain('new EventSource')

    writeFileSync(path.join(dir, 'paper.md'), '---\ntitle: Preview\n---\n\nSecond version.\n')
    await events.next((update) => update.ok)
    expect((await get(port, '/document.html')).body.replaceAll('\u00AD', '')).toContain('Second version.')

    writeFileSync(path.join(dir, 'paper.md'), '---\ntitle: [unclosed\n---\n\nBroken.\n')
    const broken = await events.next((update) => !update.ok)
    expect(broken.report).toMatch(/^paper\.md:2:\d+: error: YAML metadata does not parse/)
    // The last good build stays on show.
    expect((await get(port, '/document.html')).body.replaceAll('\u00AD', '')).toContain('Second version.')

    writeFileSync(path.join(dir, 'paper.md'), '---\ntitle: Preview\n---\n\nThird version.\n')
    const recovered = await events.next((update) => update.ok)
    expect(recovered.report).toBe('')
    expect((await get(port, '/document.html')).body.replaceAll('\u00AD', '')).toContain('Third version.')

    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/secret.txt', '/paper.md', '/document.html/../secret.txt', '//etc/passwd']) {
      const answer = await get(port, attempt)
      expect(answer.status, attempt).toBe(404)
      expect(answer.body).not.toContain('not for the browser')
    }
    events.close()
    stop()
    expect(await exit).toBe(0)
    await expect(get(port, '/')).rejects.toThrow()
  }, 120_000)

  it('shows every copy of a build with variants, each picked by its name', async () => {
    const dir = makeProject({
      'ps.md': '---\ntitle: Sheet\nvariants: [student, key]\n---\n\nQuestion.\n\n::: {.content-visible when-profile="key"}\nKeyanswerword.\n:::\n',
      'secret.txt': 'not for the browser',
    })
    const { port, stop, exit } = await startPreview(dir, 'ps.md')
    const events = follow(port)
    const update = await events.next((next) => next.ok && next.html)
    expect(update.copies.html).toEqual(['ps', 'ps-key'])
    const text = async (address: string): Promise<string> => (await get(port, address)).body.replaceAll('\u00AD', '')
    expect(await text('/document.html')).not.toContain('Keyanswerword')
    expect(await text('/document.html?copy=ps')).not.toContain('Keyanswerword')
    expect(await text('/document.html?copy=ps-key')).toContain('Keyanswerword')
    for (const attempt of ['/document.html?copy=../secret', '/document.html?copy=secret', '/document.pdf?copy=ps-key']) {
      expect((await get(port, attempt)).status, attempt).toBe(404)
    }
    events.close()
    stop()
    expect(await exit).toBe(0)
  }, 120_000)
})
