import { UnrecoverableError } from '../core/errors.ts'
import type { ThreadErrorData, ThreadReply, ThreadRequest } from './thread-protocol.ts'

export interface ThreadJob {
  id: number
  job: unknown
  signal: AbortSignal | undefined
  resolve(value: unknown): void
  reject(err: unknown): void
}

/** Rebuilds a thread's error on this side, keeping its class name (ImageTooLargeError...). */
function toError(data: ThreadErrorData): Error {
  const err = data.unrecoverable ? new UnrecoverableError(data.message) : new Error(data.message)
  err.name = data.name
  return err
}

/**
 * One Bun Worker thread of a pool and the job it is running, if any. It reports back through
 * `onDone(thread, heapBytes)` after a job and `onLost(thread)` when it died or was killed.
 */
export class PoolThread {
  private readonly worker: Worker
  current: ThreadJob | null = null
  tasksRun = 0
  /** The process's resident memory when the current job started: the memory watch's baseline. */
  rssAtStart = 0
  private gone = false
  /** Settles when the thread has exited (a terminated thread may run on until its next safepoint). */
  readonly exited: Promise<void>

  constructor(
    entry: string | URL,
    label: string,
    private readonly onDone: (thread: PoolThread, heapBytes: number) => void,
    private readonly onLost: (thread: PoolThread) => void,
  ) {
    this.worker = new Worker(entry)
    this.worker.unref()
    this.worker.onmessage = (event: MessageEvent<ThreadReply>) => this.settle(event.data)
    this.worker.onerror = (event) => this.lose(new Error(`${label} thread crashed: ${event.message}`))
    this.exited = new Promise((resolve) => this.worker.addEventListener('close', () => resolve()))
    this.exited.then(() => this.lose(new Error(`${label} thread exited unexpectedly`)))
  }

  get busy(): boolean {
    return this.current !== null
  }

  start(job: ThreadJob): void {
    this.current = job
    this.rssAtStart = process.memoryUsage.rss()
    // A busy thread keeps the process alive; an idle one must not hold up exit.
    this.worker.ref()
    this.worker.postMessage({ id: job.id, job: job.job } satisfies ThreadRequest)
  }

  /** Stops the thread at once, even mid-computation; its job is rejected with `reason`. */
  kill(reason: unknown): Promise<void> {
    this.lose(reason)
    return this.exited
  }

  private settle(reply: ThreadReply): void {
    const job = this.current
    if (!job || job.id !== reply.id) return
    this.current = null
    this.tasksRun++
    this.worker.unref()
    if (reply.ok) job.resolve(reply.value)
    else job.reject(toError(reply.error))
    this.onDone(this, reply.heapBytes)
  }

  private lose(reason: unknown): void {
    if (this.gone) return
    this.gone = true
    const job = this.current
    this.current = null
    this.worker.terminate()
    job?.reject(reason)
    this.onLost(this)
  }
}
