import { describe, expect, test } from 'bun:test'
import { makeApi } from './api-harness.ts'

/** The Django setups Celeriac replaces call their task endpoints with a trailing slash. */
describe('Django-style trailing slashes', () => {
  test('reach the same routes as the paths without one', async () => {
    const api = makeApi()
    const submitted = await api.post('/api/v1/tasks/debug.noop/', {})
    expect(submitted.status).toBe(202)
    const { task_id } = await submitted.json()
    const status = await api.request(`/api/v1/tasks/status/${task_id}/`)
    expect(status.status).toBe(200)
    expect((await status.json()).task_id).toBe(task_id)
    expect((await api.request(`/api/v1/tasks/${task_id}/`)).status).toBe(200)
    expect((await api.request('/api/v1/status/')).status).toBe(200)
    expect((await api.request('/api/v1/schedules/')).status).toBe(200)
    expect((await api.request('/healthz/')).status).toBe(200)
    const workers = await api.request('/api/v1/tasks/workers/')
    expect(workers.status).toBe(200)
    expect(await workers.json()).toMatchObject({ total_workers: 0, workers: {} })
    const revoked = await api.request(`/api/v1/tasks/revoke/${task_id}/`, { method: 'DELETE' })
    expect(revoked.status).toBe(202)
  })

  test('an unknown path is still a JSON 404, with or without the slash', async () => {
    const api = makeApi()
    for (const path of ['/api/v1/nope', '/api/v1/nope/']) {
      const res = await api.request(path)
      expect(res.status).toBe(404)
      expect((await res.json()).error).toBe('not_found')
    }
  })
})
