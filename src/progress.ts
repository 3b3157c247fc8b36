// What a build tells its caller as it goes, for a progress display (the library never prints; the CLI renders it).

/**
 * One step of a build: a stage starting, or `done` of `total` of its parts finished (`done` alone: the layout pass is
 * on page `done` and does not know the last yet; `total` alone: the pages being printed).
 */
export interface Progress {
  stage: 'parse' | 'read' | 'citations' | 'html' | 'epub' | 'print' | 'browser' | 'layout' | 'printing' | 'pdf-check' | 'write'
  done?: number
  total?: number
}

export type OnProgress = (progress: Progress) => void
