import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REDIS_URL } from '../brokers/redis-support.ts'
import { RunningCeleriac, runCeleriac } from './celeriac-process.ts'

// Client commands (call, status, result, ...) use a broker a role created; they never create one.

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-client-broker-'))
  dirs.push(dir)
  return dir
}

describe('client commands and the broker they open', () => {
  test('call from a directory with no database refuses, naming the path, and creates nothing', async () => {
    const dir = tempDir()
    const { code, stderr } = await runCeleriac(['call', 'debug.noop'], { cwd: dir, env: {} })
    expect(code).toBe(2)
    expect(stderr).toContain(join(dir, 'data', 'celeriac.db'))
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(join(dir, 'data'))).toBe(false)
  })

  test('status on a sqlite path in a missing directory refuses and creates no directory', async () => {
    const dir = tempDir()
    const path = join(dir, 'no-such-dir', 'x.db')
    const { code, stderr } = await runCeleriac(['status', '--broker', `sqlite://${path}`], {
      cwd: dir,
      env: {},
    })
    expect(code).toBe(2)
    expect(stderr).toContain(path)
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false)
  })

  test('a role creates the database; a client command then uses it', async () => {
    const dir = tempDir()
    const where = { cwd: dir, env: { CELERIAC_BROKER_URL: `sqlite://${join(dir, 'made', 'made.db')}` } }
    expect((await runCeleriac(['status'], where)).code).toBe(2)
    const worker = new RunningCeleriac(['worker'], where)
    try {
      await worker.waitForLog(/worker online/)
    } finally {
      expect(await worker.stop()).toBe(0)
    }
    expect(await runCeleriac(['status'], where)).toMatchObject({ code: 0 })
  })

  test.each(['', '?client=bun'])(
    'a Redis db number the server does not have is an error naming the URL (%s)',
    async (query) => {
      const url = `${REDIS_URL.replace(/\/\d+$/, '')}/99${query}`
      const { code, stderr } = await runCeleriac(['status', '--broker', url], { cwd: tempDir(), env: {} })
      expect(code).toBe(2)
      expect(stderr).toContain(url)
      expect(stderr).toMatch(/db 99 is not usable/i)
    },
  )
})
