// The parse cache: an unchanged chapter is read from `.galley-cache/parse`, a changed one is parsed again, and the
// build's output and messages are the same either way.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { makeProject, tinyPng } from './helpers/project.js'

const env = { SOURCE_DATE_EPOCH: '1700000000' }

function entries(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, '.galley-cache', 'parse')).sort()
  } catch {
    return []
  }
}

async function htmlOf(dir: string, inputs: string[], noCache = false): Promise<{ html: string; messages: string[] }> {
  const result = await build({ inputs, to: ['html'], cwd: dir, output: 'out.html', env, noCache })
  const messages = result.files.flatMap((file) => file.messages.map((message) => `${file.path}:${message.line}:${message.column} ${message.ruleId} ${message.reason}`))
  return { html: readFileSync(path.join(dir, 'out.html'), 'utf8').replaceAll('\u00AD', ''), messages }
}

describe('parse cache', () => {
  it('parses only the chapter that changed, and the output equals a build without the cache', async () => {
    const dir = makeProject({
      'one.md': '---\ntitle: Cached\n---\n\n# One\n\nFirst chapter.[^a]\n\n[^a]: A note.\n',
      'two.md': '# Two\n\nSecond chapter.\n',
    })
    const first = await htmlOf(dir, ['one.md', 'two.md'])
    expect(entries(dir)).toHaveLength(2)
    const again = await htmlOf(dir, ['one.md', 'two.md'])
    expect(again).toEqual(first)
    expect(entries(dir)).toHaveLength(2)

    const before = entries(dir)
    writeFileSync(path.join(dir, 'two.md'), '# Two\n\nSecond chapter, edited.\n')
    const edited = await htmlOf(dir, ['one.md', 'two.md'])
    expect(edited.html).toContain('Second chapter, edited.')
    const after = entries(dir)
    expect(after).toHaveLength(3)
    expect(after.filter((entry) => !before.includes(entry))).toHaveLength(1)
    // Front matter comes back from the cache too: the title is still known.
    expect(edited.html).toContain('<title>Cached</title>')
    expect(edited).toEqual(await htmlOf(dir, ['one.md', 'two.md'], true))
  })

  it('gives back the messages of a cached parse, and parses again when an image it looked for appears', async () => {
    const dir = makeProject({ 'ms.md': '---\ntitle: Images\n---\n\nText.\n\n![A figure](fig.png)\n\n[bad](javascript:alert(1))\n' })
    const first = await htmlOf(dir, ['ms.md'])
    expect(first.messages).toEqual([
      expect.stringMatching(/^ms\.md:9:1 unsafe-link Link to javascript:alert\(1\) removed/),
      expect.stringMatching(/^ms\.md:7:1 missing-resource Image fig\.png not found/),
    ])
    expect(await htmlOf(dir, ['ms.md'])).toEqual(first)
    expect(entries(dir)).toHaveLength(1)

    writeFileSync(path.join(dir, 'fig.png'), tinyPng)
    const withImage = await htmlOf(dir, ['ms.md'])
    expect(withImage.messages).toEqual([expect.stringMatching(/unsafe-link/)])
    expect(withImage.html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="A figure"/)

    rmSync(path.join(dir, 'fig.png'))
    expect((await htmlOf(dir, ['ms.md'])).messages).toEqual(first.messages)
  })

  it('writes nothing with --no-cache', async () => {
    const dir = makeProject({ 'ms.md': '---\ntitle: None\n---\n\nText.\n' })
    await htmlOf(dir, ['ms.md'], true)
    expect(entries(dir)).toEqual([])
  })
})
