// The worker side of `CiteprocThread`: registers the entries at once, then formats the clusters it is sent.
import { parentPort, workerData } from 'node:worker_threads'
import type { WorkerInput, WorkerReply, WorkerRequest } from './citeproc-thread.js'
import { CslEngine } from './csl-engine.js'
import { loadLocale } from './styles.js'

const input = workerData as WorkerInput
const reply = (message: WorkerReply): void => parentPort?.postMessage(message)
const failed = (error: unknown): void => reply({ failed: error instanceof Error ? error.message : String(error) })

try {
  const engine = new CslEngine({ styleXml: input.styleXml, lang: input.lang, items: new Map(input.items), retrieveLocale: (lang) => loadLocale(lang, input.projectDir) })
  engine.register(input.cited, input.uncited)
  parentPort?.once('message', (request: WorkerRequest) => {
    try {
      reply({ formatted: engine.formatAll(request.clusters, request.authors) })
    } catch (error) {
      failed(error)
    }
  })
} catch (error) {
  failed(error)
}
