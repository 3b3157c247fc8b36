// `galley preview`: a local server shows the latest build, reloads on every save, shows a broken edit's message and
// recovers on the next good save, serves nothing but its own four addresses, and stops on request.
import { symlinkSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { follow, get, startPreview } from './helpers/preview.js'
import { makeProject } from './helpers/project.js'

describe('galley preview', () => {
  it('serves the latest build, reloads on save, shows a broken edit and recovers', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: Preview\n---\n\nFirst version.\n', 'secret.txt': 'not for the browser' })
    const preview = await startPreview(dir, ['paper.md', '--to', 'html'])
    const { port } = preview
    expect(preview.stderr()).toContain('only this machine can open it')
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
    expect(await preview.stop()).toBe(0)
    await expect(get(port, '/')).rejects.toThrow()
  }, 120_000)

  it('shows every copy of a build with variants, each picked by its name', async () => {
    const dir = makeProject({
      'ps.md': '---\ntitle: Sheet\nvariants: [student, key]\n---\n\nQuestion.\n\n::: {.content-visible when-profile="key"}\nKeyanswerword.\n:::\n',
      'secret.txt': 'not for the browser',
    })
    const preview = await startPreview(dir, ['ps.md', '--to', 'html'])
    const { port } = preview
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
    expect(await preview.stop()).toBe(0)
  }, 120_000)
})

describe('galley preview, its reach', () => {
  it('shows a broken bibliography at its line, recovers, and answers on the loopback address alone', async () => {
    const refs = '[{"id": "doe2020", "type": "book", "title": "A Book", "author": [{"family": "Doe"}], "issued": {"date-parts": [[2020]]}}]\n'
    const dir = makeProject({ 'paper.md': '---\ntitle: Preview\nbibliography: refs.json\n---\n\nAs @doe2020 says.\n', 'refs.json': refs })
    // A link inside the project to a file outside it.
    symlinkSync('/etc/hostname', path.join(dir, 'link.txt'))
    const preview = await startPreview(dir, ['paper.md', '--to', 'html'])
    const { port } = preview
    const events = follow(port)
    await events.next((update) => update.ok && update.html)

    writeFileSync(path.join(dir, 'refs.json'), refs.replace('"title": "A Book",', '"title": "A Book"\n'))
    const broken = await events.next((update) => !update.ok)
    expect(broken.report).toMatch(/^refs\.json:2:\d+: error: /)
    writeFileSync(path.join(dir, 'refs.json'), refs)
    expect((await events.next((update) => update.ok)).report).toBe('')
    expect((await get(port, '/document.html')).body).toContain('Doe')

    for (const attempt of ['/link.txt', '/%2Fetc%2Fhostname', '/..%2f..%2fetc%2fhostname', '/document.html%00/../link.txt']) expect((await get(port, attempt)).status, attempt).toBe(404)
    // Nothing listens on the machine's other addresses (IPv6 loopback included): only 127.0.0.1.
    const others = Object.values(networkInterfaces())
      .flat()
      .flatMap((address) => (address && !address.address.startsWith('127.') ? [address.address] : []))
    for (const host of others) {
      const refused = await new Promise<string>((resolve) => {
        const socket = connect({ host, port }, () => {
          socket.destroy()
          resolve('connected')
        })
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
      })
      expect(refused, host).not.toBe('connected')
    }
    events.close()
    expect(await preview.stop()).toBe(0)
  }, 120_000)
})
