// Galley's library: `build` and the errors it throws.
export { build } from './entry.js'
export { formats, type Format } from './formats.js'
export type { BuildOptions, BuildResult } from './build.js'
export { BibliographyError, ConfigError, GalleyError, InputError, OutputError, RenderError, StyleError, type SourcePlace } from './errors.js'
