import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../src/config/load-config.ts'
import { fileTaskSettings } from '../../src/tasks/file-task-settings.ts'

const load = (env: Record<string, string>, file?: object) =>
  loadConfig({
    env,
    flags: {},
    ...(file ? { file: { path: 'c.json', source: '--config', text: JSON.stringify(file) } } : {}),
  })

describe('file task settings', () => {
  test('default to folders under ./data, one image thread per core and no export sources', () => {
    expect(fileTaskSettings(load({}))).toEqual({
      mediaRoot: './data/media',
      exportsDir: './data/exports',
      backupDir: './data/backups',
      imagePoolSize: null,
      imageMaxTasksPerThread: 200,
      imageThreadMemoryMb: 1_024,
      imageMaxPixels: 50_000_000,
      filesRetentionDays: 7,
      exportSources: {},
      smtpUrl: null,
      healthChecks: [],
      outboundAllowList: [],
    })
  })

  test('come from CELERIAC_* variables, export sources as JSON', () => {
    const sources = { shop: { url: 'postgres://app@db:5432/shop', tables: { orders: ['id', 'total'] } } }
    const config = load({
      CELERIAC_MEDIA_ROOT: '/srv/media',
      CELERIAC_IMAGE_THREADS: '3',
      CELERIAC_EXPORT_SOURCES: JSON.stringify(sources),
    })
    expect(config.mediaRoot).toBe('/srv/media')
    expect(config.imagePoolSize).toBe(3)
    expect(config.exportSources).toEqual(sources)
  })

  test('every wrong export source setting is reported at start-up', () => {
    const file = { exportSources: { tasks: { url: 'mysql://x', tables: { 'orders; DROP': ['id'] } } } }
    expect(() => load({}, file)).toThrow(/exportSources/)
    expect(() => load({ CELERIAC_IMAGE_MAX_PIXELS: 'lots' })).toThrow('CELERIAC_IMAGE_MAX_PIXELS')
  })
})
