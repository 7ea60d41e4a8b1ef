import { describe, expect, test } from 'bun:test'
import { FakeClock } from '../../src/core/clock.ts'
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
    const worker = startWorker(broker, { clock, leaseMs: 1_000, heartbeatMs: 30 })
    const handle = await makeClient(broker, clock).enqueue('debug.sleep', { ms: 1_000 })
    await waitForState(broker, handle.id, 'RECEIVED')
    // Another worker finds the lease expired and takes the task over.
    clock.advance(5_000)
    await broker.recoverExpired(3)
    const [stolen] = await broker.reserve({ queues: ['default'], max: 1, leaseMs: 60_000, worker: 'thief' })
    expect(stolen?.attempt).toBe(2)
    const stolenAt = Date.now()
    await waitFor('the task aborted on this worker', async () => {
      const me = (await broker.listWorkers(60_000)).find((w) => w.name === worker.name)
      return me?.active.length === 0 && me.processed === 0
    })
    expect(Date.now() - stolenAt).toBeLessThan(500)
    await Bun.sleep(100)
    const result = await broker.getResult(handle.id)
    expect(result?.state).toBe('RECEIVED')
    expect(result?.worker).toBe('thief')
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
