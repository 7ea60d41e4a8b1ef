import { describe, expect, test } from 'bun:test'
import { API_PATHS } from '../../src/api/openapi/api-paths.ts'
import { makeApi } from './api-harness.ts'

/** `METHOD /path/{param}` for each operation. */
function operations(paths: Record<string, object | undefined>): string[] {
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.keys(ops ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
  )
}

describe('OpenAPI paths', () => {
  test('every registered /api/v1 route has an OpenAPI path and every OpenAPI path a route', () => {
    const api = makeApi()
    const routes = api.app.routes
      .filter((r) => r.method !== 'ALL' && (r.path.startsWith('/api/v1/') || r.path in API_PATHS))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    expect([...new Set(routes)].sort()).toEqual(operations(API_PATHS).sort())
  })
})

describe('OpenAPI paths of the monitoring API', () => {
  test('every route under the configured monitoring prefix has a path in the served document, and no more', async () => {
    const prefix = '/api/dashboard/celery'
    const api = makeApi({ env: { CELERIAC_MONITORING_PREFIX: prefix } })
    const routes = api.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith(`${prefix}/`))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    const document = await (await api.request('/api/v1/openapi.json')).json()
    const documented = operations(document.paths).filter((op) => op.includes(` ${prefix}/`))
    expect([...new Set(routes)].sort()).toEqual(documented.sort())
    expect(documented.length).toBeGreaterThanOrEqual(9)
  })

  test('the document has no monitoring paths when no prefix is configured', async () => {
    const api = makeApi()
    const document = await (await api.request('/api/v1/openapi.json')).json()
    expect(Object.keys(document.paths).filter((p) => p.includes('/dashboard/celery'))).toEqual([])
  })
})
