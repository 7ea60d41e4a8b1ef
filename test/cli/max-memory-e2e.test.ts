import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCeleriac } from './celeriac-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'celeriac-max-memory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('celeriac worker --max-memory', () => {
  test('drains and exits with code 3 when its memory is above the limit, for the supervisor to restart it', async () => {
    // Every process is above 1 MB: the first memory check trips it.
    const run = await runCeleriac(
      ['worker', '--max-memory', '1', '--broker', `sqlite://${join(dir, 'w.db')}`],
      {
        cwd: dir,
        env: {},
      },
    )
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('memory above limit; draining')
    expect(run.stderr).toMatch(/worker stopped .*reason=max_memory code=3/)
  }, 30_000)
})
