import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COMMANDS } from '../../src/cli/commands.ts'
import {
  HEAP_GROWTH_ENV,
  ROLE_COMMANDS,
  visibleRam,
  wantsHeapGrowthRestart,
} from '../../src/cli/heap-growth.ts'
import { RunningCeleriac } from './celeriac-process.ts'

const GIB = 1024 ** 3
const dir = mkdtempSync(join(tmpdir(), 'celeriac-heap-growth-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A running process's environment, as the kernel holds it (what an exec set); Linux's /proc. */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
}

describe('the smaller heap growth of long-running roles', () => {
  test('is wanted from 16 GiB of visible RAM up, unless the operator set the option', () => {
    expect(wantsHeapGrowthRestart({}, 24 * GIB)).toBe(true)
    expect(wantsHeapGrowthRestart({}, 16 * GIB)).toBe(true)
    expect(wantsHeapGrowthRestart({}, 16 * GIB - 1)).toBe(false)
    expect(wantsHeapGrowthRestart({}, 2 * GIB)).toBe(false)
    expect(wantsHeapGrowthRestart({ [HEAP_GROWTH_ENV]: '2' }, 64 * GIB)).toBe(false)
  })

  test('names exactly the commands marked as roles', () => {
    const roles = COMMANDS.filter((c) => c.role).map((c) => c.name)
    expect([...ROLE_COMMANDS].sort()).toEqual(roles.sort())
  })

  test('a worker restarts itself once, keeping its pid, with the option set (or not, below 16 GiB)', async () => {
    const env = { ...process.env }
    delete env[HEAP_GROWTH_ENV]
    const expected = wantsHeapGrowthRestart(env, visibleRam()) ? '1' : undefined
    const worker = new RunningCeleriac(['worker', '--broker', `sqlite://${join(dir, 'a.db')}`], {
      cwd: dir,
      env: {},
    })
    try {
      await worker.waitForLog(/worker online/, 20_000)
      expect(environOf(worker.proc.pid)[HEAP_GROWTH_ENV]).toBe(expected as string)
      expect(worker.stdout).toContain(`pid ${worker.proc.pid}`)
    } finally {
      expect(await worker.stop()).toBe(0)
    }
  }, 30_000)

  test("keeps the operator's own value", async () => {
    const worker = new RunningCeleriac(['worker', '--broker', `sqlite://${join(dir, 'b.db')}`], {
      cwd: dir,
      env: { [HEAP_GROWTH_ENV]: '2' },
    })
    try {
      await worker.waitForLog(/worker online/, 20_000)
      expect(environOf(worker.proc.pid)[HEAP_GROWTH_ENV]).toBe('2')
    } finally {
      expect(await worker.stop()).toBe(0)
    }
  }, 30_000)
})
