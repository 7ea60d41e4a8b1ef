import { afterAll, describe, expect, test } from 'bun:test'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { checkScriptReply } from '../../src/brokers/redis/script-errors.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { CeleriacError } from '../../src/core/errors.ts'
import type { TaskMessage } from '../../src/core/message.ts'
import { rawMessage } from './raw-message.ts'
import { deleteKeys, REDIS_URL, testPrefix } from './redis-support.ts'

const prefixes: string[] = []

afterAll(async () => {
  await deleteKeys(REDIS_URL, prefixes)
})

const message = (queue: string, createdAt: number): TaskMessage => rawMessage(queue, createdAt)

describe('redis script replies', () => {
  test('turns the refusal -1 into a BROKER error naming the operation and the reason', () => {
    const err = (() => {
      try {
        checkScriptReply('settle', -1)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(CeleriacError)
    expect(err).toMatchObject({ code: 'BROKER', message: 'redis settle: unknown settlement kind' })
  })

  test('reports an unmapped negative reply as a BROKER script error with its number', () => {
    expect(() => checkScriptReply('reserve', -7)).toThrow('redis reserve: script error -7')
    expect(() => checkScriptReply('reserve', -7)).toThrow(CeleriacError)
    const err = (() => {
      try {
        checkScriptReply('reserve', -7)
      } catch (e) {
        return e
      }
    })()
    expect(err).toMatchObject({ code: 'BROKER' })
  })

  test('passes every other reply through unchanged', () => {
    expect(checkScriptReply('settle', 1)).toBe(1)
    expect(checkScriptReply('settle', 0)).toBe(0)
    expect(checkScriptReply('settle', '-1')).toBe('-1')
    const list = [1, 0]
    expect(checkScriptReply('settle', list)).toBe(list)
  })
})

describe('redis recovery pass', () => {
  test('drops expired results itself, so memory stays flat even if cleanup never runs', async () => {
    const prefix = testPrefix('recover-trim')
    prefixes.push(prefix)
    const clock = new FakeClock()
    const broker = createRedisBroker({ url: REDIS_URL, clock, prefix, resultTtlMs: 1_000 })
    try {
      const m = message('q-trim', clock.now())
      await broker.enqueue([m])
      const [lease] = await broker.reserve({ queues: [m.queue], max: 1, leaseMs: 30_000, worker: 'w' })
      if (!lease) throw new Error('nothing reserved')
      await broker.settle([{ kind: 'ack', lease, result: 'x', runtimeMs: 1 }])
      clock.advance(1_000)
      await broker.recoverExpired(3)
      expect(await broker.cleanup(60_000)).toMatchObject({ results: 0 })
    } finally {
      await broker.close()
    }
  })
})
