import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../src/config/load-config.ts'

const load = (prefix: string) => loadConfig({ env: { CELERIAC_MONITORING_PREFIX: prefix }, flags: {} })

describe('CELERIAC_MONITORING_PREFIX', () => {
  test('is off by default and takes a path like /api/dashboard/celery', () => {
    expect(loadConfig({ env: {}, flags: {} }).monitoringPrefix).toBeNull()
    expect(load('/api/dashboard/celery').monitoringPrefix).toBe('/api/dashboard/celery')
    expect(load('').monitoringPrefix).toBeNull()
  })

  test('refuses a path without its leading slash or with a trailing one, naming the variable', () => {
    for (const bad of ['api/dashboard/celery', '/api/dashboard/celery/'])
      expect(() => load(bad)).toThrow('CELERIAC_MONITORING_PREFIX')
  })

  test('refuses a path that would shadow the API, /metrics or the health routes', () => {
    for (const bad of ['/api/v1', '/api/v1/celery', '/metrics', '/healthz', '/readyz'])
      expect(() => load(bad)).toThrow('CELERIAC_MONITORING_PREFIX')
  })
})
