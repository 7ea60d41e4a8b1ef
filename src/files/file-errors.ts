import { UnrecoverableError } from '../core/errors.ts'

/** A path that would leave its root (traversal, encoded dots, NUL, symlink out): never retried. */
export class UnsafePathError extends UnrecoverableError {
  override name = 'UnsafePathError'
}

/** The named file does not exist: retrying will not make it appear. */
export class FileMissingError extends UnrecoverableError {
  override name = 'FileMissingError'
}
