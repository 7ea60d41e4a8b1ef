import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { blockAfter } from '../readme/readme-blocks.ts'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from './celeriac-process.ts'

/**
 * Celery's send_task across machines: an api that has no task code accepts a name the config
 * declares, and a worker that loaded the module (-A) runs it; both share one Redis.
 */
const TOKEN = 'declared-tasks-token-0123456789'
const dir = mkdtempSync(join(tmpdir(), 'celeriac-declared-'))
const prefix = `declared-test-${process.pid}-${Date.now()}`
const env = {
  CELERIAC_BROKER_URL: `redis://127.0.0.1:6379/0?prefix=${prefix}`,
  CELERIAC_API_TOKENS: `${TOKEN}:read+submit`,
  CELERIAC_CONFIG: join(dir, 'celeriac.json'),
}
const where: CeleriacEnv = { cwd: dir, env }
let api: RunningCeleriac
let worker: RunningCeleriac
let base = ''

beforeAll(async () => {
  writeFileSync(join(dir, 'tasks.ts'), `${blockAfter('## Your own tasks').join('\n')}\n`)
  const declared = { name: 'shop.total', queue: 'orders', input: { type: 'object', required: ['items'] } }
  writeFileSync(join(dir, 'celeriac.json'), JSON.stringify({ tasks: [declared] }))
  api = new RunningCeleriac(['api', '--port', '0'], where)
  worker = new RunningCeleriac(['worker', '-A', './tasks.ts', '-Q', 'orders'], where)
  await Promise.all([
    api.waitForLog(/api listening on http:\/\/[^:]+:\d+/, 20_000),
    worker.waitForLog(/worker online/, 20_000),
  ])
  base = `http://127.0.0.1:${/api listening on http:\/\/[^:]+:(\d+)/.exec(api.stderr)?.[1]}`
}, 40_000)

afterAll(async () => {
  expect(await api.stop()).toBe(0)
  expect(await worker.stop()).toBe(0)
  const redis = new Bun.RedisClient('redis://127.0.0.1:6379/0')
  const keys = (await redis.send('KEYS', [`*${prefix}*`])) as string[]
  if (keys.length > 0) await redis.send('DEL', keys)
  redis.close()
  rmSync(dir, { recursive: true, force: true })
})

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('a declared task name on an api without the code', () => {
  test('is accepted by the api, checked against its JSON Schema, and run by the worker that has the code', async () => {
    const accepted = await post('/api/v1/tasks/shop.total', { items: [{ price: 2.5, qty: 4 }] })
    expect(accepted.status).toBe(202)
    const { task_id } = (await accepted.json()) as { task_id: string }
    const result = await runCeleriac(['result', task_id, '--wait', '15', '--json'], where)
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: 'SUCCESS',
      queue: 'orders',
      result: { total: 10 },
    })
    const refused = await post('/api/v1/tasks/shop.total', { lines: [] })
    expect(refused.status).toBe(400)
  }, 30_000)

  test('other names still get 404 with a suggestion', async () => {
    const res = await post('/api/v1/tasks/shop.totl', {})
    expect(res.status).toBe(404)
    expect(JSON.stringify(await res.json())).toContain('shop.total')
  })
})
