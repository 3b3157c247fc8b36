// Galley's library: `build` and the errors it throws.
export { build, formats, type BuildOptions, type BuildResult, type Format } from './build.js'
export { BibliographyError, ConfigError, GalleyError, InputError, RenderError, StyleError, type SourcePlace } from './errors.js'
