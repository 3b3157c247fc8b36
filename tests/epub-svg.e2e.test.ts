// SVG images as drawing programs write them (an SVG 1.1 DOCTYPE, diagrams.net's `content` copy) in a valid EPUB.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { epubSvg } from '../src/epub/epub-svg.js'
import { makeProject } from './helpers/project.js'
import { epubcheck } from './helpers/tools.js'

const doctype = '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
const drawing = '<rect width="40" height="20"/></svg>'
const inkscape = `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">${drawing}`
const drawio = `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" content="&lt;mxfile a=&quot;b > c&quot;&gt;" viewBox="0 0 40 20">${drawing}`

describe('SVG images in the EPUB', () => {
  it('lose the DOCTYPE and the diagrams.net copy, and nothing else', () => {
    expect(epubSvg(Buffer.from(inkscape)).toString()).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">${drawing}`)
    expect(epubSvg(Buffer.from(drawio)).toString()).toBe(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">${drawing}`)
    // Entities declared in the DOCTYPE may be used in the drawing: kept.
    const entities = `<!DOCTYPE svg [ <!ENTITY ns "http://www.w3.org/2000/svg"> ]>\n<svg xmlns="&ns;">${drawing}`
    expect(epubSvg(Buffer.from(entities)).toString()).toBe(entities)
  })

  it.skipIf(!existsSync('/usr/share/java/epubcheck.jar'))('pass epubcheck', async () => {
    const dir = makeProject({ 'paper.md': '---\ntitle: Drawings\n---\n\n![A box](box.svg)\n\n![A diagram](diagram.svg)\n', 'box.svg': inkscape, 'diagram.svg': drawio })
    await build({ inputs: ['paper.md'], to: ['epub'], cwd: dir, env: { SOURCE_DATE_EPOCH: '0' }, noCache: true })
    expect(epubcheck(path.join(dir, 'dist', 'paper.epub')).messages).toEqual([])
  })
})
