// `galley build FILES… --batch`: each file its own document (dist/<name>.pdf…), built a few at a time in one process
// with one browser, each build printing in a page of its own.
import { availableParallelism } from 'node:os'
import path from 'node:path'
import type { Browser } from 'puppeteer-core'
import type { BuildOptions } from '../build.js'
import type { Metadata } from '../config/schema.js'

export interface BatchOptions {
  /** The build options every document shares; `inputs` are the documents, one each. */
  build: BuildOptions
  /** Builds and reports one document; resolves to its exit code. */
  buildOne: (options: BuildOptions) => Promise<number>
  startBrowser: (metadata: Metadata) => Promise<Browser>
  /** Documents in progress at once. Default: the number of processors, at least 2 (one builds text while one prints). */
  concurrency?: number | undefined
}

/**
 * Returns the worst exit code of the documents (0 when every one was written); a document that fails does not stop
 * the others. Refuses, before building anything, documents whose outputs would have the same name.
 */
export async function buildBatch(options: BatchOptions): Promise<number | { refused: string }> {
  const inputs = options.build.inputs
  const byName = new Map<string, string>()
  for (const input of inputs) {
    const name = path.parse(input).name
    const earlier = byName.get(name)
    if (earlier !== undefined) return { refused: `${earlier} and ${input} would both be written as ${name}.*; rename one or build them apart` }
    byName.set(name, input)
  }
  let browser: Promise<Browser> | undefined
  const shared = (metadata: Metadata): Promise<Browser> => {
    browser ??= options.startBrowser(metadata)
    return browser
  }
  const queue = [...inputs]
  let worst = 0
  const worker = async (): Promise<void> => {
    for (let input = queue.shift(); input !== undefined; input = queue.shift()) {
      const code = await options.buildOne({ ...options.build, inputs: [input], browser: shared })
      worst = Math.max(worst, code)
    }
  }
  const concurrency = options.concurrency ?? Math.max(2, availableParallelism())
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker))
  } finally {
    await browser?.then((started) => started.close()).catch(() => undefined)
  }
  return worst
}
