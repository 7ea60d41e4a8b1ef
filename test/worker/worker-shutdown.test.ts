import { describe, expect, test } from 'bun:test'
import { makeBroker, makeClient, startWorker, waitFor, waitForState, waitForTerminal } from './helpers.ts'

describe('worker: graceful shutdown', () => {
  test('lets running tasks finish within the grace period and puts unstarted ones back at once', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker, { concurrency: 2, prefetch: 2, graceMs: 5_000 })
    const client = makeClient(broker)
    const handles = await client.enqueueMany(
      [300, 300, 300, 300].map((ms) => ({ task: 'debug.sleep', input: { ms } })),
    )
    const ids = handles.map((h) => h.id)
    await waitFor('two running and two prefetched', async () => {
      const workers = await broker.listWorkers(10_000)
      const me = workers.find((w) => w.name === worker.name)
      return me?.active.length === 2 && me.reserved.length === 2
    })
    const stopping = worker.stop()
    // The prefetched two are back in the queue (PENDING, attempt not counted) long before the lease ends.
    const unstarted = await waitFor(
      'unstarted tasks released',
      async () => {
        const results = await Promise.all(ids.map((id) => broker.getResult(id)))
        const pending = results.filter((r) => r?.state === 'PENDING')
        return pending.length === 2 ? pending : undefined
      },
      200,
    )
    for (const r of unstarted) expect(r?.attempts).toBe(0)
    expect(await stopping).toEqual({ code: 0, reason: 'stopped' })
    const finished = await Promise.all(ids.map((id) => broker.getResult(id)))
    expect(finished.filter((r) => r?.state === 'SUCCESS')).toHaveLength(2)
    const me = (await broker.listWorkers(10_000)).find((w) => w.name === worker.name)
    expect(me?.status).toBe('draining')
    expect(me?.active).toEqual([])
  })

  test('releases a task still running when the grace period ends, to be run again', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker, { graceMs: 100 })
    const handle = await makeClient(broker).enqueue('test.deaf', { ms: 10_000 })
    await waitForState(broker, handle.id, 'RECEIVED')
    expect(await worker.stop()).toEqual({ code: 0, reason: 'stopped' })
    const released = await broker.getResult(handle.id)
    expect(released?.state).toBe('PENDING')
    expect(released?.attempts).toBe(1)
    startWorker(broker)
    await waitFor('second run', async () => (await broker.getResult(handle.id))?.attempts === 2)
    await broker.revoke(handle.id, { terminate: true })
    expect((await waitForTerminal(broker, handle.id)).state).toBe('REVOKED')
  })

  test('stops reserving as soon as stop is called, while a running task still drains', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker, { concurrency: 2, pollMs: 10 })
    const client = makeClient(broker)
    const running = await client.enqueue('debug.sleep', { ms: 400 })
    await waitForState(broker, running.id, 'RECEIVED')
    // A slot is free and the worker polls every 10 ms; stop is called, then a task arrives.
    const stopping = worker.stop()
    const late = await client.enqueue('debug.noop', {})
    await stopping
    expect(await running.state()).toBe('SUCCESS')
    expect(await late.state()).toBe('PENDING')
  })
})
