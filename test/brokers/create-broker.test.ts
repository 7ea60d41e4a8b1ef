import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBroker, redactUrl, suggestScheme } from '../../src/brokers/create-broker.ts'
import { parseRedisUrl } from '../../src/brokers/redis/redis-url.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { CeleriacError } from '../../src/core/errors.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-create-'))
  dirs.push(dir)
  return dir
}

function configError(fn: () => unknown): CeleriacError {
  try {
    fn()
  } catch (err) {
    if (err instanceof CeleriacError) return err
    throw err
  }
  throw new Error('expected a CeleriacError')
}

describe('createBroker', () => {
  test('opens a sqlite file relative to the working directory, creating missing folders', async () => {
    const cwd = tempDir()
    const broker = createBroker('sqlite://./data/nested/celeriac.db', { clock: new FakeClock(), cwd })
    expect(broker.engine).toBe('sqlite')
    expect(broker.capabilities).toEqual({ blockingReserve: false })
    expect(existsSync(join(cwd, 'data/nested/celeriac.db'))).toBe(true)
    await broker.close()
  })

  test('opens an absolute sqlite path given with three slashes', async () => {
    const file = join(tempDir(), 'abs.db')
    const broker = createBroker(`sqlite://${file}`, { clock: new FakeClock() })
    await broker.close()
    expect(existsSync(file)).toBe(true)
  })

  test('opens an in-memory database for sqlite::memory:', async () => {
    const broker = createBroker('sqlite::memory:', { clock: new FakeClock() })
    expect(await broker.getResult('x')).toBeNull()
    await broker.close()
  })

  test('rejects an unknown scheme with the URL and a did-you-mean hint', () => {
    const err = configError(() => createBroker('sqlit://./x.db', { clock: new FakeClock() }))
    expect(err.code).toBe('CONFIG')
    expect(err.message).toContain("'sqlit://./x.db'")
    expect(err.message).toContain("did you mean 'sqlite://'?")
  })

  test('suggests sqlite for a bare path without a scheme', () => {
    const err = configError(() => createBroker('./data/celeriac.db', { clock: new FakeClock() }))
    expect(err.message).toContain("did you mean 'sqlite://'?")
  })

  test('rejects a bad upstash setting without leaking the token', () => {
    for (const url of ['upstash://host?token=hunter2&timeoutMs=soon', 'upstash://hunter2@host?retries=-1']) {
      const err = configError(() => createBroker(url, { clock: new FakeClock() }))
      expect(err.code).toBe('CONFIG')
      expect(err.message).not.toContain('hunter2')
    }
  })

  test('needs an upstash token from the URL or the config (CELERIAC_UPSTASH_TOKEN)', () => {
    const err = configError(() => createBroker('upstash://host', { clock: new FakeClock() }))
    expect(err.message).toContain('no token')
    const config = loadConfig({
      env: { CELERIAC_UPSTASH_TOKEN: 'hunter2', CELERIAC_UPSTASH_IDLE_POLL_MS: '2500' },
      flags: {},
    })
    const upstash = { token: config.upstashToken, idlePollMs: config.upstashIdlePollMs }
    const broker = createBroker('upstash://example.upstash.io', { clock: new FakeClock(), upstash })
    expect(broker.engine).toBe('upstash')
    expect(broker.capabilities).toMatchObject({ blockingReserve: false, idlePollMs: 2500 })
  })

  test('rejects a malformed redis URL without leaking the password', () => {
    const err = configError(() =>
      createBroker('redis://:hunter2@localhost:notaport', { clock: new FakeClock() }),
    )
    expect(err.code).toBe('CONFIG')
    expect(err.message).not.toContain('hunter2')
  })

  test("?client= picks ioredis or Bun's client, and names the parameter when it cannot", () => {
    const unknown = configError(() =>
      createBroker('redis://:hunter2@localhost:6379/0?client=node-redis', { clock: new FakeClock() }),
    )
    expect(unknown.message).toContain("client must be one of ioredis, bun, got 'node-redis'")
    expect(unknown.message).not.toContain('hunter2')
    const cluster = configError(() =>
      createBroker('redis+cluster://127.0.0.1:7000,127.0.0.1:7001?client=bun', { clock: new FakeClock() }),
    )
    expect(cluster.message).toContain('client=bun works with one server, not a cluster')
    expect(parseRedisUrl('redis://localhost/2?client=bun&prefix=app')).toMatchObject({
      client: 'bun',
      db: 2,
      prefix: 'app',
    })
    expect(parseRedisUrl('redis://localhost').client).toBe('ioredis')
  })
})

describe('suggestScheme', () => {
  test('picks the nearest known scheme', () => {
    expect(suggestScheme('reddis')).toBe('redis')
    expect(suggestScheme('upstach')).toBe('upstash')
    expect(suggestScheme('SQLITE3')).toBe('sqlite')
  })
})

describe('redactUrl', () => {
  test('hides passwords and tokens but keeps the rest', () => {
    expect(redactUrl('redis://:secret@host:6379/0')).toBe('redis://:***@host:6379/0')
    expect(redactUrl('rediss://user:p%40ss@host')).toBe('rediss://user:***@host')
    expect(redactUrl('upstash://host?token=abc&x=1')).toBe('upstash://host?token=***&x=1')
    expect(redactUrl('upstash://abc@host.upstash.io')).toBe('upstash://***@host.upstash.io')
    expect(redactUrl('upstash+http://abc@127.0.0.1:8079')).toBe('upstash+http://***@127.0.0.1:8079')
    expect(redactUrl('sqlite://./data/celeriac.db')).toBe('sqlite://./data/celeriac.db')
  })
})

describe('createBroker sqlite options', () => {
  test('rejects an unknown sync mode in the URL, naming it', () => {
    const err = configError(() => createBroker('sqlite::memory:?sync=fast', { clock: new FakeClock() }))
    expect(err.message).toContain("sync must be 'full' or 'normal', got 'fast'")
  })

  test('accepts sync=normal in the URL', async () => {
    const file = join(tempDir(), 'normal.db')
    const broker = createBroker(`sqlite://${file}?sync=normal`, { clock: new FakeClock() })
    await broker.close()
    expect(existsSync(file)).toBe(true)
  })
})
