/** Percent-encoding of anything (%2e, %2f, %25...): a real file name never needs it here. */
const ENCODED = /%[0-9a-f]{2}/i

/**
 * Why a user-given path relative to a root is refused, or null if its text is acceptable. This is
 * the lexical check, done at enqueue (a 400 naming the field) and again in the worker; the worker
 * then resolves symlinks (resolveInsideRoot), which no text check can do.
 */
export function relativePathProblem(path: string): string | null {
  if (path === '') return 'must not be empty'
  if (path.includes('\0')) return 'must not contain a NUL byte'
  if (path.includes('\\')) return 'must not contain backslashes'
  if (ENCODED.test(path)) return 'must not contain percent-encoded characters'
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'must be relative to the root, not absolute'
  if (path.split('/').some((part) => part === '..')) return "must not contain '..' segments"
  return null
}
