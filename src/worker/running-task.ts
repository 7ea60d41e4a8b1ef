import type { Lease } from '../brokers/broker.ts'

/** One task executing in a slot, with the two ways the worker can stop it. */
export interface RunningTask {
  lease: Lease
  /** Cooperative: aborts the task's ctx.signal (revoke, lost lease, shutdown). */
  stop: AbortController
  /** Forceful: the executor stops waiting and the slot is freed at once (terminate, past grace). */
  kill: AbortController
  startedAt: number
}

export function newRunningTask(lease: Lease, now: number): RunningTask {
  return { lease, stop: new AbortController(), kill: new AbortController(), startedAt: now }
}
