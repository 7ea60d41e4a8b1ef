import { realpath } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import { FileMissingError, UnsafePathError } from './file-errors.ts'
import { relativePathProblem } from './relative-path-problem.ts'

/**
 * Resolves `path` (relative to `root`) to a real absolute path that is inside the root, following
 * symlinks first: a link pointing out of the root is refused even if its own name looks harmless.
 * `subject` starts error messages, e.g. "image.process: file_path".
 */
export async function resolveInsideRoot(root: string, path: string, subject: string): Promise<string> {
  const problem = relativePathProblem(path)
  if (problem) throw new UnsafePathError(`${subject} ${problem}`)
  const realRoot = await realRootOf(root, subject)
  let real: string
  try {
    real = await realpath(resolve(realRoot, path))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileMissingError(`${subject} not found: '${path}'`)
    throw err
  }
  if (!real.startsWith(realRoot + sep)) throw new UnsafePathError(`${subject} resolves outside the root`)
  return real
}

async function realRootOf(root: string, subject: string): Promise<string> {
  try {
    return await realpath(resolve(root))
  } catch {
    throw new FileMissingError(`${subject}: root directory ${root} does not exist`)
  }
}
