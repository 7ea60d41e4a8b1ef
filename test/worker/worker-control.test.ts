import { describe, expect, test } from 'bun:test'
import type { BrokerEngine } from '../../src/brokers/broker.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import type { Json } from '../../src/core/json.ts'
import type { Worker } from '../../src/worker/worker.ts'
import { makeBroker, makeClient, startWorker, waitFor, waitForTerminal } from './helpers.ts'

/** Sends one control command to `worker` once it is online and returns its reply. */
async function ask(broker: BrokerEngine, worker: Worker, command: 'conf' | 'time_limit', args = {}) {
  await waitFor('online', async () => (await broker.listWorkers(10_000)).some((w) => w.name === worker.name))
  const seq = await broker.sendControl(command, worker.name, args)
  const [reply] = await waitFor('a reply', async () => {
    const r = await broker.readReplies(seq)
    return r.length > 0 ? r : undefined
  })
  return reply?.reply as Json
}

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

  test('a control time_limit gives a task a hard limit in this worker: its next run stops there', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker)
    expect(await ask(broker, worker, 'time_limit', { task: 'debug.sleep', soft: 0, hard: 0.2 })).toEqual({
      ok: 'time limits of debug.sleep set: soft none, hard 0.2 s',
    })
    const handle = await makeClient(broker).enqueue('debug.sleep', { ms: 10_000 })
    const result = await waitForTerminal(broker, handle.id, 8_000)
    expect(result.state).toBe('FAILURE')
    expect(result.error?.type).toBe('TimeLimitExceeded')
  })

  test('a control time_limit with a soft limit aborts the task signal at that limit', async () => {
    const broker = makeBroker()
    const worker = startWorker(broker)
    await ask(broker, worker, 'time_limit', { task: 'debug.sleep', soft: 0.2, hard: 0 })
    const handle = await makeClient(broker).enqueue('debug.sleep', { ms: 10_000 })
    // The first attempt ends at the soft limit; what follows is the task's retry policy.
    const error = await waitFor(
      'the first attempt to end',
      async () => (await broker.getResult(handle.id))?.error ?? undefined,
      8_000,
    )
    expect(error.type).toBe('SoftTimeLimitExceeded')
  })

  test('answers conf with the config it was given, secrets redacted', async () => {
    const broker = makeBroker()
    const config = loadConfig({
      env: { CELERIAC_SMTP_URL: 'smtp://u:p4ssw0rd-x@mail.example.com:587' },
      flags: {},
    })
    const reply = (await ask(broker, startWorker(broker, { config }), 'conf')) as Record<string, Json>
    expect(reply.smtpUrl).toBe('smtp://u:***@mail.example.com:587')
    expect(JSON.stringify(reply)).not.toContain('p4ssw0rd-x')
  })

  test('answers conf with an error when it was started without a config', async () => {
    const broker = makeBroker()
    expect(await ask(broker, startWorker(broker), 'conf')).toEqual({
      error: 'this worker was started without a config to show',
    })
  })
})
