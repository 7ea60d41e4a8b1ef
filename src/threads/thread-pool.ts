import { MemoryWatch } from './memory-watch.ts'
import { PoolThread, type ThreadJob } from './pool-thread.ts'
import { sharedThreadMemoryError, ThreadMemoryError } from './thread-memory-error.ts'

export interface ThreadPoolOptions {
  /** The thread entry file: it calls serveThread(). Listed in scripts/build.ts ENTRYPOINTS. */
  entry: string | URL
  /** Threads at most; started on demand. */
  size: number
  /** Replace a thread after this many jobs (Celery's max-tasks-per-child); 0: never. */
  maxTasksPerThread: number
  /** Replace a thread whose heap (plus buffers) is above this after a job; null: never. */
  maxHeapBytes: number | null
  /**
   * Stop busy threads mid-job when the process's memory has grown by more than this × the busy
   * threads since their jobs started; null: never.
   */
  memoryCeilingBytes: number | null
  /** Names the setting behind the ceiling in its error: "CELERIAC_IMAGE_THREAD_MEMORY_MB". */
  ceilingSetting?: string
  /** Names the pool in errors: "image thread crashed". */
  label: string
}

export interface ThreadPoolStats {
  threads: number
  busy: number
  queued: number
  started: number
  /** Threads replaced after N jobs or above the memory ceiling. */
  recycled: number
  /** Threads stopped mid-job (hard limit, revoke, shutdown, memory ceiling) or crashed. */
  killed: number
  /** Threads stopped mid-job by the memory ceiling. */
  overMemory: number
}

/**
 * Stops waiting for a terminated thread after this long: terminate does not always say bye. Until
 * then the thread keeps its slot (see onLost).
 */
const EXIT_WAIT_MS = 2_000

/**
 * A pool of Bun Worker threads for CPU-bound work, so the worker's event loop (leases, heartbeats)
 * stays responsive. An aborted job's thread is terminated at once and replaced on demand: CPU-bound
 * code cannot see an AbortSignal, so killing the thread is the only way to stop it.
 */
export class ThreadPool {
  private readonly threads = new Set<PoolThread>()
  /** Terminated threads that have not exited yet: each still holds a slot. */
  private readonly exiting = new Set<PoolThread>()
  private readonly queue: ThreadJob[] = []
  private nextId = 1
  private closed = false
  private readonly counts = { started: 0, recycled: 0, killed: 0, overMemory: 0 }
  private readonly memoryWatch: MemoryWatch | null

  constructor(private readonly options: ThreadPoolOptions) {
    if (options.size < 1) throw new Error(`thread pool '${options.label}': size must be at least 1`)
    const ceilingBytes = options.memoryCeilingBytes
    this.memoryWatch =
      ceilingBytes === null
        ? null
        : new MemoryWatch({
            ceilingBytes,
            busyThreads: () => [...this.threads].filter((t) => t.busy),
            onOver: (threads, growth) => this.stopOverMemory(threads, growth, ceilingBytes),
          })
  }

  /** Runs `job` on a free thread; rejects with `signal.reason` when aborted, killing the thread. */
  run<T>(job: unknown, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${this.options.label} thread pool is closed`))
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => this.abort(entry)
      const done = () => signal?.removeEventListener('abort', onAbort)
      const entry: ThreadJob = {
        id: this.nextId++,
        job,
        signal,
        resolve: (value) => {
          done()
          resolve(value as T)
        },
        reject: (err) => {
          done()
          reject(err)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.queue.push(entry)
      this.pump()
    })
  }

  stats(): ThreadPoolStats {
    const busy = [...this.threads].filter((t) => t.busy).length
    return { threads: this.threads.size, busy, queued: this.queue.length, ...this.counts }
  }

  /** Rejects queued jobs, terminates every thread (running jobs are rejected) and waits for them. */
  async close(): Promise<void> {
    this.closed = true
    this.memoryWatch?.stop()
    const err = new Error(`${this.options.label} thread pool closed`)
    for (const job of this.queue.splice(0)) job.reject(err)
    const exits = [...this.threads].map((t) => t.kill(err))
    for (const thread of this.exiting) exits.push(thread.exited)
    await Promise.race([Promise.all(exits), Bun.sleep(EXIT_WAIT_MS)])
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const thread = this.idleThread() ?? this.spawn()
      if (!thread) return
      thread.start(this.queue.shift() as ThreadJob)
      this.memoryWatch?.start()
    }
  }

  private idleThread(): PoolThread | undefined {
    for (const thread of this.threads) if (!thread.busy) return thread
    return undefined
  }

  private spawn(): PoolThread | null {
    if (this.closed || this.threads.size + this.exiting.size >= this.options.size) return null
    const thread = new PoolThread(
      this.options.entry,
      this.options.label,
      (t, heap) => this.onDone(t, heap),
      (t) => this.onLost(t),
    )
    this.threads.add(thread)
    this.counts.started++
    return thread
  }

  private onDone(thread: PoolThread, heapBytes: number): void {
    const { maxTasksPerThread, maxHeapBytes } = this.options
    const worn = maxTasksPerThread > 0 && thread.tasksRun >= maxTasksPerThread
    if (worn || (maxHeapBytes !== null && heapBytes > maxHeapBytes)) {
      this.threads.delete(thread)
      this.counts.recycled++
      void thread.kill(new Error('recycled'))
    }
    this.pump()
  }

  /**
   * A terminated thread may run on until its next safepoint (a buffer being filled, a decode), so
   * its slot is free only once it has exited: a replacement started sooner would run beside it,
   * and the memory watch would charge the dying thread's growth to the new job.
   */
  private onLost(thread: PoolThread): void {
    // Recycled threads were already removed; anything else lost mid-flight counts as killed.
    if (this.threads.delete(thread)) this.counts.killed++
    this.exiting.add(thread)
    const free = () => {
      clearTimeout(timer)
      if (this.exiting.delete(thread)) this.pump()
    }
    // Unref'd: waiting for a dead thread must never keep the process alive.
    const timer = setTimeout(free, EXIT_WAIT_MS)
    timer.unref()
    void thread.exited.then(free)
  }

  private stopOverMemory(threads: PoolThread[], growthBytes: number, ceilingBytes: number): void {
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
    const setting = this.options.ceilingSetting ? ` (${this.options.ceilingSetting})` : ''
    const ran = threads.length === 1 ? 'it ran' : `${threads.length} threads ran`
    const message = `${this.options.label} thread stopped: the process grew by ${mb(growthBytes)} MB while ${ran}, above the ceiling of ${mb(ceilingBytes)} MB per thread${setting}`
    for (const thread of threads) {
      this.counts.overMemory++
      void thread.kill(
        threads.length === 1 ? new ThreadMemoryError(message) : sharedThreadMemoryError(message),
      )
    }
  }

  private abort(job: ThreadJob): void {
    const queued = this.queue.indexOf(job)
    if (queued >= 0) {
      this.queue.splice(queued, 1)
      job.reject(job.signal?.reason)
      return
    }
    for (const thread of this.threads) if (thread.current === job) void thread.kill(job.signal?.reason)
  }
}
