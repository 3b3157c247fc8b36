// The worker side of `CiteprocThread`: loads citeproc at once, makes an engine for the style it is sent, registers
// the entries it is sent, then formats the clusters it is sent.
import { parentPort } from 'node:worker_threads'
import type { CslItem } from './bibliography.js'
import type { EngineSetup, WorkerMessage, WorkerReply } from './citeproc-thread.js'
import { CslEngine, loadCiteproc } from './csl-engine.js'
import { loadLocale } from './styles.js'

const reply = (message: WorkerReply): void => parentPort?.postMessage(message)
const failed = (error: unknown): void => reply({ failed: error instanceof Error ? error.message : String(error) })

/** The engine, made for `setup`; it reads the entries from `items`, which registering fills. */
let made: { setup: EngineSetup; engine: CslEngine; items: Map<string, CslItem> } | undefined

function engineFor(setup: EngineSetup): NonNullable<typeof made> {
  if (made?.setup.styleXml !== setup.styleXml || made.setup.lang !== setup.lang || made.setup.projectDir !== setup.projectDir) {
    const items = new Map<string, CslItem>()
    const engine = new CslEngine({ styleXml: setup.styleXml, lang: setup.lang, items, retrieveLocale: (lang) => loadLocale(lang, setup.projectDir) })
    made = { setup, engine, items }
  }
  return made
}

let registered: CslEngine | undefined
parentPort?.on('message', (message: WorkerMessage) => {
  try {
    if ('engine' in message) {
      // Made ahead, unasked: if it fails, `register` makes it again and reports.
      try {
        engineFor(message.engine)
      } catch {
        made = undefined
      }
    } else if ('register' in message) {
      const input = message.register
      const { engine, items } = engineFor(input)
      for (const [id, item] of input.items) items.set(id, item)
      engine.register(input.cited, input.uncited)
      registered = engine
    } else if (registered) {
      reply({ formatted: registered.formatAll(message.format.clusters, message.format.authors, { onCluster: (done) => reply({ progress: done }) }) })
    } else {
      failed(new Error('asked to format before registering'))
    }
  } catch (error) {
    made = undefined
    registered = undefined
    failed(error)
  }
})
try {
  loadCiteproc() // While the build reads the bibliography and scans the text.
} catch (error) {
  failed(error)
}
