import type { Producer } from './systems.ts'

/** Enqueues `jobs` jobs one call each, with `inflight` calls awaiting at once (no batching by the caller). */
export async function enqueueOneByOne(producer: Producer, jobs: number, inflight: number): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < jobs) {
      next++
      await producer.add()
    }
  }
  await Promise.all(Array.from({ length: Math.min(inflight, jobs) }, lane))
}
