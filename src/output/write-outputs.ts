// Puts finished outputs in place all together or not at all, and refuses targets that are not plain output files.
import { constants, copyFileSync, linkSync, lstatSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { OutputError } from '../errors.js'

export interface Output {
  path: string
  bytes: Uint8Array
}

/**
 * Refuses a target that must not be replaced: one of the files the build read (`-o paper.md`), a directory, a
 * device, pipe or socket (`-o /dev/full`), or a symbolic link (which would be replaced, or followed out of the output
 * directory). `sources` are the files the build read, absolute.
 */
export function checkTargets(targets: readonly string[], sources: readonly string[]): void {
  const read = new Set(sources.map(real))
  const seen = new Set<string>()
  for (const target of targets) {
    const shown = target
    let stats
    try {
      stats = lstatSync(target)
    } catch {
      stats = undefined
    }
    if (stats?.isSymbolicLink()) throw new OutputError(`Cannot write ${shown}: it is a symbolic link; Galley replaces only regular files (remove it or choose another path)`)
    if (stats?.isDirectory()) throw new OutputError(`Cannot write ${shown}: it is a directory; give a file name with -o, or use --output-dir`)
    if (stats && !stats.isFile()) throw new OutputError(`Cannot write ${shown}: it is not a regular file (a device, pipe or socket)`)
    const where = real(target)
    if (read.has(where)) throw new OutputError(`Cannot write ${shown}: it is one of the files this build reads, and would be overwritten`)
    if (seen.has(where)) throw new OutputError(`Cannot write two outputs to ${shown}`)
    seen.add(where)
  }
}

/**
 * Writes every output next to its target and only then renames them into place, one after the other; when a rename
 * fails, the outputs already replaced get their previous files back. So a failed build leaves the previous files
 * untouched, and a successful one never mixes new and old outputs.
 */
export function writeOutputs(outputs: readonly Output[]): void {
  const staged: { target: string; temporary: string; backup?: string; placed: boolean }[] = []
  try {
    for (const output of outputs) {
      const dir = path.dirname(output.path)
      attempt(() => mkdirSync(dir, { recursive: true }), `Cannot create the output directory ${dir}`)
      const temporary = path.join(dir, `.${path.basename(output.path)}.${process.pid}.tmp`)
      staged.push({ target: output.path, temporary, placed: false })
      attempt(() => {
        rmSync(temporary, { force: true }) // Left by a build that was killed.
        writeFileSync(temporary, output.bytes, { flag: 'wx' })
      }, `Cannot write ${output.path}`)
    }
    for (const entry of staged) {
      if (exists(entry.target)) {
        const backup = `${entry.temporary}.previous`
        attempt(() => keepCopy(entry.target, backup), `Cannot replace ${entry.target}`)
        entry.backup = backup
      }
      attempt(() => renameSync(entry.temporary, entry.target), `Cannot replace ${entry.target}`)
      entry.placed = true
    }
  } catch (error) {
    for (const entry of staged) {
      if (!entry.placed) continue
      try {
        if (entry.backup) renameSync(entry.backup, entry.target)
        else rmSync(entry.target, { force: true })
      } catch {
        // Restoring is best effort; the error below is what the user must act on.
      }
    }
    throw error
  } finally {
    for (const entry of staged) {
      rmSync(entry.temporary, { force: true })
      if (entry.backup) rmSync(entry.backup, { force: true })
    }
  }
}

/** The previous output, kept until every new one is in place: a hard link where the file system has them. */
function keepCopy(file: string, backup: string): void {
  try {
    linkSync(file, backup)
  } catch {
    copyFileSync(file, backup, constants.COPYFILE_EXCL)
  }
}

function attempt(step: () => void, what: string): void {
  try {
    step()
  } catch (error) {
    const code = (error as { code?: string }).code
    const reasons: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'the file system is read-only',
      ENOSPC: 'the disk is full',
      ENOTDIR: 'a part of the path is a file, not a directory',
      EISDIR: 'it is a directory',
      EEXIST: 'a file of that name is in the way',
    }
    throw new OutputError(`${what}: ${reasons[code ?? ''] ?? (error instanceof Error ? error.message : String(error))}`, undefined, { cause: error })
  }
}

function exists(file: string): boolean {
  try {
    statSync(file)
    return true
  } catch {
    return false
  }
}

/** The real path of a file, or of its directory joined with its name when it does not exist yet. */
function real(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    try {
      return path.join(realpathSync(path.dirname(file)), path.basename(file))
    } catch {
      return path.resolve(file)
    }
  }
}
