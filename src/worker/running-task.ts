import type { Lease } from '../brokers/broker.ts'

/**
 * How the worker stops one running task, two ways: `stop` is cooperative (the task's ctx.signal
 * aborts), `kill` is forceful (the executor stops waiting and the slot is freed at once). Plain
 * fields and one listener each, not AbortControllers: at thousands of tasks a second, building
 * controllers and listeners for tasks nobody ever stops was a measurable share of the worker.
 */
export class TaskInterrupt {
  stopped = false
  stopReason: unknown = undefined
  killed = false
  killReason: unknown = undefined
  private onStop: ((reason: unknown) => void) | null = null
  private onKill: ((reason: unknown) => void) | null = null

  stop(reason: unknown): void {
    if (this.stopped) return
    this.stopped = true
    this.stopReason = reason
    this.onStop?.(reason)
  }

  kill(reason: unknown): void {
    if (this.killed) return
    this.killed = true
    this.killReason = reason
    this.onKill?.(reason)
  }

  /** The executor's hook: `fn` runs once on stop, at once if the task was already stopped. */
  whenStopped(fn: ((reason: unknown) => void) | null): void {
    this.onStop = fn
    if (fn && this.stopped) fn(this.stopReason)
  }

  /** The executor's hook: `fn` runs once on kill, at once if the task was already killed. */
  whenKilled(fn: ((reason: unknown) => void) | null): void {
    this.onKill = fn
    if (fn && this.killed) fn(this.killReason)
  }
}

/** An interrupt nothing ever fires (eager runs). */
export const NEVER_INTERRUPTED: TaskInterrupt = new TaskInterrupt()

/** One task executing in a slot. */
export interface RunningTask {
  lease: Lease
  interrupt: TaskInterrupt
  startedAt: number
}

export function newRunningTask(lease: Lease, now: number): RunningTask {
  return { lease, interrupt: new TaskInterrupt(), startedAt: now }
}
