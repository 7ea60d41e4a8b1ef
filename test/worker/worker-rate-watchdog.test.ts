import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import type { Broker, BrokerEngine } from '../../src/brokers/broker.ts'
import { Client } from '../../src/client/client.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { parseRateLimit } from '../../src/core/rate-limit.ts'
import { defineTask } from '../../src/core/task.ts'
import { abortableSleep } from '../../src/tasks/debug/abortable-sleep.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { makeBroker, startWorker, waitFor, waitForState } from './helpers.ts'

const limited = defineTask({ name: 'test.limited', input: z.object({}), rateLimit: '5/s', run: () => 'ok' })
const registry = () => createBuiltinRegistry([limited])

async function countSucceeded(broker: BrokerEngine, ids: string[]): Promise<number> {
  let n = 0
  for (const id of ids) if ((await broker.getResult(id))?.state === 'SUCCESS') n++
  return n
}

/** Waits until the count has held still for a while: the workers have done all they may. */
async function settledCount(broker: BrokerEngine, ids: string[]): Promise<number> {
  let last = -1
  let stableSince = Date.now()
  return waitFor('the succeeded count to settle', async () => {
    const n = await countSucceeded(broker, ids)
    if (n !== last) {
      last = n
      stableSince = Date.now()
    }
    return Date.now() - stableSince > 400 ? n : undefined
  })
}

describe('worker: global rate limits', () => {
  test('parses Celery-style rate texts', () => {
    expect(parseRateLimit('100/s')).toEqual({ count: 100, perMs: 1_000 })
    expect(parseRateLimit('10/m')).toEqual({ count: 10, perMs: 60_000 })
    expect(parseRateLimit('5/10s')).toEqual({ count: 5, perMs: 10_000 })
    expect(() => defineTask({ name: 'x', input: z.object({}), rateLimit: 'fast', run: () => 1 })).toThrow(
      /rateLimit: a rate like/,
    )
  })

  test('holds a limit across two workers with one shared bucket, and refills it with time', async () => {
    const clock = new FakeClock()
    const broker = makeBroker(clock)
    const client = new Client({ broker, registry: registry(), clock })
    const handles = await client.enqueueMany(Array.from({ length: 12 }, () => ({ task: limited, input: {} })))
    const ids = handles.map((h) => h.id)
    startWorker(broker, { registry: registry(), clock })
    startWorker(broker, { registry: registry(), clock })
    expect(await settledCount(broker, ids)).toBe(5)
    clock.advance(1_000)
    expect(await settledCount(broker, ids)).toBe(10)
    for (const id of ids) expect((await broker.getResult(id))?.retries).toBe(0)
  })

  test('lifts a limit for a task through control rate_limit', async () => {
    const clock = new FakeClock()
    const broker = makeBroker(clock)
    const client = new Client({ broker, registry: registry(), clock })
    startWorker(broker, { registry: registry(), clock, name: 'rate-w1' })
    const seq = await broker.sendControl('rate_limit', 'rate-w1', { task: 'test.limited', limit: '0' })
    const [reply] = await waitFor('a reply', async () => {
      const replies = await broker.readReplies(seq)
      return replies.length > 0 ? replies : undefined
    })
    expect(reply?.reply).toMatchObject({ ok: expect.stringContaining('test.limited') })
    const handles = await client.enqueueMany(Array.from({ length: 12 }, () => ({ task: limited, input: {} })))
    const ids = handles.map((h) => h.id)
    expect(await settledCount(broker, ids)).toBe(12)
  })
})

/** A broker whose calls can be made to fail or hang, to play a broker that went away. */
function faulty(broker: BrokerEngine) {
  const faults = { extendFails: false, reserveHangsOnce: false }
  const wrapped: Broker = Object.create(broker)
  wrapped.extendLeases = async (leases, ms) => {
    if (faults.extendFails) throw new Error('connection lost')
    return broker.extendLeases(leases, ms)
  }
  wrapped.reserve = async (request) => {
    if (faults.reserveHangsOnce) {
      faults.reserveHangsOnce = false
      return new Promise(() => {})
    }
    return broker.reserve(request)
  }
  return { wrapped: wrapped as BrokerEngine, faults }
}

const abortReasons: string[] = []
const slow = defineTask({
  name: 'test.slow',
  input: z.object({}),
  run: async (_input, ctx) => {
    ctx.signal.addEventListener('abort', () => abortReasons.push((ctx.signal.reason as Error).name))
    await abortableSleep(10_000, ctx.signal)
    return 'done'
  },
})

describe('worker: losing the broker', () => {
  test('stops a running task once its lease could not be renewed for a whole lease period', async () => {
    const broker = makeBroker()
    const { wrapped, faults } = faulty(broker)
    const reg = createBuiltinRegistry([slow])
    const client = new Client({ broker, registry: reg })
    startWorker(wrapped, { registry: reg, leaseMs: 600, heartbeatMs: 100 })
    const handle = await client.enqueue(slow, {})
    await waitForState(broker, handle.id, 'RECEIVED')
    faults.extendFails = true
    await waitFor('the task to be stopped', () => abortReasons.includes('LeaseLostError'), 3_000)
    // Nothing was written for it: it is recovered from its expired lease like any other.
    expect((await broker.getResult(handle.id))?.state).toBe('RECEIVED')
    const recovered = await waitFor('the lease to expire', async () => {
      const { requeued } = await broker.recoverExpired(3)
      return requeued.includes(handle.id) || undefined
    })
    expect(recovered).toBe(true)
    expect((await broker.taskEvents(handle.id)).map((e) => e.type)).not.toContain('task:succeeded')
  })

  test('restarts a consumer loop stuck on a call that never returns, and is not ready meanwhile', async () => {
    const broker = makeBroker()
    const { wrapped, faults } = faulty(broker)
    const client = new Client({ broker, registry: createBuiltinRegistry() })
    faults.reserveHangsOnce = true
    const worker = startWorker(wrapped, { registry: createBuiltinRegistry(), watchdogMs: 300 })
    await waitFor('the worker to be marked not ready', () => !worker.ready, 3_000)
    const handle = await client.enqueue('debug.noop', {})
    await waitForState(broker, handle.id, 'SUCCESS')
    await waitFor('the worker to be ready again', () => worker.ready, 3_000)
  })
})
