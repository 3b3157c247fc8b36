// Fuzzing the trust model: whatever a document's front matter, links and attributes say, the HTML and EPUB hold no
// script, no event handler, no unsafe link and nothing fetched from outside the project.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { GalleyError } from '../src/errors.js'
import { visit } from '../src/tree-visit.js'
import { makeProject, tinyPng } from './helpers/project.js'

/** Pieces an attacker strings together. */
const fragments = [
  '<script>alert(1)</script>', '</style>', '</title>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', 'JaVaScRiPt:x',
  'vbscript:x', 'data:text/html,<b>', 'file:///etc/passwd', 'http://127.0.0.1:9/x', '//127.0.0.1/x', 'url(http://127.0.0.1/x)',
  '"', "'", '`', '<', '>', '&', '&#x6A;', '\\', '{', '}', '}', ';', ':', '=', ' ', '\n', '\t', 'onload=x', 'style=x', '%', 'pt',
  '11', '@import', 'expression(x)', '../', 'dot.png', '#top', 'a', 'é',
]
const hostile = fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''))

const yamlString = (value: string): string => JSON.stringify(value)

/** Elements and attributes nothing in a document may produce. */
const forbidden = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'applet', 'base', 'form', 'portal'])
const safeHref = /^(?:https?:|mailto:|tel:|ftp:|#|[^:]*$)/i
const safeSrc = /^(?:data:image\/(?:png|jpeg|gif|webp|svg\+xml)[;,]|[^:]*$)/i

function problemsIn(html: string, where: string): string[] {
  const problems: string[] = []
  const tree: Root = fromHtml(html)
  visit(tree, 'element', (node: Element) => {
    if (forbidden.has(node.tagName)) problems.push(`${where}: <${node.tagName}>`)
    if (node.tagName === 'meta' && node.properties['httpEquiv'] !== undefined && String(node.properties['httpEquiv']).toLowerCase() !== 'content-security-policy') {
      problems.push(`${where}: <meta http-equiv=${String(node.properties['httpEquiv'])}>`)
    }
    if (node.tagName === 'style') {
      // Fonts come inline; text in CSS strings (running heads) is text. Anything else that loads is a problem.
      const css = node.children
        .map((child) => (child.type === 'text' ? child.value : ''))
        .join('')
        .replace(/url\(\s*"data:[^"]*"\s*\)/g, '')
        .replace(/"(?:[^"\\]|\\.)*"/g, '""')
      if (/url\(|@import|expression\(/i.test(css)) problems.push(`${where}: remote CSS in <style>`)
    }
    for (const [name, value] of Object.entries(node.properties)) {
      const text = Array.isArray(value) ? value.join(' ') : String(value)
      if (/^on/i.test(name)) problems.push(`${where}: ${name} on <${node.tagName}>`)
      if (name === 'href' && node.tagName !== 'link' && !safeHref.test(text.replace(/[\u0000-\u0020]/g, ''))) problems.push(`${where}: href ${text}`)
      if (name === 'href' && node.tagName === 'link' && text !== 'style.css') problems.push(`${where}: link ${text}`)
      if (name === 'src' && !safeSrc.test(text)) problems.push(`${where}: src ${text}`)
      if (name === 'style' && /url\(|expression|@import/i.test(text)) problems.push(`${where}: style ${text}`)
    }
  })
  return problems
}

describe('untrusted documents (fuzzed)', () => {
  it('no front matter, link or attribute value puts script, handlers, unsafe links or remote fetches in the output', async () => {
    let built = 0
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, hostile, hostile, async (title, author, link, attribute, width) => {
        const manuscript = [
          '---',
          `title: ${yamlString(title)}`,
          `author: [${yamlString(author)}]`,
          `subtitle: ${yamlString(attribute)}`,
          `description: ${yamlString(link)}`,
          '---',
          '',
          `# Heading {#h .c key=${yamlString(attribute)}}`,
          '',
          `A [link](${link}) and [ref][r] and <${link}>.`,
          '',
          `![image](dot.png){width=${yamlString(width)} ${attribute.replace(/[\s{}]/g, '')}=${yamlString(attribute)}}`,
          '',
          `::: {.note data=${yamlString(attribute)}}`,
          `Div ${title}`,
          ':::',
          '',
          `[r]: ${link.replace(/\s/g, '') || 'x'}`,
          '',
        ].join('\n')
        const dir = makeProject({ 'ms.md': manuscript, 'dot.png': tinyPng })
        try {
          await build({ inputs: ['ms.md'], to: ['html', 'epub'], cwd: dir, env: { SOURCE_DATE_EPOCH: '0' }, noCache: true })
        } catch (error) {
          // Refusing the document (bad YAML, a value of the wrong type) is a fine answer; anything else is a bug.
          if (error instanceof GalleyError && error.exitCode === 2) return
          throw error
        }
        built += 1
        const problems = problemsIn(readFileSync(path.join(dir, 'dist/ms.html'), 'utf8'), 'html')
        for (const [name, bytes] of Object.entries(unzipSync(readFileSync(path.join(dir, 'dist/ms.epub'))))) {
          if (name.endsWith('.xhtml')) problems.push(...problemsIn(new TextDecoder().decode(bytes), name))
          if (name.endsWith('.svg') && /<script|<[^>]*\son\w+\s*=/i.test(new TextDecoder().decode(bytes))) problems.push(`${name}: script`)
        }
        expect(problems).toEqual([])
      }),
      { numRuns: 40, seed: 19 },
    )
    // Most documents must get through to an output, or the property says little.
    expect(built).toBeGreaterThan(30)
  }, 300_000)

  it('the checker above finds what it looks for', () => {
    expect(problemsIn('<p><a href="javascript:x">a</a><img src="http://x/y"><b onclick="x">b</b><script></script></p>', 't')).toHaveLength(4)
  })
})
