// The worker side of `CiteprocThread`: loads citeproc at once, registers the entries it is sent, then formats the
// clusters it is sent.
import { parentPort } from 'node:worker_threads'
import type { WorkerMessage, WorkerReply } from './citeproc-thread.js'
import { CslEngine, loadCiteproc } from './csl-engine.js'
import { loadLocale } from './styles.js'

const reply = (message: WorkerReply): void => parentPort?.postMessage(message)
const failed = (error: unknown): void => reply({ failed: error instanceof Error ? error.message : String(error) })

let engine: CslEngine | undefined
parentPort?.on('message', (message: WorkerMessage) => {
  try {
    if ('register' in message) {
      const input = message.register
      engine = new CslEngine({ styleXml: input.styleXml, lang: input.lang, items: new Map(input.items), retrieveLocale: (lang) => loadLocale(lang, input.projectDir) })
      engine.register(input.cited, input.uncited)
    } else if (engine) {
      reply({ formatted: engine.formatAll(message.format.clusters, message.format.authors) })
    } else {
      failed(new Error('asked to format before registering'))
    }
  } catch (error) {
    engine = undefined
    failed(error)
  }
})
try {
  loadCiteproc() // While the build reads the bibliography and scans the text.
} catch (error) {
  failed(error)
}
