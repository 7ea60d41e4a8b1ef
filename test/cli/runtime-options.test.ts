import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COMMANDS } from '../../src/cli/commands.ts'
import {
  FTL_THRESHOLD_ENV,
  HEAP_GROWTH_ENV,
  missingRuntimeOptions,
  ROLE_COMMANDS,
  visibleRam,
} from '../../src/cli/runtime-options.ts'
import { RunningCeleriac } from './celeriac-process.ts'

const GIB = 1024 ** 3
const dir = mkdtempSync(join(tmpdir(), 'celeriac-runtime-options-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A running process's environment, as the kernel holds it (what an exec set); Linux's /proc. */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
}

/** This test process's environment without the options, as a shell that never set them gives. */
function envWithoutOptions(): Record<string, string | undefined> {
  const env = { ...process.env }
  delete env[HEAP_GROWTH_ENV]
  delete env[FTL_THRESHOLD_ENV]
  return env
}

describe('the runtime options of long-running roles', () => {
  test('the smaller heap growth is wanted from 16 GiB of visible RAM up; the compile threshold always', () => {
    expect(missingRuntimeOptions({}, 24 * GIB)).toEqual({
      [FTL_THRESHOLD_ENV]: '1000000',
      [HEAP_GROWTH_ENV]: '1',
    })
    expect(missingRuntimeOptions({}, 16 * GIB)).toEqual({
      [FTL_THRESHOLD_ENV]: '1000000',
      [HEAP_GROWTH_ENV]: '1',
    })
    expect(missingRuntimeOptions({}, 16 * GIB - 1)).toEqual({ [FTL_THRESHOLD_ENV]: '1000000' })
    expect(missingRuntimeOptions({}, 2 * GIB)).toEqual({ [FTL_THRESHOLD_ENV]: '1000000' })
  })

  test("an operator's own values are kept, and a process holding every option lacks none", () => {
    expect(missingRuntimeOptions({ [HEAP_GROWTH_ENV]: '2' }, 64 * GIB)).toEqual({
      [FTL_THRESHOLD_ENV]: '1000000',
    })
    expect(
      missingRuntimeOptions({ [HEAP_GROWTH_ENV]: '2', [FTL_THRESHOLD_ENV]: '100000' }, 64 * GIB),
    ).toEqual({})
    expect(missingRuntimeOptions({ [FTL_THRESHOLD_ENV]: '100000' }, 2 * GIB)).toEqual({})
  })

  test('names exactly the commands marked as roles', () => {
    const roles = COMMANDS.filter((c) => c.role).map((c) => c.name)
    expect([...ROLE_COMMANDS].sort()).toEqual(roles.sort())
  })

  test('a worker restarts itself once, keeping its pid, with the options set', async () => {
    const expected = missingRuntimeOptions(envWithoutOptions(), visibleRam())
    const worker = new RunningCeleriac(['worker', '--broker', `sqlite://${join(dir, 'a.db')}`], {
      cwd: dir,
      env: {},
    })
    try {
      await worker.waitForLog(/worker online/, 20_000)
      const environ = environOf(worker.proc.pid)
      expect(environ[FTL_THRESHOLD_ENV]).toBe('1000000')
      expect(environ[HEAP_GROWTH_ENV]).toBe(expected[HEAP_GROWTH_ENV] as string)
      expect(worker.stdout).toContain(`pid ${worker.proc.pid}`)
    } finally {
      expect(await worker.stop()).toBe(0)
    }
  }, 30_000)

  test("keeps the operator's own values", async () => {
    const worker = new RunningCeleriac(['worker', '--broker', `sqlite://${join(dir, 'b.db')}`], {
      cwd: dir,
      env: { [HEAP_GROWTH_ENV]: '2', [FTL_THRESHOLD_ENV]: '100000' },
    })
    try {
      await worker.waitForLog(/worker online/, 20_000)
      expect(environOf(worker.proc.pid)[HEAP_GROWTH_ENV]).toBe('2')
      expect(environOf(worker.proc.pid)[FTL_THRESHOLD_ENV]).toBe('100000')
    } finally {
      expect(await worker.stop()).toBe(0)
    }
  }, 30_000)
})
