// The build's one browser: started once however many outputs ask, a kept one (watch mode) never closed by the build.
import type { Browser } from 'puppeteer-core'
import { describe, expect, it } from 'vitest'
import { resolveMetadata } from '../src/config/metadata.js'
import { ownBrowser } from '../src/output/browser.js'

describe('ownBrowser', () => {
  it('starts a kept browser once, from the command line\'s metadata, and leaves it open', async () => {
    let closed = 0
    const fake = { close: async () => void (closed += 1) } as unknown as Browser
    const asked: (string | undefined)[] = []
    const runner = resolveMetadata([new Map([['browser', { value: '/opt/chromium', place: { file: '-M browser' }, baseDir: '/', trusted: true }]])])
    const owner = ownBrowser({ runner, env: {}, timeout: undefined, kept: async (metadata) => (asked.push(metadata.browser), fake) })
    owner.start()
    expect(await owner.get()).toBe(fake)
    expect(await owner.get()).toBe(fake)
    await owner.close()
    expect(asked).toEqual(['/opt/chromium'])
    expect(closed).toBe(0)
  })

  it('tells a browser that cannot start where it is awaited, not where it was started', async () => {
    const owner = ownBrowser({ runner: resolveMetadata([]), env: { GALLEY_BROWSER: '/nonexistent/chromium' }, timeout: undefined })
    owner.start()
    await expect(owner.get()).rejects.toThrow(/The browser \/nonexistent\/chromium does not exist/)
    await owner.close()
  })
})
