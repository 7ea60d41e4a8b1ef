import type { BrokerAdmin } from '../../brokers/broker.ts'

/** Tasks finished per bucket over a window, read from the store (so it survives restarts). */
export interface Throughput {
  start: number
  bucketMs: number
  succeeded: number[]
  failed: number[]
  /** The scan stopped at its cap: the counts are a lower bound. */
  truncated: boolean
}

const PAGE = 1_000
/** At most this many stored tasks per state are read for one chart (a busy hour is sampled). */
const MAX_PAGES = 20

/** Adds the tasks of one final state that finished inside the window to `into`. */
async function countFinished(
  admin: BrokerAdmin,
  state: 'SUCCESS' | 'FAILURE',
  start: number,
  bucketMs: number,
  into: number[],
): Promise<boolean> {
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const found = await admin.listTasks({ state, since: start, limit: PAGE, ...(cursor && { cursor }) })
    for (const task of found.tasks) {
      const at = task.finishedAt ?? task.createdAt
      // Later than now (another machine's clock, or this very millisecond) counts as now.
      const index = Math.min(Math.floor((at - start) / bucketMs), into.length - 1)
      if (index >= 0) into[index] = (into[index] ?? 0) + 1
    }
    if (found.nextCursor === null) return false
    cursor = found.nextCursor
  }
  return true
}

/**
 * Succeeded and failed tasks per bucket from the task history. `since` filters on creation, so a
 * task created before the window and finished inside it is not counted: a small undercount at the
 * window's left edge, in exchange for needing nothing beyond BrokerAdmin.listTasks.
 */
export async function readThroughput(
  admin: BrokerAdmin,
  now: number,
  windowMs: number,
  buckets: number,
): Promise<Throughput> {
  const bucketMs = Math.ceil(windowMs / buckets)
  const start = now - bucketMs * buckets
  const succeeded = new Array<number>(buckets).fill(0)
  const failed = new Array<number>(buckets).fill(0)
  const [a, b] = await Promise.all([
    countFinished(admin, 'SUCCESS', start, bucketMs, succeeded),
    countFinished(admin, 'FAILURE', start, bucketMs, failed),
  ])
  return { start, bucketMs, succeeded, failed, truncated: a || b }
}
