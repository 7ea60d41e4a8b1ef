import { describe, expect, test } from 'bun:test'
import type { Broker, Settlement } from '../../src/brokers/broker.ts'
import { makeBroker, makeClient, startWorker, waitFor, waitForTerminal } from './helpers.ts'

describe('worker: slots and batching', () => {
  test('a long task never holds short ones hostage: they finish on the free worker', async () => {
    const broker = makeBroker()
    startWorker(broker, { concurrency: 1 })
    startWorker(broker, { concurrency: 1 })
    const client = makeClient(broker)
    const long = await client.enqueue('debug.sleep', { ms: 10_000 })
    const busy = await waitFor('long task running', async () => {
      const r = await broker.getResult(long.id)
      return r?.state === 'RECEIVED' ? r.worker : undefined
    })
    const shorts = await client.enqueueMany(
      Array.from({ length: 10 }, () => ({ task: 'debug.sleep', input: { ms: 20 } })),
    )
    for (const h of shorts) {
      const result = await waitForTerminal(broker, h.id)
      expect(result.state).toBe('SUCCESS')
      expect(result.worker).not.toBe(busy)
    }
    await broker.revoke(long.id, { terminate: true })
  })

  test('settles outcomes that finish in the same tick with one settle call', async () => {
    const real = makeBroker()
    const batches: Settlement['kind'][][] = []
    const spy: Broker = Object.create(real)
    spy.settle = (settlements) => {
      batches.push(settlements.map((s) => s.kind))
      return real.settle(settlements)
    }
    const handles = await makeClient(real).enqueueMany(
      Array.from({ length: 20 }, () => ({ task: 'debug.noop', input: {} })),
    )
    startWorker(real, { concurrency: 20, broker: spy })
    for (const h of handles) await waitForTerminal(real, h.id)
    expect(batches.flat()).toHaveLength(20)
    expect(batches.length).toBeLessThanOrEqual(2)
  })

  test('reserves no more than its free slots when prefetch is 0', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker, { concurrency: 2 })
    await makeClient(broker).enqueueMany(
      Array.from({ length: 5 }, () => ({ task: 'debug.sleep', input: { ms: 5_000 } })),
    )
    const me = await waitFor('two running', async () => {
      const w = (await broker.listWorkers(10_000)).find((x) => x.name === worker.name)
      return w?.active.length === 2 ? w : undefined
    })
    expect(me.reserved).toEqual([])
    const stats = await broker.queueStats()
    expect(stats.find((q) => q.queue === 'default')?.waiting).toBe(3)
  })
})
