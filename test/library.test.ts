import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { type Celeriac, createCeleriac, TaskFailedError, UnrecoverableError } from '../src/index.ts'

const dirs: string[] = []
const apps: Celeriac[] = []

function app(options: Parameters<typeof createCeleriac>[0] = {}): Celeriac {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-lib-'))
  dirs.push(dir)
  const created = createCeleriac({ broker: `sqlite://${join(dir, 'lib.db')}`, ...options })
  apps.push(created)
  return created
}

afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the library', () => {
  test('defines a task, enqueues it with a countdown, priority and idempotency key, and reads its result', async () => {
    const celeriac = app()
    const resize = celeriac.defineTask({
      name: 'image.resize',
      input: z.object({ width: z.number().int().positive() }),
      queue: 'media',
      retry: { max: 3, backoff: 'exponential', delay: 1_000, maxDelay: 60_000, jitter: true },
      timeLimit: { soft: 30_000, hard: 60_000 },
      run: async ({ width }, ctx) => ({ width, attempt: ctx.attempt }),
    })
    const worker = celeriac.worker({ queues: ['media'], concurrency: 2 })
    await worker.start()
    try {
      const handle = await resize.enqueue(
        { width: 640 },
        { countdown: 300, priority: 7, idempotencyKey: 'img-42' },
      )
      const again = await resize.enqueue({ width: 640 }, { idempotencyKey: 'img-42' })
      expect(again.id).toBe(handle.id)
      expect(again.created).toBe(false)
      expect(await handle.result({ timeout: 10_000 })).toEqual({ width: 640, attempt: 1 })
      const stored = await handle.wait()
      expect(stored).toMatchObject({ state: 'SUCCESS', queue: 'media', attempts: 1 })
      expect((stored.startedAt ?? 0) - stored.createdAt).toBeGreaterThanOrEqual(300)
    } finally {
      await worker.stop()
    }
  })

  test('rejects input that fails the schema at enqueue, naming the field', async () => {
    const celeriac = app()
    const send = celeriac.defineTask({
      name: 'mail.send',
      input: z.object({ to: z.email() }),
      run: () => null,
    })
    await expect(send.enqueue({ to: 'not-an-address' })).rejects.toThrow(/to: /)
  })

  test('runs tasks at enqueue in eager mode, with the same result shape and errors', async () => {
    const celeriac = app({ eager: true })
    const add = celeriac.defineTask({
      name: 'math.add',
      input: z.object({ a: z.number(), b: z.number() }),
      run: ({ a, b }) => a + b,
    })
    const boom = celeriac.defineTask({
      name: 'math.boom',
      input: z.object({}),
      run: () => {
        throw new UnrecoverableError('no')
      },
    })
    const handle = await add.enqueue({ a: 2, b: 3 })
    expect(await handle.result()).toBe(5)
    expect(await handle.wait()).toMatchObject({ state: 'SUCCESS', attempts: 1, worker: 'eager' })
    const failed = await boom.enqueue({})
    await expect(failed.result()).rejects.toBeInstanceOf(TaskFailedError)
    expect((await failed.wait()).error).toMatchObject({ type: 'UnrecoverableError', message: 'no' })
  })
})
