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

/**
 * One line per finished task, as Celery's worker prints at INFO ("Task shop.total[id] succeeded
 * in 0.01s"): task, id, state and runtime. A final failure logs at error; a task handed back to
 * its queue (shutdown, lost lease) only at debug, since it is not finished. A busy worker that
 * must not write a line per task runs with `--log-level warn`.
 */
export function logOutcome(log: Logger, lease: Lease, outcome: ExecutionOutcome): void {
  const fields = { task: lease.message.task, id: lease.id, attempt: lease.attempt }
  switch (outcome.kind) {
    case 'ack':
      return log.info('task succeeded', { ...fields, state: 'SUCCESS', ...details(outcome) })
    case 'retry':
      return log.info('task will retry', { ...fields, state: 'RETRY', ...details(outcome) })
    case 'revoked':
      return log.info('task revoked', { ...fields, state: 'REVOKED', ...details(outcome) })
    case 'fail':
      return log.error('task failed', { ...fields, state: 'FAILURE', ...details(outcome) })
    case 'abandoned':
      return log.debug('task handed back', { ...fields, ...details(outcome) })
  }
}
