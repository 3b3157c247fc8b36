// csstree-validator 4 ships no types; this declares what the tests use.
declare module 'csstree-validator' {
  interface ValidationError {
    message: string
    line?: number
    column?: number
  }
  export function validate(css: string, filename?: string): ValidationError[]
}
