import { describe, expect, test } from 'bun:test'
import { FakeClock } from '../../src/core/clock.ts'
import { makeApi, TOKENS } from './api-harness.ts'

const T0 = Date.UTC(2026, 5, 1, 10, 0, 0)

describe('api schedule routes', () => {
  test('creates, lists, edits, runs and deletes a schedule, showing its next five fire times', async () => {
    const api = makeApi({ clock: new FakeClock(T0) })
    const created = await api.post('/api/v1/schedules', {
      name: 'hourly',
      task: 'debug.noop',
      cron: '0 0 * * * *',
      timezone: 'Europe/Amsterdam',
    })
    expect(created.status).toBe(201)
    const body = await created.json()
    expect(body.entry).toMatchObject({ name: 'hourly', enabled: true, catchUp: 'skip' })
    expect(body.nextFireTimes).toEqual([
      '2026-06-01T11:00:00.000Z',
      '2026-06-01T12:00:00.000Z',
      '2026-06-01T13:00:00.000Z',
      '2026-06-01T14:00:00.000Z',
      '2026-06-01T15:00:00.000Z',
    ])
    const list = await (await api.request('/api/v1/schedules', { token: TOKENS.read })).json()
    expect(list.schedules.map((s: { entry: { name: string } }) => s.entry.name)).toEqual(['hourly'])

    const patched = await api.request('/api/v1/schedules/hourly', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ every: '5m', enabled: false }),
    })
    expect(patched.status).toBe(200)
    const after = await patched.json()
    expect(after.entry).toMatchObject({ every: '5m', enabled: false })
    expect(after.entry.cron).toBeUndefined()
    expect(after.nextFireTimes[0]).toBe('2026-06-01T10:05:00.000Z')

    const run = await api.post('/api/v1/schedules/hourly/run', undefined)
    expect(run.status).toBe(202)
    const { task_id } = await run.json()
    expect((await api.broker.getResult(task_id))?.task).toBe('debug.noop')
    expect((await (await api.request('/api/v1/schedules/hourly')).json()).state.lastTaskId).toBe(task_id)

    expect((await api.request('/api/v1/schedules/hourly', { method: 'DELETE' })).status).toBe(204)
    expect((await api.request('/api/v1/schedules/hourly')).status).toBe(404)
  })

  test('answers 400 naming the field for a bad cron, an unknown task or an input its task refuses, 409 for a duplicate', async () => {
    const api = makeApi()
    const badCron = await api.post('/api/v1/schedules', { name: 'x', task: 'debug.noop', cron: '61 * * * *' })
    expect(badCron.status).toBe(400)
    const cronBody = await badCron.json()
    expect(cronBody.fields[0].path).toBe('cron')
    expect(cronBody.fields[0].message).toContain('Invalid value for minute: 61')
    const unknown = await api.post('/api/v1/schedules', { name: 'x', task: 'nope', every: '1m' })
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).fields[0].path).toBe('task')
    // The input is checked against the task's own schema when written, not when beat fires it.
    const badInput = { name: 'x', task: 'debug.sleep', every: '1m', input: { ms: 'soon' } }
    const refused = await api.post('/api/v1/schedules', badInput)
    expect(refused.status).toBe(400)
    expect((await refused.json()).fields[0].path).toBe('input.ms')
    expect((await api.post('/api/v1/schedules', { name: 'x', task: 'debug.noop', every: '1m' })).status).toBe(
      201,
    )
    expect((await api.post('/api/v1/schedules', { name: 'x', task: 'debug.noop', every: '1m' })).status).toBe(
      409,
    )
    const rename = await api.request('/api/v1/schedules/x', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'y' }),
    })
    expect(rename.status).toBe(400)
  })

  test('needs the admin scope to change schedules and read to list them', async () => {
    const api = makeApi()
    const entry = { name: 'x', task: 'debug.noop', every: '1m' }
    expect((await api.post('/api/v1/schedules', entry, { token: TOKENS.submit })).status).toBe(403)
    expect((await api.request('/api/v1/schedules', { token: null })).status).toBe(401)
    expect((await api.request('/api/v1/schedules', { token: TOKENS.read })).status).toBe(200)
  })
})
