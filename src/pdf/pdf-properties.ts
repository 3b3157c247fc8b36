// Writes the document information and XMP metadata (title, author, language, dates, ID) into the printed PDF.
import { createHash } from 'node:crypto'
import { type PDFDocument, PDFHexString, PDFArray, PDFName } from 'pdf-lib'
import type { Metadata } from '../config/schema.js'
import { escapeXml } from '../xml.js'

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
  // The same facts as XMP, which archives and catalogues read instead of the Info dictionary. Uncompressed.
  const xmp = new TextEncoder().encode(xmpPacket(metadata, options.date, id))
  const stream = document.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML', Length: xmp.length })
  document.catalog.set(PDFName.of('Metadata'), document.context.register(stream))
}

/** An XMP packet with Dublin Core, XMP basic and PDF properties; deterministic (the IDs come from the content). */
export function xmpPacket(metadata: Metadata, date: Date, id: string): string {
  const when = date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const lang = escapeXml(metadata.lang)
  const alt = (text: string): string => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`
  const creators = metadata.author.map((author) => `<rdf:li>${escapeXml(author.name)}</rdf:li>`).join('')
  const subjects = metadata.keywords.map((keyword) => `<rdf:li>${escapeXml(keyword)}</rdf:li>`).join('')
  const description = metadata.description ?? metadata.subject
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(metadata.title)}</dc:title>`,
    creators ? `<dc:creator><rdf:Seq>${creators}</rdf:Seq></dc:creator>` : '',
    description ? `<dc:description>${alt(description)}</dc:description>` : '',
    subjects ? `<dc:subject><rdf:Bag>${subjects}</rdf:Bag></dc:subject>` : '',
    `<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>`,
    metadata.rights ? `<dc:rights>${alt(metadata.rights)}</dc:rights>` : '',
    `<xmp:CreateDate>${when}</xmp:CreateDate><xmp:ModifyDate>${when}</xmp:ModifyDate><xmp:MetadataDate>${when}</xmp:MetadataDate>`,
    '<xmp:CreatorTool>Galley</xmp:CreatorTool>',
    '<pdf:Producer>Galley (Chromium, pdf-lib)</pdf:Producer>',
    metadata.keywords.length > 0 ? `<pdf:Keywords>${escapeXml(metadata.keywords.join(', '))}</pdf:Keywords>` : '',
    `<xmpMM:DocumentID>uuid:${id}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:${id}</xmpMM:InstanceID>`,
    '</rdf:Description></rdf:RDF></x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('')
}
