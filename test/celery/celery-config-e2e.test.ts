import { describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCeleriac } from '../cli/celeriac-process.ts'

describe('worker --celery on a broker that is not Redis', () => {
  test('exits 2 naming the broker URL, before it opens (creates) the SQLite database', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'celeriac-celery-config-'))
    try {
      const run = await runCeleriac(['worker', '--celery', '-Q', 'celery'], { cwd, env: {} })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain("celery: --celery reads kombu's Redis lists")
      expect(run.stderr).toContain('sqlite://')
      expect(run.stderr).not.toContain('    at ')
      expect(existsSync(join(cwd, 'data/celeriac.db'))).toBe(false)
    } finally {
      rmSync(cwd, { recursive: true, force: true })
    }
  }, 30_000)
})
