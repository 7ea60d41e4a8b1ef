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
 * One line per outcome. Routine outcomes log at debug (a worker doing 15,000 tasks/s must not
 * write 15,000 lines/s at info); a final failure logs at error with the task id.
 */
export function logOutcome(log: Logger, lease: Lease, outcome: ExecutionOutcome): void {
  const fields = { id: lease.id, task: lease.message.task, attempt: lease.attempt, ...details(outcome) }
  if (outcome.kind === 'fail') log.error('task failed', fields)
  else log.debug(`task ${outcome.kind}`, fields)
}
