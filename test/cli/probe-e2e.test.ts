import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../brokers/redis-server-process.ts'
import { runCeleriac } from './celeriac-process.ts'

const cwd = mkdtempSync(join(tmpdir(), 'celeriac-probe-'))
let ready = true
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch: (req) =>
    new URL(req.url).pathname === '/readyz' && ready
      ? Response.json({ status: 'ready' })
      : Response.json({ status: 'unavailable' }, { status: 503 }),
})
afterAll(async () => {
  await server.stop(true)
  rmSync(cwd, { recursive: true, force: true })
})

const where = { cwd, env: {} }

describe('celeriac probe (container health checks)', () => {
  test('exits 0 when the URL answers 2xx', async () => {
    const run = await runCeleriac(['probe', `http://127.0.0.1:${server.port}/readyz`], where)
    expect(run).toMatchObject({ code: 0, stdout: `http://127.0.0.1:${server.port}/readyz: 200` })
  })

  test('exits 1 and says the status when the URL answers 503', async () => {
    ready = false
    const run = await runCeleriac(['probe', `http://127.0.0.1:${server.port}/readyz`], where)
    ready = true
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(': 503')
  })

  test('exits 1 when nothing listens on the port', async () => {
    const run = await runCeleriac(
      ['probe', `http://127.0.0.1:${freePort()}/healthz`, '--timeout', '1'],
      where,
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toStartWith('celeriac: http://127.0.0.1:')
  })

  test('refuses a URL that is not http with a usage error naming the argument', async () => {
    const run = await runCeleriac(['probe', 'redis://127.0.0.1:6379'], where)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("<url>: expected http or https, got 'redis'")
  })
})
