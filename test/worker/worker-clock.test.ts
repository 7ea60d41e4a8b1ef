import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { Client } from '../../src/client/client.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { LeaseLostError } from '../../src/core/errors.ts'
import { defineTask } from '../../src/core/task.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { makeBroker, makeClient, startWorker, waitFor, waitForState } from './helpers.ts'

describe('worker: time decisions on an injected clock', () => {
  test('stores a retry due at now + the policy delay, and offers it only from then on', async () => {
    const clock = new FakeClock()
    const broker = makeBroker(clock)
    const worker = startWorker(broker, { clock })
    const handle = await makeClient(broker, clock).enqueue('debug.fail', { times: 1 })
    const failedAt = clock.now()
    await waitForState(broker, handle.id, 'RETRY')
    const retried = (await broker.readEvents(null, 100)).find((e) => e.type === 'task:retried')
    // debug.fail: exponential from 200 ms without jitter, so the first retry waits 200 ms.
    expect(retried?.data).toMatchObject({ at: failedAt + 200, retries: 1 })
    await worker.stop()
    clock.advance(199)
    expect(await broker.reserve({ queues: ['default'], max: 1, leaseMs: 1_000, worker: 'probe' })).toEqual([])
    clock.advance(1)
    const [lease] = await broker.reserve({ queues: ['default'], max: 1, leaseMs: 1_000, worker: 'probe' })
    expect(lease?.id).toBe(handle.id)
    expect(lease?.retries).toBe(1)
  })

  test('a lost lease aborts the running task and its outcome is not written', async () => {
    const clock = new FakeClock()
    const broker = makeBroker(clock)
    // Runs until its signal aborts, then reports why: the abort itself is what this test watches.
    let aborted: unknown = null
    const watched = defineTask({
      name: 'test.watched',
      input: z.object({}),
      run: async (_input, ctx) => {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }))
        aborted = ctx.signal.reason
        return 'finished after the abort'
      },
    })
    const registry = createBuiltinRegistry([watched])
    const worker = startWorker(broker, { clock, registry, leaseMs: 1_000, heartbeatMs: 30 })
    const handle = await new Client({ broker, registry, clock }).enqueue('test.watched', {})
    await waitForState(broker, handle.id, 'RECEIVED')
    // Another worker finds the lease expired and takes the task over.
    clock.advance(5_000)
    await broker.recoverExpired(3)
    const [stolen] = await broker.reserve({ queues: ['default'], max: 1, leaseMs: 60_000, worker: 'thief' })
    expect(stolen?.attempt).toBe(2)
    // The next lease renewal finds the lease gone and aborts the task's signal.
    await waitFor('the running task to be aborted', () => aborted !== null)
    expect(aborted).toBeInstanceOf(LeaseLostError)
    // Stopping drains the worker: whatever it would record of this task has been tried by then.
    await worker.stop()
    const result = await broker.getResult(handle.id)
    expect(result?.state).toBe('RECEIVED')
    expect(result?.worker).toBe('thief')
    expect(result?.result).toBeNull()
  })

  test('results expire after the broker result TTL', async () => {
    const clock = new FakeClock()
    const broker = makeBroker(clock, { resultTtlMs: 60_000 })
    startWorker(broker, { clock })
    const handle = await makeClient(broker, clock).enqueue('debug.noop', {})
    await waitForState(broker, handle.id, 'SUCCESS')
    clock.advance(59_999)
    expect(await handle.state()).toBe('SUCCESS')
    clock.advance(1)
    expect(await broker.getResult(handle.id)).toBeNull()
    expect(await handle.state()).toBe('PENDING')
    await waitFor('cleanup', async () => (await broker.cleanup(1_000_000)).results === 1)
  })
})
