// Reads the attributes of fenced code blocks as Pandoc does (`fenced_code_attributes`): ```` ```python ````,
// ```` ```{#id .python .numberLines startFrom="5"} ````, and Quarto's and R Markdown's ```` ```{python} ````.
import type { Code, Root } from 'mdast'
import { visit } from '../tree-visit.js'
import { parseAttributes, safeProperties } from './attributes.js'
import type { CodeAttributes } from './types.js'

/** Pandoc's spellings of the class and key that number a block's lines. */
const numberLinesClasses = new Set(['numberLines', 'number-lines'])
/** Classes that are never the block's language: line numbers, and Quarto's conditions (`conditional-content.ts`). */
const notLanguages = new Set([...numberLinesClasses, 'content-visible', 'content-hidden'])
const startFromKeys = ['startFrom', 'start-from']

/** Sets `data.attributes` on every code block, and `lang` to its first class, as remark-rehype would read it. */
export function remarkCodeAttributes() {
  return (tree: Root): void => {
    visit(tree, 'code', (node: Code) => {
      const attributes = readInfo(node)
      if (!attributes) return
      node.data = { ...node.data, attributes }
      node.lang = attributes.classes.find((name) => !notLanguages.has(name)) ?? null
      node.meta = null
    })
  }
}

/**
 * The info string after the fence, as attributes; undefined for a block without one (an indented block). A braced
 * list (```` ```{#id .python} ````, ```` ```r {.numberLines} ````) was already read by `remarkAttributes` into `lang`
 * and `hProperties`: it is taken from there.
 */
function readInfo(node: Code): CodeAttributes | undefined {
  const read = node.data?.hProperties
  if (read) {
    const { id, className, ...rest } = read
    const classes = [...(node.lang ? [node.lang] : []), ...[className ?? []].flat().map(String).filter((name) => name !== `language-${node.lang}`)]
    const startKey = ['data-startfrom', 'data-start-from'].find((key) => key in rest)
    const startFrom = startKey === undefined ? 1 : Number.parseInt(String(rest[startKey]), 10)
    delete rest['data-startfrom']
    delete rest['data-start-from']
    delete node.data?.hProperties
    return {
      ...(typeof id === 'string' ? { id } : {}),
      classes,
      numberLines: classes.some((name) => numberLinesClasses.has(name)),
      startFrom: Number.isSafeInteger(startFrom) ? startFrom : 1,
      properties: rest,
    }
  }
  const info = [node.lang, node.meta].filter(Boolean).join(' ').trim()
  if (info === '') return undefined
  // `{python}`, `{r chunk-name, echo=FALSE}`: a knitr or Quarto cell, shown as its language.
  const cell = /^\{([A-Za-z][\w+#-]*)(?:[\s,][^{}]*)?\}$/.exec(info)
  if (cell?.[1]) return plain([cell[1]])
  const braces = /^(?:([^\s{]+)\s*)?\{([^{}]*)\}$/.exec(info)
  const properties = braces ? parseAttributes(braces[2] ?? '') : undefined
  if (!braces || !properties) return plain([info.split(/\s/)[0] ?? info])
  const { id, className, ...rest } = properties
  const classes = [...(braces[1] ? [braces[1]] : []), ...(Array.isArray(className) ? className.map(String) : [])]
  const startKey = startFromKeys.find((key) => key in rest)
  const startFrom = startKey === undefined ? 1 : Number.parseInt(String(rest[startKey]), 10)
  for (const key of startFromKeys) delete rest[key]
  return {
    ...(typeof id === 'string' ? { id } : {}),
    classes,
    numberLines: classes.some((name) => numberLinesClasses.has(name)),
    startFrom: Number.isSafeInteger(startFrom) ? startFrom : 1,
    properties: safeProperties(rest),
  }
}

function plain(classes: string[]): CodeAttributes {
  return { classes, numberLines: false, startFrom: 1, properties: {} }
}
