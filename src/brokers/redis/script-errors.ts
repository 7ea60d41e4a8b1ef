import { CeleriacError, type ErrorCode } from '../../core/errors.ts'

/**
 * Negative numbers a script returns for a request it refuses, mapped to error codes: one table
 * shared by every engine that runs these scripts.
 */
export const SCRIPT_ERRORS: Readonly<Record<number, { code: ErrorCode; message: string }>> = {
  [-1]: { code: 'BROKER', message: 'unknown settlement kind' },
}

/** Throws the mapped error for a negative script reply; passes anything else through. */
export function checkScriptReply<T>(op: string, reply: T): T {
  if (typeof reply === 'number' && reply < 0) {
    const known = SCRIPT_ERRORS[reply]
    throw new CeleriacError(
      known?.code ?? 'BROKER',
      `redis ${op}: ${known?.message ?? `script error ${reply}`}`,
    )
  }
  return reply
}
