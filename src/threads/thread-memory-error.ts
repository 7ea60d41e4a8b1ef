import { UnrecoverableError } from '../core/errors.ts'

/**
 * A pool thread was stopped because the process's memory grew above the ceiling while it ran.
 * Unrecoverable when the thread ran alone (its job caused the growth: a retry would do it again).
 */
export class ThreadMemoryError extends UnrecoverableError {
  override name = 'ThreadMemoryError'
}

/**
 * The same stop when several threads were busy: which job grew the process cannot be told apart,
 * so each is stopped with an error that may be retried (a job that grows alone then fails for good).
 */
export function sharedThreadMemoryError(message: string): Error {
  const err = new Error(message)
  err.name = 'ThreadMemoryError'
  return err
}
