import { CeleriacError } from '../core/errors.ts'

/** 2: the user's input was wrong (usage, config, task input). 1: anything else went wrong. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CeleriacError && ['VALIDATION', 'UNKNOWN_TASK', 'CONFIG'].includes(err.code)) return 2
  return 1
}

/**
 * One line for the user. Stacks are for developers: shown only with CELERIAC_DEBUG=1, since a
 * stack trace tells a user nothing about what to change.
 */
export function messageFor(err: unknown, env: Readonly<Record<string, string | undefined>>): string {
  let message = err instanceof Error ? err.message : String(err)
  // A foreign error's class (SQLiteError, TypeError) is a clue; our own messages name their component.
  if (err instanceof Error && !(err instanceof CeleriacError) && err.name !== 'Error') {
    message = `${err.name}: ${message}`
  }
  const oneLine = message.replace(/\s*\n\s*/g, ' ')
  if (env.CELERIAC_DEBUG === '1' && err instanceof Error && err.stack) return `${oneLine}\n${err.stack}`
  return oneLine
}
