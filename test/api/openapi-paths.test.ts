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
