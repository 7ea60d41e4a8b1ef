import type { Lease, Settlement } from '../brokers/broker.ts'
import { LeaseLostError } from '../core/errors.ts'
import type { ExecutionOutcome } from './execute-task.ts'

/**
 * The broker record of an execution outcome. null: record nothing, because the lease was lost
 * and another worker may own the task (its token no longer fences anything of ours).
 * An abandoned task (shutdown past grace) goes back to its queue as a started attempt.
 */
export function toSettlement(lease: Lease, outcome: ExecutionOutcome): Settlement | null {
  switch (outcome.kind) {
    case 'ack':
      return { kind: 'ack', lease, result: outcome.result, runtimeMs: outcome.runtimeMs }
    case 'retry':
      return { kind: 'retry', lease, at: outcome.at, error: outcome.error }
    case 'fail':
      return {
        kind: 'fail',
        lease,
        error: outcome.error,
        reason: outcome.reason,
        runtimeMs: outcome.runtimeMs,
      }
    case 'revoked':
      return { kind: 'revoked', lease, reason: outcome.reason }
    case 'abandoned':
      return outcome.reason instanceof LeaseLostError ? null : { kind: 'release', lease, started: true }
  }
}
