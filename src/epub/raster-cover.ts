// Draws the EPUB's cover from title, subtitle and authors as a JPEG (1600×2560), in Chromium, with the book's text face.
import { readFileSync } from 'node:fs'
import type { Browser } from 'puppeteer-core'
import type { Metadata } from '../config/schema.js'
import { fontFamily, trueTypeFaces } from '../html/fonts.js'
import { escapeXml } from '../xml.js'

/** The cover page's size in CSS pixels; drawn at twice that, the 1600×2560 (1:1.6) that stores and readers ask for. */
const width = 800
const height = 1280
const scale = 2

/** The words on the cover: what the drawing depends on, and so the key of its cache entry. */
export interface CoverText {
  title: string
  subtitle: string | undefined
  authors: string[]
  lang: string
}

export function coverText(metadata: Metadata): CoverText {
  return { title: metadata.title, subtitle: metadata.subtitle, authors: metadata.author.map((author) => author.name), lang: metadata.lang }
}

/** The faces the cover uses, inlined: the page loads nothing from anywhere. */
function coverFontCss(): string {
  return trueTypeFaces
    .filter((face) => face.weight !== 700)
    .map(
      (face) => `@font-face { font-family: "${fontFamily}"; font-weight: ${face.weight}; font-style: ${face.style};
  src: url("data:font/ttf;base64,${readFileSync(face.file).toString('base64')}") format("truetype"); }`,
    )
    .join('\n')
}

/** The cover as one HTML page; every word of the book's goes in as escaped text. */
export function coverHtml(text: CoverText): string {
  const authors = text.authors.map((name) => `<p>${escapeXml(name)}</p>`).join('')
  return `<!DOCTYPE html>
<html lang="${escapeXml(text.lang)}"><head><meta charset="utf-8"><style>
${coverFontCss()}
html, body { margin: 0; width: ${width}px; height: ${height}px; overflow: hidden; background: #f4efe6; color: #2b1d12; }
body { position: relative; font-family: "${fontFamily}", serif; font-kerning: normal; }
.frame { position: absolute; inset: 36px; border: 3px solid #5a3e2b; }
.frame::after { content: ""; position: absolute; inset: 10px; border: 1px solid #5a3e2b; }
.head { position: absolute; left: 100px; right: 100px; top: 170px; height: 720px;
  display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; }
h1 { margin: 0; font-weight: 600; font-size: 92px; line-height: 1.1; text-wrap: balance; max-width: 100%; }
.rule { flex: none; width: 140px; height: 3px; margin: 60px 0 52px; background: #8a5a3b; }
.subtitle { margin: 0; font-style: italic; font-size: 46px; line-height: 1.25; text-wrap: balance; max-width: 100%; color: #4a3526; }
.authors { position: absolute; left: 100px; right: 100px; bottom: 150px; max-height: 250px; overflow: hidden; text-align: center;
  font-size: 36px; line-height: 1.45; letter-spacing: 0.12em; text-transform: uppercase; }
.authors p { margin: 0; text-wrap: balance; }
</style></head><body><div class="frame"></div>
<div class="head"><h1>${escapeXml(text.title)}</h1>${text.subtitle ? `<div class="rule"></div><p class="subtitle">${escapeXml(text.subtitle)}</p>` : ''}</div>
<div class="authors">${authors}</div>
</body></html>`
}

/**
 * Shrinks the title, then the subtitle, then the authors until each fits its box and no word is wider than its line:
 * runs in the page. A word still too wide at the smallest size is broken. Self-contained (serialized into the page),
 * so it may use nothing from this module.
 */
function fitText(): void {
  const overflows = (box: HTMLElement): boolean =>
    box.scrollHeight > box.clientHeight + 1 || [box, ...box.children].some((child) => child.scrollWidth > child.clientWidth + 1)
  // A title of more than five lines reads as a paragraph, not a title: it is set smaller before it fills the box.
  const tooManyLines = (element: HTMLElement): boolean =>
    element.tagName === 'H1' && element.getBoundingClientRect().height > 5.5 * parseFloat(getComputedStyle(element).lineHeight)
  const shrink = (box: HTMLElement, element: HTMLElement | null, smallest: number): void => {
    if (!element) return
    let size = parseFloat(getComputedStyle(element).fontSize)
    while ((overflows(box) || tooManyLines(element)) && size > smallest) {
      size *= 0.94
      element.style.fontSize = `${size}px`
    }
    if (overflows(box)) element.style.overflowWrap = 'anywhere'
  }
  const head = document.querySelector<HTMLElement>('.head')
  const authors = document.querySelector<HTMLElement>('.authors')
  if (head) {
    shrink(head, head.querySelector('h1'), 40)
    shrink(head, head.querySelector('.subtitle'), 24)
  }
  if (authors) shrink(authors, authors, 18)
}

/** The cover as JPEG bytes. The page gets no network: its only content is the HTML and the inlined faces. */
export async function rasterCover(browser: Browser, text: CoverText, timeout = 30_000): Promise<Uint8Array> {
  const page = await browser.newPage()
  try {
    await page.setRequestInterception(true)
    page.on('request', (request) => {
      void (request.url().startsWith('data:') ? request.continue() : request.abort('blockedbyclient'))
    })
    await page.setViewport({ width, height, deviceScaleFactor: scale })
    await page.setContent(coverHtml(text), { waitUntil: 'load', timeout })
    await page.evaluate(`document.fonts.ready.then(() => (${fitText.toString()})())`)
    const shot = await page.screenshot({ type: 'jpeg', quality: 90, captureBeyondViewport: false })
    return new Uint8Array(shot)
  } finally {
    await page.close().catch(() => undefined)
  }
}
