import { Database } from 'bun:sqlite'
import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrokerEngine } from '../../src/brokers/broker.ts'
import { createBroker } from '../../src/brokers/create-broker.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { describeBroker } from './conformance.ts'
import { rawMessage } from './raw-message.ts'
import { deleteKeys, REDIS_URL, testPrefix } from './redis-support.ts'

/**
 * Signed messages and encrypted payloads: a decorator over any engine, so the whole conformance
 * suite runs again through it (every answer a reader gets is the plaintext), and the tests below
 * look at what the store itself holds and at what a worker is refused.
 */
const SIGNING_OLD = `old:${'s'.repeat(40)}`
const SIGNING_NEW = `new:${'n'.repeat(40)}`
const KEY_OLD = `k1:${Buffer.alloc(32, 1).toString('base64')}`
const KEY_NEW = `k2:${Buffer.alloc(32, 2).toString('base64')}`
const BOTH = { signing: `${SIGNING_NEW},${SIGNING_OLD}`, encryption: `${KEY_NEW},${KEY_OLD}` }

const files: string[] = []
const prefixes: string[] = []
afterEach(() => {
  for (const file of files.splice(0))
    for (const s of ['', '-wal', '-shm']) rmSync(`${file}${s}`, { force: true })
})
afterAll(() => deleteKeys(REDIS_URL, prefixes))

function sqlitePath(): string {
  const path = join(tmpdir(), `celeriac-sealed-${process.pid}-${Bun.randomUUIDv7()}.db`)
  files.push(path)
  return path
}

function open(
  path: string,
  clock: FakeClock,
  payloadKeys: { signing: string | null; encryption: string | null },
) {
  return createBroker(`sqlite://${path}`, { clock, payloadKeys, log: silentLogger })
}

describeBroker('sqlite, signed and encrypted', async (clock) => open(sqlitePath(), clock as FakeClock, BOTH))

describeBroker('redis, signed and encrypted', async (clock) => {
  const prefix = testPrefix('sealed')
  prefixes.push(prefix)
  return createBroker(`${REDIS_URL}?prefix=${prefix}`, { clock, payloadKeys: BOTH, log: silentLogger })
})

describe('what the store holds and what a worker is refused', () => {
  const reserve = (broker: BrokerEngine, queue: string) =>
    broker.reserve({ queues: [queue], max: 10, leaseMs: 30_000, worker: 'w1' })
  const secretInput = { card: '4111-1111-1111-1111', note: 'plaintext-marker' }

  test('inputs, results and progress meta are ciphertext at rest; readers and workers see plaintext', async () => {
    const path = sqlitePath()
    const clock = new FakeClock()
    const broker = open(path, clock, BOTH)
    try {
      const m = rawMessage('q', clock.now(), { input: secretInput })
      await broker.enqueue([m])
      const [lease] = await reserve(broker, 'q')
      expect(lease?.message.input).toEqual(secretInput)
      if (!lease) throw new Error('no lease')
      await broker.setState(lease, 'PROGRESS', { step: 'plaintext-marker' })
      expect((await broker.taskEvents(m.id)).find((e) => e.type === 'task:progress')?.data).toEqual({
        meta: { step: 'plaintext-marker' },
      })
      await broker.settle([{ kind: 'ack', lease, result: { paid: 'plaintext-marker' }, runtimeMs: 1 }])
      expect(await broker.getResult(m.id)).toMatchObject({
        input: secretInput,
        result: { paid: 'plaintext-marker' },
        meta: { step: 'plaintext-marker' },
      })
      expect((await broker.listTasks({ queue: 'q' })).tasks[0]?.input).toEqual(secretInput)
      const db = new Database(path, { readonly: true })
      const rows =
        JSON.stringify(db.query('SELECT * FROM tasks').all()) +
        JSON.stringify(db.query('SELECT * FROM events').all())
      db.close()
      expect(rows).not.toContain('plaintext-marker')
      expect(rows).not.toContain('4111')
      expect(rows).toContain('$sealed')
    } finally {
      await broker.close()
    }
  })

  test('unsigned and altered messages become dead letters naming why; the others of the same claim run', async () => {
    const path = sqlitePath()
    const clock = new FakeClock()
    const sealed = open(path, clock, BOTH)
    const plain = open(path, clock, { signing: null, encryption: null })
    try {
      const good = rawMessage('q', clock.now(), { input: { n: 1 } })
      const altered = rawMessage('q', clock.now(), { input: { n: 2 } })
      await sealed.enqueue([good, altered])
      const unsigned = rawMessage('q', clock.now(), { input: { n: 3 } })
      await plain.enqueue([unsigned])
      // An attacker with write access to the store changes a stored message's task name.
      const db = new Database(path)
      const row = db
        .query<{ message: string }, [string]>('SELECT message FROM tasks WHERE id = ?')
        .get(altered.id)
      const changed = JSON.parse(row?.message as string)
      changed.task = 'maintenance.purge_everything'
      db.query('UPDATE tasks SET message = ? WHERE id = ?').run(JSON.stringify(changed), altered.id)
      db.close()

      const leases = await reserve(sealed, 'q')
      expect(leases.map((l) => l.id)).toEqual([good.id])
      for (const [id, message] of [
        [altered.id, 'does not match'],
        [unsigned.id, 'not signed'],
      ] as const) {
        const dead = await sealed.getResult(id)
        expect(dead).toMatchObject({ state: 'FAILURE', deadReason: 'bad_signature' })
        expect(dead?.error?.message).toContain(message)
      }
      expect((await sealed.listDead('q')).map((d) => d.id).sort()).toEqual([altered.id, unsigned.id].sort())
    } finally {
      await sealed.close()
      await plain.close()
    }
  })

  test('keys rotate: a message sealed with the old key still runs after a new key is put first; a dropped key is refused', async () => {
    const path = sqlitePath()
    const clock = new FakeClock()
    const before = open(path, clock, { signing: SIGNING_OLD, encryption: KEY_OLD })
    const m = rawMessage('q', clock.now(), { input: { n: 'old key' } })
    await before.enqueue([m])
    const lost = rawMessage('q', clock.now(), { input: { n: 'dropped key' } })
    await open(path, clock, {
      signing: SIGNING_OLD,
      encryption: `gone:${Buffer.alloc(32, 9).toString('base64')}`,
    }).enqueue([lost])
    await before.close()
    const after = open(path, clock, BOTH)
    try {
      const leases = await reserve(after, 'q')
      expect(leases.map((l) => [l.id, l.message.input])).toEqual([[m.id, { n: 'old key' }]])
      expect(await after.getResult(lost.id)).toMatchObject({ state: 'FAILURE', deadReason: 'undecryptable' })
      // A reader without the key sees the stored value as sealed, not an error.
      expect((await after.getResult(lost.id))?.input).toEqual({ $sealed: expect.stringContaining('.gone.') })
      const next = rawMessage('q', clock.now(), { input: { n: 'new key' } })
      await after.enqueue([next])
      const db = new Database(path, { readonly: true })
      const stored = db
        .query<{ message: string }, [string]>('SELECT message FROM tasks WHERE id = ?')
        .get(next.id)
      db.close()
      expect(JSON.parse(stored?.message as string)).toMatchObject({
        sig: expect.stringMatching(/^new\./),
        input: { $sealed: expect.stringContaining('.k2.') },
      })
    } finally {
      await after.close()
    }
  })
})
