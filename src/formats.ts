// The outputs Galley makes, in a module of their own: the CLI checks its arguments against them before the rest of
// Galley is loaded.
export type Format = 'html' | 'pdf' | 'epub'
export const formats: readonly Format[] = ['html', 'pdf', 'epub']
