// Writes the document information (title, author, language, dates, ID) into the PDF Chromium printed.
import { createHash } from 'node:crypto'
import { type PDFDocument, PDFHexString, PDFArray } from 'pdf-lib'
import type { Metadata } from '../config/schema.js'

export interface PropertiesOptions {
  metadata: Metadata
  /** Creation and modification date: `SOURCE_DATE_EPOCH` for reproducible builds, else now. */
  date: Date
  /** Bytes that identify this document's content, hashed into the PDF's ID. */
  fingerprint: string
}

export function setPdfProperties(document: PDFDocument, options: PropertiesOptions): void {
  const { metadata } = options
  document.setTitle(metadata.title, { showInWindowTitleBar: true })
  if (metadata.author.length > 0) document.setAuthor(metadata.author.map((author) => author.name).join('; '))
  const subject = metadata.subject ?? metadata.description
  if (subject) document.setSubject(subject)
  if (metadata.keywords.length > 0) document.setKeywords(metadata.keywords)
  document.setLanguage(metadata.lang)
  document.setCreator('Galley')
  document.setProducer('Galley (Chromium, pdf-lib)')
  document.setCreationDate(options.date)
  document.setModificationDate(options.date)
  // The same content gives the same ID, so rebuilds are byte-identical.
  const id = createHash('sha256').update(options.fingerprint).digest('hex').slice(0, 32)
  document.context.trailerInfo.ID = PDFArray.withContext(document.context)
  ;(document.context.trailerInfo.ID as PDFArray).push(PDFHexString.of(id))
  ;(document.context.trailerInfo.ID as PDFArray).push(PDFHexString.of(id))
}
