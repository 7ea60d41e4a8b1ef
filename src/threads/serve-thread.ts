import { heapStats } from 'bun:jsc'
import { UnrecoverableError } from '../core/errors.ts'
import type { ThreadReply, ThreadRequest } from './thread-protocol.ts'

declare const self: Worker

/**
 * This thread's own JS heap, buffers (bitmaps) included: what the pool's ceiling compares. JSC
 * updates these figures only when it collects, and a young-generation pass missed large buffers
 * in tests, so a full collection of this thread's heap comes first (a few ms, once per job; it
 * also hands the job's bitmaps back before the next one).
 */
function heapBytes(): number {
  Bun.gc(true)
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
