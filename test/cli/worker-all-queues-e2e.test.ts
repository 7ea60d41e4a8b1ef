import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, createDefaultDatabase, RunningCeleriac, runCeleriac } from './celeriac-process.ts'

/** `celeriac worker -Q all`, as the deploy files start it: one task on every built-in queue is taken. */
const dir = mkdtempSync(join(tmpdir(), 'celeriac-all-queues-'))
const where: CeleriacEnv = { cwd: dir, env: {} }
createDefaultDatabase(dir)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ONE_PER_QUEUE: [string, string, unknown][] = [
  ['default', 'debug.noop', {}],
  ['email', 'email.send', { to: 'someone@example.com', template: 'notification', context: {} }],
  ['media', 'image.process', { file_path: 'missing.jpg' }],
  ['exports', 'export.csv', { source: 'tasks', fields: ['id'] }],
  ['reports', 'report.generate', { report_type: 'activity', date_from: '2026-01-01', date_to: '2026-12-31' }],
  ['maintenance', 'system.health_check', {}],
  ['webhooks', 'http.request', { url: 'https://example.invalid/hook', method: 'POST', body: {} }],
]

const stateOf = async (id: string) =>
  JSON.parse((await runCeleriac(['result', id, '--json'], where)).stdout) as { state: string; queue: string }

describe('celeriac worker -Q all', () => {
  test('takes tasks from the email, media, exports, reports, maintenance and webhooks queues too', async () => {
    const ids: string[] = []
    for (const [, task, input] of ONE_PER_QUEUE) {
      const call = await runCeleriac(['call', task, '--input', JSON.stringify(input)], where)
      expect(call.code, `${task}: ${call.stderr}`).toBe(0)
      ids.push(call.stdout)
    }
    const worker = new RunningCeleriac(['worker', '-Q', 'all'], where)
    try {
      await worker.waitForLog(/worker online/, 20_000)
      const deadline = Date.now() + 30_000
      let states = await Promise.all(ids.map(stateOf))
      while (states.some((s) => s.state === 'PENDING') && Date.now() < deadline) {
        await Bun.sleep(200)
        states = await Promise.all(ids.map(stateOf))
      }
      // Taken means no longer PENDING: succeeded, failed (the missing image) or retrying (no DNS here).
      expect(states.map((s) => [s.queue, s.state === 'PENDING' ? 'PENDING' : 'taken'])).toEqual(
        ONE_PER_QUEUE.map(([queue]) => [queue, 'taken']),
      )
    } finally {
      expect(await worker.stop()).toBe(0)
    }
  }, 90_000)
})
