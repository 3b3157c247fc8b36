// citeproc in a worker thread, started before the chapters are parsed. Registering the entries is most of
// citeproc's time for an author-date book, and it needs only the ids cited, in order, which a quick scan of the
// Markdown finds: the parse runs beside it. The build uses the thread only if the parse finds exactly the entries
// it registered; otherwise it is stopped and citeproc runs on the main thread, so a wrong guess costs time only.
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../worker-thread.js'
import type { CslItem } from './bibliography.js'
import type { AuthorRequest, ClusterRequest, Formatted } from './csl-engine.js'

/** What the worker registers. `registration` is `registrationKey` of the rest, computed by the caller. */
export interface ThreadInput {
  styleXml: string
  lang: string
  /** Where locales are looked up (`loadLocale`), as the build does. */
  projectDir: string
  items: ReadonlyMap<string, CslItem>
  cited: readonly string[]
  uncited: readonly string[]
  registration: string
}

/** What the worker's engine is made from, which is known before the entries are. */
export type EngineSetup = Pick<ThreadInput, 'styleXml' | 'lang' | 'projectDir'>

/** What the worker registers, as sent to it: the entries it needs, as pairs a message can carry. */
export type WorkerInput = Omit<ThreadInput, 'items' | 'registration'> & { items: [string, CslItem][] }

/** What it is sent once the clusters are known. */
export interface WorkerRequest {
  clusters: readonly ClusterRequest[]
  authors: readonly AuthorRequest[]
}

/** The worker's messages, in this order; `engine` may be left out, `register` makes the engine then. */
export type WorkerMessage = { engine: EngineSetup } | { register: WorkerInput } | { format: WorkerRequest }

/**
 * Its one reply: the formatted document, or that something failed (the main thread then runs citeproc itself); before
 * it, while formatting, how many clusters are done.
 */
export type WorkerReply = { formatted: Formatted } | { failed: string } | { progress: number }

export class CiteprocThread {
  /**
   * Starts the worker, which loads citeproc while the caller works out what to register (most of a worker's first
   * 0.3 s). Undefined when running from the TypeScript sources, which have no worker script.
   */
  static spawn(): CiteprocThread | undefined {
    const worker = startWorker(new URL('./citeproc-worker.js', import.meta.url))
    return worker && new CiteprocThread(worker)
  }

  readonly #worker: Worker
  #registration: string | undefined
  readonly #reply: Promise<Exclude<WorkerReply, { progress: number }> | undefined>
  #onCluster: ((done: number) => void) | undefined
  #closed = false

  private constructor(worker: Worker) {
    this.#worker = worker
    this.#reply = new Promise((resolve) => {
      worker.on('message', (message: WorkerReply) => ('progress' in message ? this.#onCluster?.(message.progress) : resolve(message)))
      worker.once('error', () => resolve(undefined))
      worker.once('exit', () => resolve(undefined))
    })
    // Until it is asked for a result, the worker does not keep the process alive.
    worker.unref()
  }

  /**
   * Has the worker make its engine now (a tenth of a second), while the caller reads the entries and finds the
   * cited ones. `register` makes it again if it is given another style, language or project.
   */
  makeEngine(setup: EngineSetup): void {
    if (this.#closed || this.#registration !== undefined) return
    this.#worker.postMessage({ engine: { styleXml: setup.styleXml, lang: setup.lang, projectDir: setup.projectDir } } satisfies WorkerMessage)
  }

  /** Has the worker register these entries now, ahead of the clusters. */
  register(input: ThreadInput): void {
    if (this.#closed || this.#registration !== undefined) return
    this.#registration = input.registration
    // Only what a message can carry: the caller's object may hold more (a locale reader, say).
    const register: WorkerInput = {
      styleXml: input.styleXml,
      lang: input.lang,
      projectDir: input.projectDir,
      items: [...new Set([...input.cited, ...input.uncited])].flatMap((id): [string, CslItem][] => {
        const item = input.items.get(id)
        return item ? [[id, item]] : []
      }),
      cited: input.cited,
      uncited: input.uncited,
    }
    this.#worker.postMessage({ register } satisfies WorkerMessage)
  }

  /** `registrationKey` of what the worker registered; undefined before `register`. */
  get registration(): string | undefined {
    return this.#registration
  }

  /**
   * The formatted document, if the worker registered exactly the entries of `registration`; undefined when it did
   * not, or failed, and the caller formats on its own thread. The thread is finished either way.
   */
  async format(registration: string, clusters: readonly ClusterRequest[], authors: readonly AuthorRequest[], onCluster?: (done: number) => void): Promise<Formatted | undefined> {
    if (this.#closed || registration !== this.#registration) {
      this.close()
      return undefined
    }
    this.#worker.ref()
    this.#onCluster = onCluster
    this.#worker.postMessage({ format: { clusters, authors } } satisfies WorkerMessage)
    const reply = await this.#reply
    this.close()
    return reply && 'formatted' in reply ? reply.formatted : undefined
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    void this.#worker.terminate()
  }
}
