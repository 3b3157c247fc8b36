// `galley preview`: builds on every save and shows the result in a browser on this machine, the text as HTML and the
// printed pages as the PDF itself, each copy of a build with variants, reloaded as soon as a build ends; a broken edit
// is shown and the next good one recovers.
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export interface PreviewState {
  /**
   * The latest successful build's files, by kind, one per copy (`variants`: `ps.pdf`, `ps-key.pdf`; with
   * `imposition`, the booklets too), the first copy first; absent before the first build.
   */
  html?: readonly string[] | undefined
  pdf?: readonly string[] | undefined
  /** The last build's problems (file:line:col messages), empty when it was clean. */
  report: string
  ok: boolean
}

export interface PreviewServer {
  url: string
  /** Tells every open page that a build ended (it reloads, or shows the problem). */
  publish(state: PreviewState): void
  close(): Promise<void>
}

/**
 * Serves the preview on 127.0.0.1 only. Four fixed addresses and nothing else: the page, its event stream, and the
 * latest HTML and PDF (one of several copies picked by its name with `?copy=`, looked up among the files built); no
 * address is ever turned into a file path, so nothing else of the machine can be read.
 */
export async function startPreviewServer(port: number): Promise<PreviewServer> {
  let state: PreviewState = { report: '', ok: true }
  let version = 0
  const listeners = new Set<ServerResponse>()
  const server: Server = createServer((request, response) => {
    void answer(request, response)
  })
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (request.method !== 'GET') return send(response, 405, 'text/plain', 'Only GET')
    if (url.pathname === '/') return send(response, 200, 'text/html; charset=utf-8', page, pageSecurity)
    if (url.pathname === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      response.write(event(state, version))
      listeners.add(response)
      request.on('close', () => listeners.delete(response))
      return
    }
    const files = url.pathname === '/document.html' ? state.html : url.pathname === '/document.pdf' ? state.pdf : undefined
    // `?copy=NAME` picks one of the files built, by its name without the extension; never a path of its own.
    const copy = url.searchParams.get('copy')
    const file = copy === null ? files?.[0] : files?.find((candidate) => copyName(candidate) === copy)
    if (file === undefined) return send(response, 404, 'text/plain', 'Not found')
    try {
      const body = await readFile(file)
      const type = url.pathname.endsWith('.pdf') ? 'application/pdf' : 'text/html; charset=utf-8'
      return send(response, 200, type, body)
    } catch {
      return send(response, 404, 'text/plain', 'Not built yet')
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}/`,
    publish(next) {
      state = { ...next, html: next.html ?? state.html, pdf: next.pdf ?? state.pdf }
      version += 1
      for (const listener of listeners) listener.write(event(state, version))
    },
    close() {
      for (const listener of listeners) listener.end()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Opens the preview in the system's browser (`xdg-open`, `open`, `start`), never waiting for it and ignoring a failure:
 * the address is printed anyway. Not in CI, nor on a Linux machine with no display.
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv): void {
  if (env['CI'] || (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY'])) return
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url]
  try {
    const opener = spawn(command ?? 'xdg-open', args, { detached: true, stdio: 'ignore' })
    opener.on('error', () => undefined)
    opener.unref()
  } catch {
    // No opener: the printed address will do.
  }
}

function event(state: PreviewState, version: number): string {
  const html = (state.html ?? []).map(copyName)
  const pdf = (state.pdf ?? []).map(copyName)
  const data = JSON.stringify({ version, ok: state.ok, report: state.report, html: html.length > 0, pdf: pdf.length > 0, copies: { html, pdf } })
  return `data: ${data}\n\n`
}

/** A built file's name without its folder and extension (`ps-key`): how the page names a copy. */
function copyName(file: string): string {
  return path.basename(file, path.extname(file))
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, security?: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...(security ? { 'content-security-policy': security } : {}) })
  response.end(body)
}

/** The preview page's own script is the only one; the document is shown in a frame that may run none. */
const pageSecurity = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'; img-src 'self' data:"

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Galley preview</title>
<style>
  html, body { margin: 0; height: 100%; font: 14px system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  header { display: flex; gap: 0.5em; align-items: center; padding: 0.4em 0.8em; background: #2b1d12; color: #f4efe6; }
  header button { font: inherit; border: 1px solid #f4efe6; background: none; color: inherit; padding: 0.1em 0.8em; border-radius: 3px; cursor: pointer; }
  header button[aria-pressed="true"] { background: #f4efe6; color: #2b1d12; }
  header select { font: inherit; }
  header select[hidden] { display: none; }
  #status { margin-left: auto; }
  #problems { display: none; margin: 0; padding: 0.8em; background: #fff4e0; color: #5a2b00; white-space: pre-wrap; max-height: 35%; overflow: auto; font: 13px ui-monospace, monospace; }
  #problems.shown { display: block; }
  iframe { flex: 1; border: 0; width: 100%; background: #888; }
</style></head>
<body>
<header><strong>Galley</strong>
  <button id="pages" aria-pressed="true">Pages</button><button id="text" aria-pressed="false">Text</button>
  <select id="copy" title="Which copy" hidden></select>
  <span id="status">waiting for the first build…</span></header>
<pre id="problems"></pre>
<iframe id="view" title="The document" sandbox="allow-same-origin"></iframe>
<script>
  const view = document.getElementById('view')
  const status = document.getElementById('status')
  const problems = document.getElementById('problems')
  const buttons = { pages: document.getElementById('pages'), text: document.getElementById('text') }
  const picker = document.getElementById('copy')
  let mode = 'pages', last = null
  function show() {
    if (!last) return
    const wanted = mode === 'pages' && last.pdf ? 'pdf' : 'html'
    if (!last[wanted]) return
    // Each copy (variants, booklets) of the shown kind; the one picked stays picked while it exists.
    const names = last.copies[wanted]
    const picked = names.includes(picker.value) ? picker.value : names[0]
    picker.replaceChildren(...names.map((name) => new Option(name, name, false, name === picked)))
    picker.hidden = names.length < 2
    // The PDF is shown by the browser's own viewer, which a sandboxed frame would block; HTML stays sandboxed.
    if (wanted === 'pdf') view.removeAttribute('sandbox'); else view.setAttribute('sandbox', 'allow-same-origin')
    view.src = '/document.' + wanted + '?copy=' + encodeURIComponent(picked) + '&v=' + last.version
  }
  picker.onchange = show
  for (const [name, button] of Object.entries(buttons)) button.onclick = () => {
    mode = name
    for (const [other, b] of Object.entries(buttons)) b.setAttribute('aria-pressed', String(other === name))
    show()
  }
  new EventSource('/events').onmessage = (message) => {
    const state = JSON.parse(message.data)
    problems.textContent = state.report
    problems.className = state.report ? 'shown' : ''
    status.textContent = state.ok ? 'up to date' : 'the last edit did not build: showing the last good build'
    if (state.ok && (state.html || state.pdf)) { last = state; show() }
  }
</script>
</body></html>
`
