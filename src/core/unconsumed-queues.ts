/**
 * Queues with tasks due and waiting that no online worker consumes: nothing will ever run them
 * until a worker with that queue starts (a split of queues that forgot one, a typo in `-Q`).
 */
export function unconsumedQueues(
  queues: readonly { queue: string; waiting: number }[],
  workers: readonly { queues: readonly string[]; online: boolean }[],
): string[] {
  const consumed = new Set(workers.filter((w) => w.online).flatMap((w) => w.queues))
  return queues
    .filter((q) => q.waiting > 0 && !consumed.has(q.queue))
    .map((q) => q.queue)
    .sort()
}
