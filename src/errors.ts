// The small family of fatal errors Galley throws; the CLI maps each to an exit code and one sentence.
import { isAbsolute, relative } from 'node:path'

/** Where in a source file a problem is, 1-based. */
export interface SourcePlace {
  file: string
  line?: number
  column?: number
}

export abstract class GalleyError extends Error {
  abstract readonly exitCode: number
  readonly place: SourcePlace | undefined

  constructor(message: string, place?: SourcePlace, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.place = place
  }
}

/** Something the author can fix in the input: manuscript, metadata, bibliography, style. Exit code 2. */
export class InputError extends GalleyError {
  readonly exitCode = 2
}

/** The configuration or front matter has a wrong key, type or value. */
export class ConfigError extends InputError {}

/** A bibliography file cannot be read or parsed. */
export class BibliographyError extends InputError {}

/** A CSL style or locale cannot be found or parsed. */
export class StyleError extends InputError {}

/** A command-line option has a value that cannot work (an unknown layout, a sheet too small). Exit code 64. */
export class UsageError extends GalleyError {
  readonly exitCode = 64
}

/** The browser or the packaging step failed. Exit code 3. */
export class RenderError extends GalleyError {
  readonly exitCode = 3
}

/**
 * An output cannot be written where it was asked for: the target is an input, a directory, a device or a link, or
 * the directory is not writable. Nothing was written. Exit code 73 (sysexits' EX_CANTCREAT).
 */
export class OutputError extends GalleyError {
  readonly exitCode = 73
}

/** `file:line:col` as compilers print it. */
export function formatPlace(place: SourcePlace): string {
  let text = place.file
  if (place.line !== undefined) {
    text += `:${place.line}`
    if (place.column !== undefined) text += `:${place.column}`
  }
  return text
}

/** A fatal error's line as the CLI prints it: `file:line:col: error: …`, the path as typed, relative to where galley runs. */
export function formatError(error: GalleyError, cwd: string): string {
  const place = error.place && isAbsolute(error.place.file) ? { ...error.place, file: relative(cwd, error.place.file) } : error.place
  return `${place ? `${formatPlace(place)}: ` : ''}error: ${error.message}`
}
