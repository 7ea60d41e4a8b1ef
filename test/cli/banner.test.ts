import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { banner, dataFileOf } from '../../src/cli/banner.ts'
import { loadConfig } from '../../src/config/load-config.ts'

describe('banner', () => {
  test('names the broker without its password', () => {
    const config = loadConfig({ env: { CELERIAC_BROKER_URL: 'redis://:hunter2@cache:6379/0' }, flags: {} })
    const line = banner('all', config, { queues: 'default' })
    expect(line).toContain('broker redis://:***@cache:6379/0')
    expect(line).not.toContain('hunter2')
  })

  test('shows where a SQLite broker keeps its data', () => {
    expect(dataFileOf('sqlite://./data/celeriac.db')).toBe(join(process.cwd(), 'data/celeriac.db'))
    expect(dataFileOf('sqlite:///var/lib/celeriac.db?sync=normal')).toBe('/var/lib/celeriac.db')
    expect(dataFileOf('sqlite::memory:')).toBeNull()
    expect(dataFileOf('redis://cache:6379')).toBeNull()
  })
})
