// Line ends as Pandoc reads them: a manuscript saved on Windows (CRLF) or an old Mac (CR) reads as one saved with LF.

/** CRLF and CR line ends as LF; lines and columns stay those of the file as written. */
export function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}
