import { afterAll, expect, test } from 'bun:test'
import type { Socket } from 'node:net'
import { connect } from '../../src/brokers/redis/connect.ts'
import { RedisKeys } from '../../src/brokers/redis/keys.ts'
import { parseRedisUrl } from '../../src/brokers/redis/redis-url.ts'
import { deleteKeys, REDIS_URL, testPrefix } from './redis-support.ts'

const prefix = testPrefix('write-hold')

afterAll(async () => {
  await deleteKeys(REDIS_URL, [prefix])
})

/**
 * Counts the socket writes a stream makes: one per _write, or one per _writev of several chunks
 * (Bun's net socket passes a _writev's joined chunks on to _write, not counted again).
 */
function countWrites(stream: Socket): () => number {
  let writes = 0
  let inWritev = false
  const target = stream as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>
  const write = target._write.bind(stream)
  const writev = target._writev.bind(stream)
  target._write = (...args: unknown[]) => {
    if (!inWritev) writes++
    return write(...args)
  }
  target._writev = (...args: unknown[]) => {
    writes++
    inWritev = true
    try {
      return writev(...args)
    } finally {
      inWritev = false
    }
  }
  return () => writes
}

test('ioredis: a wait and the claim that rides behind it leave in one socket write', async () => {
  const conn = connect(parseRedisUrl(REDIS_URL), 5_000)
  try {
    const k = new RedisKeys(prefix).queue('q')
    const keys = [k.ready, k.delayed, k.leases, k.done, k.signal]
    const args = [k.taskPrefix, '', 1, 30_000, 'w-hold', 'base', 60_000]
    // The first call also loads the script (EVALSHA answered NOSCRIPT, then EVAL): count the next.
    await conn.blocking?.blpopThenRun([k.signal, '0.01'], 'reserve', keys, args)
    const writes = countWrites((conn.waitClient as unknown as { stream: Socket }).stream)
    const [, reply] = (await conn.blocking?.blpopThenRun([k.signal, '0.01'], 'reserve', keys, args)) ?? []
    expect(Array.isArray(reply)).toBe(true)
    expect(writes()).toBe(1)
  } finally {
    await conn.close()
  }
})
