import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readConfigFile } from '../../src/config/read-config-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'celeriac-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('readConfigFile', () => {
  test('returns nothing when no file is named', () => {
    expect(readConfigFile({}, {})).toBeUndefined()
  })

  test('prefers --config over CELERIAC_CONFIG', () => {
    const path = join(dir, 'a.json')
    writeFileSync(path, '{"concurrency": 3}')
    expect(readConfigFile({ CELERIAC_CONFIG: 'other.json' }, { config: path })).toEqual({
      path,
      source: '--config',
      text: '{"concurrency": 3}',
    })
  })

  test('reports a missing file as a problem instead of throwing', () => {
    const path = join(dir, 'missing.json')
    expect(readConfigFile({ CELERIAC_CONFIG: path }, {})).toEqual({
      path,
      source: 'CELERIAC_CONFIG',
      error: `config file not found: ${path}`,
    })
  })
})
