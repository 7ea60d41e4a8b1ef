import { afterEach, describe, expect, test } from 'bun:test'
import { loadConfig } from '../../src/config/load-config.ts'
import { createBuiltinTasks } from '../../src/tasks/index.ts'
import { createTaskServices, type TaskServices } from '../../src/tasks/task-services.ts'
import { makeApi } from './api-harness.ts'

/** Names that are members of every plain object: a lookup in `{}` finds them without any config. */
const OBJECT_MEMBER_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']

const sourceJson = (name: string) =>
  `{"${name}": {"url": "sqlite:///tmp/none.db", "tables": {"orders": ["id"]}}}`

const opened: TaskServices[] = []
afterEach(async () => {
  for (const services of opened.splice(0)) await services.close()
})

/** An api whose export.csv task sees the export sources of `env`. */
function apiWithSources(env: Record<string, string>) {
  const services = createTaskServices({ config: loadConfig({ env, flags: {} }) })
  opened.push(services)
  return makeApi({ env, only: createBuiltinTasks(services) })
}

describe('export.csv source names that are members of plain objects', () => {
  test('an unconfigured source named after an object member is a 400 naming the source field', async () => {
    const api = apiWithSources({})
    for (const name of OBJECT_MEMBER_NAMES) {
      const response = await api.post('/api/v1/tasks/export.csv', {
        source: name,
        table: 'orders',
        fields: ['id'],
      })
      expect(response.status).toBe(400)
      const body = await response.json()
      expect(body.error).toBe('validation')
      expect(JSON.stringify(body.fields)).toContain('source')
    }
  })

  test('an unconfigured table named after an object member is a 400 naming the table field', async () => {
    const api = apiWithSources({ CELERIAC_EXPORT_SOURCES: sourceJson('shop') })
    for (const name of OBJECT_MEMBER_NAMES) {
      const response = await api.post('/api/v1/tasks/export.csv', {
        source: 'shop',
        table: name,
        fields: ['id'],
      })
      expect(response.status).toBe(400)
      expect(JSON.stringify((await response.json()).fields)).toContain('table')
    }
  })

  test('sources configured as constructor or toString are accepted and used like any other name', async () => {
    for (const name of ['constructor', 'toString']) {
      const api = apiWithSources({ CELERIAC_EXPORT_SOURCES: sourceJson(name) })
      const response = await api.post('/api/v1/tasks/export.csv', {
        source: name,
        table: 'orders',
        fields: ['id'],
      })
      expect(response.status).toBe(202)
      const refused = await api.post('/api/v1/tasks/export.csv', {
        source: name,
        table: 'orders',
        fields: ['nope'],
      })
      expect(refused.status).toBe(400)
    }
  })

  test('a source or table named __proto__ is refused at start-up with an error naming the field', () => {
    expect(() =>
      loadConfig({ env: { CELERIAC_EXPORT_SOURCES: sourceJson('__proto__') }, flags: {} }),
    ).toThrow(/CELERIAC_EXPORT_SOURCES.*__proto__/s)
    const table = '{"shop": {"url": "sqlite:///tmp/none.db", "tables": {"__proto__": ["id"]}}}'
    expect(() => loadConfig({ env: { CELERIAC_EXPORT_SOURCES: table }, flags: {} })).toThrow(
      /CELERIAC_EXPORT_SOURCES.*__proto__/s,
    )
  })
})
