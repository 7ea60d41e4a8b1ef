import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { UnrecoverableError } from '../../src/core/errors.ts'
import { defineTask } from '../../src/core/task.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { startWorker } from '../worker/helpers.ts'
import { makeApi, TOKENS } from './api-harness.ts'

/** POST/GET /api/v1/workflows and revoke/retry, over a real SQLite broker with a worker. */
const add = defineTask({
  name: 'wf.add',
  input: z.object({ x: z.number(), y: z.number() }),
  run: ({ x, y }) => x + y,
})
const total = defineTask({
  name: 'wf.total',
  input: z.array(z.number()),
  run: (ns) => ns.reduce((a, b) => a + b, 0),
})
let failuresLeft = 1
const flaky = defineTask({
  name: 'wf.flaky',
  input: z.number(),
  run: (n) => {
    if (failuresLeft-- > 0) throw new UnrecoverableError('down for now')
    return n + 1
  },
})
const tasks = [add, total, flaky]

async function view(api: ReturnType<typeof makeApi>, url: string, until: (v: { state: string }) => boolean) {
  for (let i = 0; i < 200; i++) {
    const v = await (await api.request(url)).json()
    if (until(v)) return v
    await Bun.sleep(25)
  }
  throw new Error(`workflow at ${url} never reached the state`)
}

describe('workflow routes', () => {
  test('a chord started by POST runs to SUCCESS; GET shows every member with its state and result', async () => {
    const api = makeApi({ tasks })
    startWorker(api.broker, { registry: createBuiltinRegistry(tasks) })
    const res = await api.post('/api/v1/workflows', {
      chord: [1, 2, 3].map((x) => ({ task: 'wf.add', input: { x, y: 10 } })),
      callback: { task: 'wf.total' },
    })
    expect(res.status).toBe(202)
    const { workflow_id, status_url } = await res.json()
    expect(res.headers.get('location')).toBe(status_url)
    const done = await view(api, status_url, (v) => v.state === 'SUCCESS')
    expect(done).toMatchObject({
      id: workflow_id,
      result: 36,
      tree: { kind: 'chord', callback: { state: 'SUCCESS' } },
    })
    expect(done.tree.members.map((m: { result: number }) => m.result)).toEqual([11, 12, 13])
  })

  test('a failed chain step is retried through the API and the chain resumes from it', async () => {
    failuresLeft = 1
    const api = makeApi({ tasks })
    startWorker(api.broker, { registry: createBuiltinRegistry(tasks) })
    const { status_url } = await (
      await api.post('/api/v1/workflows', {
        chain: [{ task: 'wf.add', input: { x: 1, y: 1 } }, { task: 'wf.flaky' }, { task: 'wf.flaky' }],
      })
    ).json()
    const failed = await view(api, status_url, (v) => v.state === 'FAILURE')
    expect(failed.tree.steps.map((s: { state: string }) => s.state)).toEqual([
      'SUCCESS',
      'FAILURE',
      'PENDING',
    ])
    const retried = await api.post(`${status_url}/retry`, {})
    expect(retried.status).toBe(202)
    expect((await retried.json()).requeued).toHaveLength(1)
    const resumed = await view(api, status_url, (v) => v.state === 'SUCCESS')
    expect(resumed.result).toBe(4)
  })

  test('revoke stops every member, those not enqueued yet too', async () => {
    const api = makeApi({ tasks })
    const { status_url } = await (
      await api.post('/api/v1/workflows', {
        chain: [
          { task: 'debug.sleep', input: { ms: 1 } },
          { task: 'wf.add', input: { x: 1, y: 2 } },
        ],
      })
    ).json()
    const revoked = await api.post(`${status_url}/revoke`, {})
    expect(await revoked.json()).toMatchObject({ revoked: 2 })
    startWorker(api.broker, { registry: createBuiltinRegistry(tasks) })
    const v = await view(api, status_url, (x) => x.state === 'FAILURE')
    expect(v.tree.steps[0].state).toBe('REVOKED')
  })

  test('bad trees get a 400 naming the field; an unknown task a 404; an unknown workflow a 404; scopes hold', async () => {
    const api = makeApi({ tasks })
    const bad = await api.post('/api/v1/workflows', {
      chain: [{ task: 'wf.add', input: { x: 1, y: 1 } }, { grup: [] }],
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('chain.1')
    const tooDeep = await api.post(
      '/api/v1/workflows',
      JSON.parse(`${'{"chain":['.repeat(20)}{"task":"wf.add"}${']}'.repeat(20)}`),
    )
    expect(tooDeep.status).toBe(400)
    const unknown = await api.post('/api/v1/workflows', { group: [{ task: 'wf.nope' }] })
    expect(unknown.status).toBe(404)
    expect((await api.request('/api/v1/workflows/no-such-id')).status).toBe(404)
    const readOnly = await api.post(
      '/api/v1/workflows',
      { task: 'wf.add', input: { x: 1, y: 1 } },
      { token: TOKENS.read },
    )
    expect(readOnly.status).toBe(403)
  })
})
