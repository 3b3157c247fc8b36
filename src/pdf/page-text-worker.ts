// The worker side of `PageTextThread`: loads pdf.js at once, opens the PDF it is sent, reads the pages it is asked for.
import { parentPort } from 'node:worker_threads'
import { loadPdfJs, openPageText, type PageText, type PageTextMessage, type PageTextReply } from './page-text.js'

const reply = (message: PageTextReply): void => parentPort?.postMessage(message)

// Compiled while the browser still works; a failure is reported when pages are asked for.
loadPdfJs().catch(() => undefined)

let opened: PageText | undefined
parentPort?.on('message', (message: PageTextMessage) => {
  if ('open' in message) {
    opened = openPageText(message.open, { readAhead: true })
    return
  }
  if (!opened) return reply({ failed: 'no PDF was sent' })
  opened.read(message.read).then(
    (pages) => reply({ pages: [...pages] }),
    (error: unknown) => reply({ failed: error instanceof Error ? error.message : String(error) }),
  )
})
