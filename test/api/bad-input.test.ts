import { describe, expect, test } from 'bun:test'
import { makeApi } from './api-harness.ts'
import { CASES } from './bad-input-cases.ts'

describe('api bad input', () => {
  const api = () =>
    makeApi({ env: { CELERIAC_API_BODY_LIMIT: '65536', CELERIAC_API_ETA_HORIZON_MS: '3600000' } })

  test.each(CASES.map((c) => [c.name, c] as const))(
    'rejects %s with a JSON error and stores nothing',
    async (_, c) => {
      const a = api()
      const res = await c.send(a)
      const body = await res.json()
      expect({ status: res.status, error: body.error }).toEqual({ status: c.status, error: c.error })
      expect(typeof body.message).toBe('string')
      if (c.fields)
        expect(body.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(c.fields))
      expect(JSON.stringify(body)).not.toMatch(/\n\s+at /)
      expect((await a.broker.listTasks({})).tasks).toEqual([])
    },
  )

  test('round-trips unicode, emoji and NUL byte-exact', async () => {
    const a = api()
    const input = { s: 'é 😀 \u0000 \u2028 \uFEFF 𝄞', n: -0.5, big: 9007199254740991, e: 1e300 }
    const res = await a.post('/api/v1/tasks/debug.noop', input)
    expect(res.status).toBe(202)
    const detail = await (await a.request(`/api/v1/tasks/${(await res.json()).task_id}`)).json()
    expect(detail.input).toEqual(input)
  })

  test('accepts a body without content type when it is empty (the task input has a default)', async () => {
    const a = api()
    expect((await a.request('/api/v1/tasks/debug.noop', { method: 'POST' })).status).toBe(202)
  })
})
