import type { Lease } from '../brokers/broker.ts'
import type { Logger } from '../core/logger.ts'
import type { ExecutionOutcome } from './execute-task.ts'

function details(outcome: ExecutionOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'ack':
      return { runtimeMs: outcome.runtimeMs }
    case 'retry':
      return { at: outcome.at, error: outcome.error.message }
    case 'fail':
      return { reason: outcome.reason, error: outcome.error.message }
    case 'revoked':
      return { reason: outcome.reason }
    case 'abandoned':
      return { reason: String(outcome.reason) }
  }
}

const LINES: Record<
  ExecutionOutcome['kind'],
  { level: 'debug' | 'info' | 'error'; message: string; state?: string }
> = {
  ack: { level: 'info', message: 'task succeeded', state: 'SUCCESS' },
  retry: { level: 'info', message: 'task will retry', state: 'RETRY' },
  revoked: { level: 'info', message: 'task revoked', state: 'REVOKED' },
  fail: { level: 'error', message: 'task failed', state: 'FAILURE' },
  abandoned: { level: 'debug', message: 'task handed back' },
}

/**
 * One line per finished task, as Celery's worker prints at INFO ("Task shop.total[id] succeeded
 * in 0.01s"): task, id, state and runtime. A final failure logs at error; a task handed back to
 * its queue (shutdown, lost lease) only at debug, since it is not finished. A busy worker that
 * must not write a line per task runs with `--log-level warn`.
 */
export function logOutcome(log: Logger, lease: Lease, outcome: ExecutionOutcome): void {
  const fields = { task: lease.message.task, id: lease.id, attempt: lease.attempt }
  const line = LINES[outcome.kind]
  log[line.level](line.message, { ...fields, ...(line.state && { state: line.state }), ...details(outcome) })
}
