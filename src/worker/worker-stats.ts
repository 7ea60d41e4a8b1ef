import type { ExecutionOutcome } from './execute-task.ts'

/** The counters a heartbeat reports: like Celery's `inspect stats` totals. */
export class WorkerStats {
  processed = 0
  succeeded = 0
  failed = 0
  retried = 0

  count(outcome: ExecutionOutcome): void {
    if (outcome.kind === 'abandoned') return
    this.processed++
    if (outcome.kind === 'ack') this.succeeded++
    else if (outcome.kind === 'fail') this.failed++
    else if (outcome.kind === 'retry') this.retried++
  }
}
