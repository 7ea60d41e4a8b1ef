import { heapStats } from 'bun:jsc'
import { UnrecoverableError } from '../core/errors.ts'
import type { ThreadReply, ThreadRequest } from './thread-protocol.ts'

declare const self: Worker

/**
 * This thread's own JS heap, buffers (bitmaps) included: what the pool's ceiling compares. JSC
 * updates these figures at collection time, so a quick young-generation collection comes first.
 */
function heapBytes(): number {
  Bun.gc(false)
  const stats = heapStats()
  return stats.heapSize
}

/**
 * Runs inside a pool thread: answers each request with the handler's value or error. Call it once
 * from a thread entry file (listed in scripts/build.ts ENTRYPOINTS).
 */
export function serveThread(handler: (job: unknown) => Promise<unknown>): void {
  self.onmessage = async (event: MessageEvent<ThreadRequest>) => {
    const { id, job } = event.data
    let reply: ThreadReply
    try {
      reply = { id, ok: true, value: await handler(job), heapBytes: heapBytes() }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      const error = { name: e.name, message: e.message, unrecoverable: err instanceof UnrecoverableError }
      reply = { id, ok: false, error, heapBytes: heapBytes() }
    }
    self.postMessage(reply)
  }
}
