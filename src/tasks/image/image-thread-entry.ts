import { readdirSync } from 'node:fs'
import { UnrecoverableError } from '../../core/errors.ts'

/** The embedded file system of a compiled Bun binary; every build entrypoint lives below it. */
const EMBEDDED_ROOT = '/$bunfs/root'
const THREAD_FILE = '/tasks/image/image-thread.js'

/**
 * Where the image thread's code is. From source it sits next to this file (import.meta.url, which
 * in a binary would point at the build machine's tree). In a compiled binary each entrypoint is
 * embedded below /$bunfs/root by its path from the entrypoints' common folder, as .js: at
 * `tasks/image/image-thread.js` in the celeriac binary (built from src/), deeper in a user's own
 * build (`node_modules/celeriac/src/...`), so the embedded tree is searched for it.
 */
export function imageThreadEntry(): string {
  if (!Bun.isStandaloneExecutable) return new URL('./image-thread.ts', import.meta.url).href
  const found = findEmbedded(EMBEDDED_ROOT, 0)
  if (found) return found
  // Retrying cannot help: the code is not in this binary. Fail once, saying how to build it in.
  throw new UnrecoverableError(
    "image.process: this binary was built without the image thread's code; add " +
      'node_modules/celeriac/src/tasks/image/image-thread.ts to the entrypoints of bun build --compile',
  )
}

function findEmbedded(folder: string, depth: number): string | null {
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return null // a file, not a folder
  }
  for (const name of names) {
    const path = `${folder}/${name}`
    if (path.endsWith(THREAD_FILE)) return path
    // Folders of the embedded tree carry no extension; files (.js, .lua, .html, ...) do.
    const found = depth < 8 && !name.includes('.') ? findEmbedded(path, depth + 1) : null
    if (found) return found
  }
  return null
}
