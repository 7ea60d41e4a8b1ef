import { describe, expect, test } from 'bun:test'
import type { ExtendOutcome, Lease } from '../../src/brokers/broker.ts'
import { makeBroker, makeClient, startWorker, waitFor, waitForState, waitForTerminal } from './helpers.ts'

describe('worker: time limits', () => {
  test('a soft limit aborts the task signal and the task fails with SoftTimeLimitExceeded', async () => {
    const broker = makeBroker()
    startWorker(broker)
    const handle = await makeClient(broker).enqueue('test.soft', { ms: 5_000 })
    const result = await waitForTerminal(broker, handle.id)
    expect(result.state).toBe('FAILURE')
    expect(result.error?.type).toBe('SoftTimeLimitExceeded')
  })

  test('a hard limit records TimeLimitExceeded and frees the slot even if the code keeps running', async () => {
    const broker = makeBroker()
    startWorker(broker, { concurrency: 1 })
    const client = makeClient(broker)
    const stubborn = await client.enqueue('test.stubborn', { ms: 3_000 })
    const next = await client.enqueue('debug.noop', {})
    const result = await waitForTerminal(broker, stubborn.id)
    expect(result.state).toBe('FAILURE')
    expect(result.error?.type).toBe('TimeLimitExceeded')
    expect(result.deadReason).toBe('time_limit')
    // The only slot was freed at the hard limit, long before the stubborn code ends.
    expect((await waitForTerminal(broker, next.id, 1_000)).state).toBe('SUCCESS')
  })
})

describe('worker: revoke', () => {
  test('a task revoked while queued never runs', async () => {
    const broker = makeBroker()
    const handle = await makeClient(broker).enqueue('debug.sleep', { ms: 10 })
    await broker.revoke(handle.id)
    startWorker(broker)
    const result = await waitForTerminal(broker, handle.id)
    expect(result.state).toBe('REVOKED')
    expect(result.attempts).toBe(0)
  })

  test("a running task revoked without terminate runs to its end, as Celery's revoke: only terminate stops it", async () => {
    const broker = makeBroker()
    const worker = startWorker(broker, { heartbeatMs: 50 })
    const handle = await makeClient(broker).enqueue('debug.sleep', { ms: 800 })
    await waitForState(broker, handle.id, 'RECEIVED')
    await broker.revoke(handle.id)
    const result = await waitForTerminal(broker, handle.id)
    expect(result.state).toBe('SUCCESS')
    await worker.stop()
  })

  test('a countdown longer than expires: the task is revoked when due and never runs', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker)
    const handle = await makeClient(broker).enqueue('debug.noop', {}, { countdown: 300, expires: 100 })
    const result = await waitForTerminal(broker, handle.id)
    expect(result.state).toBe('REVOKED')
    expect(result.attempts).toBe(0)
    await worker.stop()
  })

  test('revoke with terminate frees the slot at once even when the task ignores its signal', async () => {
    const broker = makeBroker()
    startWorker(broker, { concurrency: 1 })
    const client = makeClient(broker)
    const long = await client.enqueue('test.deaf', { ms: 10_000 })
    const next = await client.enqueue('debug.noop', {})
    await waitForState(broker, long.id, 'RECEIVED')
    await broker.revoke(long.id, { terminate: true })
    const result = await waitForTerminal(broker, long.id)
    expect(result.state).toBe('REVOKED')
    expect(result.error?.message).toContain('terminated')
    expect((await waitForTerminal(broker, next.id)).state).toBe('SUCCESS')
  })

  test('the first lease renewal after a revoke reports it, and the worker then ends the task REVOKED', async () => {
    const broker = makeBroker()
    let revokedYet = false
    // Each renewal that began after the revoke, with what the broker answered for the task.
    const afterRevoke: ExtendOutcome[][] = []
    const spied = Object.assign(Object.create(broker), {
      extendLeases: async (leases: Lease[], leaseMs: number) => {
        const began = revokedYet
        const outcomes = await broker.extendLeases(leases, leaseMs)
        if (began) afterRevoke.push(outcomes)
        return outcomes
      },
    }) as typeof broker
    startWorker(spied, { heartbeatMs: 50 })
    const handle = await makeClient(broker).enqueue('debug.sleep', { ms: 10_000 })
    await waitForState(broker, handle.id, 'RECEIVED')
    await broker.revoke(handle.id, { terminate: true })
    revokedYet = true
    await waitFor('revoked', async () => (await broker.getResult(handle.id))?.state === 'REVOKED')
    expect(afterRevoke[0]).toEqual([{ id: handle.id, ok: true, revoked: { terminate: true } }])
  })
})
