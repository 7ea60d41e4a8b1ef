import type { TaskErrorInfo } from './result.ts'

export type ErrorCode =
  | 'VALIDATION'
  | 'UNKNOWN_TASK'
  | 'LEASE_LOST'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TIME_LIMIT'
  | 'SOFT_TIME_LIMIT'
  | 'REVOKED'
  | 'RETRY'
  | 'UNRECOVERABLE'
  | 'CONFIG'
  | 'BROKER'
  | 'TIMEOUT'

/** Base of every error Celeriac raises on purpose: it carries a machine code. */
export class CeleriacError extends Error {
  override name = 'CeleriacError'
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export interface FieldIssue {
  path: string
  message: string
}

/** Input that does not match a schema: lists every field that is wrong. */
export class ValidationError extends CeleriacError {
  override name = 'ValidationError'
  constructor(
    readonly subject: string,
    readonly issues: FieldIssue[],
  ) {
    super('VALIDATION', `${subject}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`)
  }
}

export class UnknownTaskError extends CeleriacError {
  override name = 'UnknownTaskError'
  constructor(
    readonly taskName: string,
    readonly registered: string[],
    /** Why the name is known but cannot run here, instead of the list of registered tasks. */
    detail?: string,
  ) {
    super(
      'UNKNOWN_TASK',
      detail === undefined
        ? `unknown task '${taskName}'; registered tasks: ${registered.join(', ') || '(none)'}`
        : `unknown task '${taskName}': ${detail}`,
    )
  }
}

/** Thrown by a task to say: do not retry this, it will never succeed (BullMQ's UnrecoverableError). */
export class UnrecoverableError extends CeleriacError {
  override name = 'UnrecoverableError'
  constructor(message: string) {
    super('UNRECOVERABLE', message)
  }
}

/** Thrown by a task (or by ctx.retry) to ask for a retry at a given time, outside the backoff policy. */
export class RetryError extends CeleriacError {
  override name = 'RetryError'
  constructor(
    message: string,
    /** Delay before the retry in ms. */
    readonly countdown: number,
  ) {
    super('RETRY', message)
  }
}

export class TimeLimitExceeded extends CeleriacError {
  override name = 'TimeLimitExceeded'
  constructor(limitMs: number) {
    super('TIME_LIMIT', `hard time limit (${limitMs} ms) exceeded`)
  }
}

export class SoftTimeLimitExceeded extends CeleriacError {
  override name = 'SoftTimeLimitExceeded'
  constructor(limitMs: number) {
    super('SOFT_TIME_LIMIT', `soft time limit (${limitMs} ms) exceeded`)
  }
}

export class TaskRevokedError extends CeleriacError {
  override name = 'TaskRevokedError'
  /** Why, in a word ('revoked', 'terminated', 'expired'): what the broker records. */
  constructor(readonly reason = 'revoked') {
    super('REVOKED', `task ${reason}`)
  }
}

/**
 * The error a REVOKED task's result records. The Redis engine's Lua scripts (settle-6, reserve-5,
 * revoke-5) write the same JSON text themselves; the broker conformance suite holds them to this.
 */
export function revokedErrorInfo(reason: string): TaskErrorInfo {
  return { type: 'TaskRevokedError', message: `task ${reason}`, stack: null, code: 'REVOKED' }
}

/** A worker lost its lease (it expired and another worker may hold the task): its outcome is void. */
export class LeaseLostError extends CeleriacError {
  override name = 'LeaseLostError'
  constructor(taskId: string) {
    super('LEASE_LOST', `lease on task ${taskId} was lost; outcome not recorded`)
  }
}

export class TimeoutError extends CeleriacError {
  override name = 'TimeoutError'
  constructor(message: string) {
    super('TIMEOUT', message)
  }
}

/** Turns anything thrown into the serialisable error stored with a result. */
export function toErrorInfo(err: unknown): TaskErrorInfo {
  if (err instanceof Error) {
    const code = err instanceof CeleriacError ? err.code : null
    return { type: err.name || 'Error', message: err.message, stack: err.stack ?? null, code }
  }
  return { type: 'Error', message: String(err), stack: null, code: null }
}
