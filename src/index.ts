// Galley's library: `build`, `check`, the rules they report and the errors they throw.
export { build } from './entry.js'
export { check, type CheckOptions, type CheckResult, type Finding } from './check/run-check.js'
export { rules, type Rule, type RuleId, type Severity } from './diagnostics.js'
export { formats, type Format } from './formats.js'
export type { BuildOptions, BuildResult } from './build.js'
export type { Progress } from './progress.js'
export { BibliographyError, ConfigError, GalleyError, InputError, OutputError, RenderError, StyleError, type SourcePlace } from './errors.js'
