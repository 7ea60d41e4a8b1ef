import { z } from 'zod'

/** Celery's task states, with the same names and meaning. */
export const TaskState = z.enum([
  'PENDING',
  'RECEIVED',
  'STARTED',
  'PROGRESS',
  'RETRY',
  'SUCCESS',
  'FAILURE',
  'REVOKED',
])
export type TaskState = z.infer<typeof TaskState>

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set(['SUCCESS', 'FAILURE', 'REVOKED'])

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.has(state)
}
