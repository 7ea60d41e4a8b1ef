import type { Producer } from './systems.ts'

/** Enqueues `jobs` jobs in bulk calls of `batch` each, one call after the other. */
export async function enqueueInBatches(producer: Producer, jobs: number, batch: number): Promise<void> {
  for (let i = 0; i < jobs; i += batch) await producer.addBulk(Math.min(batch, jobs - i))
}
