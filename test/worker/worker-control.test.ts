import { describe, expect, test } from 'bun:test'
import { makeBroker, makeClient, startWorker, waitFor, waitForTerminal } from './helpers.ts'

describe('worker: heartbeats and control', () => {
  test('publishes heartbeats with counters, queues and registered tasks', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker, { queues: ['default', 'mail'], concurrency: 3, version: '1.2.3' })
    const handle = await makeClient(broker).enqueue('debug.noop', {})
    await waitForTerminal(broker, handle.id)
    const info = await waitFor('a heartbeat counting the task', async () => {
      const me = (await broker.listWorkers(10_000)).find((w) => w.name === worker.name)
      return me && me.processed === 1 ? me : undefined
    })
    expect(info).toMatchObject({
      queues: ['default', 'mail'],
      concurrency: 3,
      version: '1.2.3',
      status: 'online',
    })
    expect(info.succeeded).toBe(1)
    expect(info.pid).toBe(process.pid)
    expect(info.rssBytes).toBeGreaterThan(0)
    expect(info.registered).toContain('debug.sleep')
  })

  test('answers a ping with pong', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker)
    await waitFor('online', async () =>
      (await broker.listWorkers(10_000)).some((w) => w.name === worker.name),
    )
    const seq = await broker.sendControl('ping', worker.name)
    const replies = await waitFor('a reply', async () => {
      const r = await broker.readReplies(seq)
      return r.length > 0 ? r : undefined
    })
    expect(replies[0]).toMatchObject({ worker: worker.name, reply: { ok: 'pong' } })
  })

  test('a control shutdown replies, then drains and resolves done with reason control', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker)
    await waitFor('online', async () =>
      (await broker.listWorkers(10_000)).some((w) => w.name === worker.name),
    )
    const seq = await broker.sendControl('shutdown', null)
    expect(await worker.done).toEqual({ code: 0, reason: 'control' })
    expect((await broker.readReplies(seq)).map((r) => r.worker)).toEqual([worker.name])
  })

  test('drains and exits with code 3 when memory goes above maxMemoryMb', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker, { maxMemoryMb: 1 })
    expect(await worker.done).toEqual({ code: 3, reason: 'max_memory' })
  })
})
