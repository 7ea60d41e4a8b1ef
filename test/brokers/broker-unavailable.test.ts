import { Database } from 'bun:sqlite'
import { afterEach, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isBrokerUnavailable } from '../../src/brokers/broker-unavailable.ts'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { systemClock } from '../../src/core/clock.ts'
import { CeleriacError, ValidationError } from '../../src/core/errors.ts'
import { rawMessage } from './raw-message.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** The error a real call raised, or a failure when it did not raise. */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}

describe('broker unavailable errors', () => {
  test('SQLITE_BUSY from a file another connection is writing counts as unavailable', async () => {
    const path = join(tmpdir(), `celeriac-busy-${process.pid}-${Bun.randomUUIDv7()}.db`)
    cleanups.push(() => rmSync(path, { force: true }))
    const holder = new Database(path, { create: true })
    holder.exec('CREATE TABLE t (x INTEGER)')
    holder.exec('BEGIN IMMEDIATE')
    const other = new Database(path)
    cleanups.push(() => {
      other.close()
      holder.close()
    })
    other.exec('PRAGMA busy_timeout = 0')
    const err = await thrown(() => other.exec('INSERT INTO t VALUES (1)'))
    expect((err as { code?: string }).code).toBe('SQLITE_BUSY')
    expect(isBrokerUnavailable(err)).toBe(true)
  })

  test('a Redis server answering LOADING counts as unavailable', async () => {
    // A real TCP server speaking RESP that answers every command as a loading Redis does.
    const server = Bun.listen({
      hostname: '127.0.0.1',
      port: 0,
      socket: {
        data(socket, data) {
          const commands = data
            .toString()
            .split('\r\n')
            .filter((l) => l.startsWith('*')).length
          for (let i = 0; i < commands; i++)
            socket.write('-LOADING Redis is loading the dataset in memory\r\n')
        },
      },
    })
    cleanups.push(() => server.stop(true))
    const broker = createRedisBroker({
      url: `redis://127.0.0.1:${server.port}/0`,
      clock: systemClock,
      commandTimeoutMs: 1_000,
    })
    cleanups.push(() => broker.close().catch(() => {}))
    const err = await thrown(() => broker.enqueue([rawMessage('q', Date.now())]))
    expect(isBrokerUnavailable(err)).toBe(true)
  })

  test('refused connections and timeouts count; bad input and unknown errors do not', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    expect(isBrokerUnavailable(refused)).toBe(true)
    expect(isBrokerUnavailable(new Error('Command timed out'))).toBe(true)
    expect(isBrokerUnavailable(new CeleriacError('TIMEOUT', 'x'))).toBe(true)
    expect(isBrokerUnavailable(new ValidationError('input', [{ path: 'a', message: 'b' }]))).toBe(false)
    expect(isBrokerUnavailable(new TypeError('x is undefined'))).toBe(false)
    expect(isBrokerUnavailable('LOADING')).toBe(false)
  })
})
