import { afterEach, describe, expect, test } from 'bun:test'
import { UnrecoverableError } from '../../src/core/errors.ts'
import { ThreadPool, type ThreadPoolOptions } from '../../src/threads/thread-pool.ts'

const ENTRY = new URL('../fixtures/busy-thread.ts', import.meta.url).href
const pools: ThreadPool[] = []
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close()
})

function makePool(options: Partial<ThreadPoolOptions> = {}): ThreadPool {
  const pool = new ThreadPool({
    entry: ENTRY,
    size: 2,
    maxTasksPerThread: 0,
    maxHeapBytes: null,
    memoryCeilingBytes: null,
    label: 'test',
    ...options,
  })
  pools.push(pool)
  return pool
}

describe('ThreadPool', () => {
  test('runs CPU-bound jobs on separate threads while the event loop stays free', async () => {
    const pool = makePool()
    const ticks: number[] = []
    const timer = setInterval(() => ticks.push(Date.now()), 10)
    type Span = { startedAt: number; endedAt: number }
    const [a, b] = await Promise.all([pool.run<Span>({ spinMs: 400 }), pool.run<Span>({ spinMs: 400 })])
    clearInterval(timer)
    // The two spins overlapped in time: two threads, not one after the other.
    const [from, to] = [Math.max(a.startedAt, b.startedAt), Math.min(a.endedAt, b.endedAt)]
    expect(to).toBeGreaterThan(from)
    expect(pool.stats().started).toBe(2)
    // The main event loop ran while both threads spun (no rate is assumed: a loaded machine is slow).
    expect(ticks.some((t) => t > from && t < to)).toBe(true)
  })

  test('an abort terminates the thread mid-computation and a new thread takes the next job', async () => {
    const pool = makePool({ size: 1 })
    const controller = new AbortController()
    const running = pool.run({ spinMs: 60_000 }, controller.signal)
    await Bun.sleep(100)
    controller.abort(new Error('hard limit'))
    // A thread spinning for a minute only ends this fast (within the test's timeout) if terminated.
    await expect(running).rejects.toThrow('hard limit')
    expect(await pool.run({ spinMs: 1 })).toMatchObject({ spun: 1 })
    expect(pool.stats()).toMatchObject({ threads: 1, killed: 1, started: 2 })
  })

  test('a queued job that is aborted never runs', async () => {
    const pool = makePool({ size: 1 })
    const first = pool.run({ spinMs: 200 })
    const controller = new AbortController()
    const queued = pool.run({ spinMs: 1 }, controller.signal)
    expect(pool.stats().queued).toBe(1)
    controller.abort(new Error('revoked'))
    await expect(queued).rejects.toThrow('revoked')
    await first
    expect(pool.stats()).toMatchObject({ killed: 0, started: 1 })
  })

  test('errors keep their class name and whether they may be retried', async () => {
    const pool = makePool()
    const plain = await pool.run({ fail: 'plain' }).catch((e: Error) => e)
    expect(plain).toBeInstanceOf(Error)
    expect(plain).not.toBeInstanceOf(UnrecoverableError)
    const fatal = await pool.run({ fail: 'unrecoverable' }).catch((e: Error) => e)
    expect(fatal).toBeInstanceOf(UnrecoverableError)
    expect((fatal as Error).name).toBe('UnrecoverableError')
    expect(pool.stats().killed).toBe(0)
  })

  test('recycles a thread after maxTasksPerThread jobs', async () => {
    const pool = makePool({ size: 1, maxTasksPerThread: 2 })
    for (let i = 0; i < 5; i++) await pool.run({ spinMs: 1 })
    expect(pool.stats()).toMatchObject({ recycled: 2, started: 3, killed: 0 })
  })

  test('recycles a thread whose heap is above the ceiling after a job', async () => {
    const pool = makePool({ size: 1, maxHeapBytes: 32 * 1024 * 1024 })
    await pool.run({ holdMb: 8 })
    expect(pool.stats().recycled).toBe(0)
    await pool.run({ holdMb: 40 })
    expect(pool.stats().recycled).toBe(1)
    await pool.run({ spinMs: 1 })
    expect(pool.stats()).toMatchObject({ threads: 1, started: 2 })
  })

  test('a thread whose job grows the process above the memory ceiling is stopped mid-job, without retry', async () => {
    const pool = makePool({
      size: 1,
      memoryCeilingBytes: 64 * 1024 * 1024,
      ceilingSetting: 'TEST_CEILING_MB',
    })
    // 300 MB held, then a minute of spinning: only the ceiling can end this job within the test's timeout.
    const err = await pool.run({ holdMb: 300, spinMs: 60_000 }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnrecoverableError)
    expect((err as Error).name).toBe('ThreadMemoryError')
    expect((err as Error).message).toMatch(
      /^test thread stopped: the process grew by \d+ MB while it ran, above the ceiling of 64 MB per thread \(TEST_CEILING_MB\)$/,
    )
    expect(pool.stats()).toMatchObject({ killed: 1, overMemory: 1, threads: 0 })
    expect(await pool.run({ spinMs: 1 })).toMatchObject({ spun: 1 })
  }, 30_000)

  test('when several busy threads together pass the ceiling, each is stopped with an error that may be retried', async () => {
    const pool = makePool({ size: 2, memoryCeilingBytes: 64 * 1024 * 1024 })
    const jobs = [pool.run({ holdMb: 200, spinMs: 60_000 }), pool.run({ holdMb: 200, spinMs: 60_000 })]
    const errors = await Promise.all(jobs.map((job) => job.catch((e: Error) => e)))
    for (const err of errors) {
      expect((err as Error).name).toBe('ThreadMemoryError')
      expect(err).not.toBeInstanceOf(UnrecoverableError)
      expect((err as Error).message).toMatch(/while 2 threads ran, above the ceiling of 64 MB per thread$/)
    }
    expect(pool.stats()).toMatchObject({ killed: 2, overMemory: 2, threads: 0 })
  }, 30_000)

  test('a stopped thread holds its slot until it has exited, then the next job runs', async () => {
    const pool = makePool({ size: 1 })
    const controller = new AbortController()
    const stopped = pool.run({ spinMs: 60_000 }, controller.signal).catch((e: Error) => e)
    await Bun.sleep(50)
    controller.abort(new Error('stop'))
    expect(((await stopped) as Error).message).toBe('stop')
    const next = pool.run({ spinMs: 1 })
    // The stopped thread may run on until its next safepoint: no replacement beside it yet.
    expect(pool.stats()).toMatchObject({ threads: 0, busy: 0, queued: 1, killed: 1 })
    expect(await next).toMatchObject({ spun: 1 })
    expect(pool.stats()).toMatchObject({ threads: 1, started: 2 })
  })

  test('jobs that stay under the memory ceiling run to the end', async () => {
    const pool = makePool({ size: 1, memoryCeilingBytes: 256 * 1024 * 1024 })
    expect(await pool.run({ holdMb: 8, spinMs: 300 })).toMatchObject({ spun: 300 })
    expect(pool.stats()).toMatchObject({ killed: 0, overMemory: 0 })
  })

  test('close rejects queued jobs and stops running ones', async () => {
    const pool = makePool({ size: 1 })
    const running = pool.run({ spinMs: 60_000 }).catch((e: Error) => e.message)
    const queued = pool.run({ spinMs: 1 }).catch((e: Error) => e.message)
    await Bun.sleep(50)
    await pool.close()
    expect(await running).toContain('closed')
    expect(await queued).toContain('closed')
    await expect(pool.run({})).rejects.toThrow('closed')
  })
})
