import type { Broker, EnqueueOutcome } from '../brokers/broker.ts'
import type { TaskMessage } from '../core/message.ts'

interface Pending {
  messages: TaskMessage[]
  resolve: (outcomes: EnqueueOutcome[]) => void
  reject: (err: unknown) => void
}

const MAX_BATCH = 1_000

/**
 * Group commit for every producer (the API's requests, the library's and a task's enqueues, beat):
 * enqueues that arrive in the same event-loop turn are stored in ONE broker batch, so a durable
 * broker pays one fsync (Redis one script call per queue, one round trip) for many callers. An
 * engine that pipelines gets full chunks at once (capabilities.enqueueChunk), so the server stores
 * one while the next is built. Semantics per message are unchanged (engines check ids and
 * idempotency keys row by row within a batch); a failure fails every request of that batch, each
 * gets the error.
 */
export function coalesceEnqueues(broker: Broker): Broker['enqueue'] {
  const chunk = broker.capabilities.enqueueChunk ?? Number.POSITIVE_INFINITY
  let queue: Pending[] = []
  let queued = 0
  const flush = async () => {
    const batch = queue
    queue = []
    queued = 0
    // The turn's flush after a full chunk already went: nothing left to send.
    if (batch.length === 0) return
    try {
      const outcomes = await broker.enqueue(batch.flatMap((p) => p.messages))
      let at = 0
      for (const p of batch) {
        p.resolve(outcomes.slice(at, at + p.messages.length))
        at += p.messages.length
      }
    } catch (err) {
      for (const p of batch) p.reject(err)
    }
  }
  return (messages, options) => {
    if (options !== undefined || messages.length >= MAX_BATCH) return broker.enqueue(messages, options)
    return new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush)
      queue.push({ messages, resolve, reject })
      queued += messages.length
      if (queued >= chunk) void flush()
    })
  }
}
