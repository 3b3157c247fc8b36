// The self-check's page text read in a worker thread: the same runs as read here, and read here after all when the
// thread is gone. The thread needs the compiled worker script, so these tests run
// what `npm run compile` made (lib/), as `npm test` does after compiling.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { openPageText } from '../src/pdf/page-text.js'

const { PageTextThread } = (await import('../lib/pdf/page-text.js' as string)) as typeof import('../src/pdf/page-text.js')

async function threePages(): Promise<Uint8Array> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  document.addPage([300, 400]).drawText('Contents', { x: 40, y: 300, font })
  document.addPage([300, 400]).drawText('Chapter one', { x: 50, y: 200, font })
  document.addPage([300, 400]).drawText('12', { x: 140, y: 30, font })
  return document.save()
}

describe('the page text of the self-check', () => {
  it('is read in a thread as it is read here', async () => {
    const bytes = await threePages()
    const thread = PageTextThread.spawn()
    expect(thread).toBeDefined()
    const text = thread?.open(bytes)
    const inThread = await text?.read([3, 1])
    await text?.close()
    const here = openPageText(bytes)
    const inHere = await here.read([1, 3])
    await here.close()
    expect(inThread).toEqual(inHere)
    expect([...(inThread ?? [])].map(([page, runs]) => [page, runs.map((run) => [run.str, Math.round(run.x), Math.round(run.y)])])).toEqual([
      [1, [['Contents', 40, 300]]],
      [3, [['12', 140, 30]]],
    ])
  })

  it('keeps the process alive while the thread reads, when nothing else would', () => {
    const library = new URL('../lib/pdf/page-text.js', import.meta.url).href
    const script = [
      "const { PDFDocument, StandardFonts } = await import('pdf-lib')",
      `const { PageTextThread } = await import(${JSON.stringify(library)})`,
      'const document = await PDFDocument.create()',
      "document.addPage().drawText('Alone', { x: 40, y: 300, font: await document.embedFont(StandardFonts.Helvetica) })",
      'const text = PageTextThread.spawn().open(await document.save())',
      'const pages = await text.read([1])',
      'console.log(pages.get(1).map((run) => run.str).join())',
      'await text.close()',
    ].join('\n')
    const cwd = fileURLToPath(new URL('..', import.meta.url))
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' })).toBe('Alone\n')
  })

  it('gives the same text when it has read pages ahead as when it reads only those asked for', async () => {
    const bytes = await threePages()
    const ahead = openPageText(bytes, { readAhead: true })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const asked = openPageText(bytes)
    expect(await ahead.read([2, 3])).toEqual(await asked.read([2, 3]))
    await Promise.all([ahead.close(), asked.close()])
  })

  it('is read here when the thread has ended', async () => {
    const bytes = await threePages()
    const thread = PageTextThread.spawn()
    const text = thread?.open(bytes)
    await thread?.close()
    const pages = await text?.read([2])
    expect(pages?.get(2)?.map((run) => run.str)).toEqual(['Chapter one'])
  })
})
