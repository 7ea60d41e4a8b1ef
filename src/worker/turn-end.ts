/**
 * Runs callbacks once the current turn's work is done (in one setImmediate), in the order they
 * were queued. The settle batcher and the reserve loop's wake-up share it, so a task's outcome and
 * the claim of the next task leave in the same turn: one write to the broker's connection instead
 * of two (at concurrency 1 that write was a third of the worker's system CPU per task).
 */
const queued: (() => void)[] = []

function runQueued(): void {
  const callbacks = queued.splice(0)
  for (const callback of callbacks) callback()
}

export function atTurnEnd(callback: () => void): void {
  queued.push(callback)
  if (queued.length === 1) setImmediate(runQueued)
}
