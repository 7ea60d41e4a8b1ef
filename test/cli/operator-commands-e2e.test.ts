import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from './celeriac-process.ts'

// The operator's commands (status --watch, purge --all-queues, inspect conf|revoked, control
// time_limit) as a user types them, against a real worker process on a real SQLite file.
const dir = mkdtempSync(join(tmpdir(), 'celeriac-ops-'))
const SMTP_PASSWORD = 'hunter2-smtp-password'
const where: CeleriacEnv = {
  cwd: dir,
  env: {
    CELERIAC_BROKER_URL: `sqlite://${join(dir, 'celeriac.db')}`,
    CELERIAC_SMTP_URL: `smtp://mailer:${SMTP_PASSWORD}@mail.example.com:587`,
    CELERIAC_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
  },
}
const run = (...args: string[]) => runCeleriac(args, where)
const WORKER = 'ops-worker'
let worker: RunningCeleriac

beforeAll(async () => {
  worker = new RunningCeleriac(['worker', '-n', WORKER, '-c', '3', '--grace', '5'], where)
  await worker.waitForLog(/worker online/)
})

afterAll(async () => {
  if (worker.proc.exitCode === null) worker.proc.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

async function callId(...args: string[]): Promise<string> {
  const called = await run('call', ...args, '--json')
  expect(called.code, called.stderr).toBe(0)
  return (JSON.parse(called.stdout) as { id: string }).id
}

async function waitForLines(proc: RunningCeleriac, count: number, timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const lines = proc.stdout.split('\n').filter((line) => line.trim() !== '')
    if (lines.length >= count) return lines
    if (proc.proc.exitCode !== null) throw new Error(`exited ${proc.proc.exitCode}:\n${proc.stderr}`)
    if (Date.now() > deadline)
      throw new Error(`only ${lines.length} lines in ${timeoutMs} ms:\n${proc.stderr}`)
    await Bun.sleep(25)
  }
}

describe('celeriac status --watch --interval', () => {
  test('refreshes every --interval seconds until SIGTERM, then exits 0', async () => {
    const watch = new RunningCeleriac(['status', '--watch', '--interval', '0.1', '--json'], where)
    // Five snapshots come in half a second at 0.1 s; at the 2 s default they would take 8 s.
    const lines = await waitForLines(watch, 5)
    expect(await watch.stop()).toBe(0)
    for (const line of lines) {
      const snap = JSON.parse(line) as { workers: { name: string }[] }
      expect(snap.workers.map((w) => w.name)).toContain(WORKER)
    }
  }, 30_000)

  test('refuses an interval that is not a positive number of seconds, naming the flag', async () => {
    const zero = await run('status', '--watch', '--interval', '0')
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain('--interval')
  })

  test('refuses --interval without --watch', async () => {
    const alone = await run('status', '--interval', '5')
    expect(alone.code).toBe(2)
    expect(alone.stderr).toContain('--interval only applies with --watch')
  })
})

describe('celeriac purge --all-queues', () => {
  test('without --yes, lists what would go from each queue and deletes nothing', async () => {
    await callId('debug.noop', '--countdown', '600000', '-Q', 'ops-purge-a')
    await callId('debug.noop', '--countdown', '600000', '-Q', 'ops-purge-a')
    await callId('debug.noop', '--countdown', '600000', '-Q', 'ops-purge-b')
    const dry = await run('purge', '--all-queues')
    expect(dry.code).toBe(2)
    expect(dry.stdout).toContain("queue 'ops-purge-a': 2 task(s) would be deleted")
    expect(dry.stdout).toContain("queue 'ops-purge-b': 1 task(s) would be deleted")
    expect(dry.stderr).toContain('add --yes to do it')
    const status = JSON.parse((await run('status', '--json')).stdout) as {
      queues: { queue: string; delayed: number }[]
    }
    expect(status.queues.find((q) => q.queue === 'ops-purge-a')?.delayed).toBe(2)
  })

  test('with --yes, empties every queue and prints the count per queue', async () => {
    await callId('debug.noop', '--countdown', '600000', '-Q', 'ops-purge-c')
    const done = await run('purge', '--all-queues', '--yes')
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toContain("purged 1 task(s) from queue 'ops-purge-c'")
    const again = await run('purge', '--all-queues', '--yes')
    expect(again.stdout).not.toContain("from queue 'ops-purge-c'")
    expect(again.stdout).toContain('purged 0 task(s) in total')
  })

  test('refuses -Q together with --all-queues', async () => {
    const both = await run('purge', '-Q', 'default', '--all-queues', '--yes')
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('-Q/--queue and --all-queues are exclusive')
  })
})

describe('celeriac inspect conf', () => {
  test("prints the running worker's config with every secret redacted", async () => {
    const conf = await run('inspect', 'conf', '--json')
    expect(conf.code, conf.stderr).toBe(0)
    const byWorker = JSON.parse(conf.stdout) as Record<string, Record<string, unknown>>
    expect(byWorker[WORKER]).toMatchObject({
      concurrency: 3,
      graceMs: 5_000,
      smtpUrl: 'smtp://mailer:***@mail.example.com:587',
      webhookSecret: '***',
    })
    expect(conf.stdout).not.toContain(SMTP_PASSWORD)
    expect(conf.stdout).not.toContain('a-webhook-secret-of-some-length')
  })

  test('shows it as text under the worker name', async () => {
    const conf = await run('inspect', 'conf')
    expect(conf.code).toBe(0)
    expect(conf.stdout).toStartWith(`-> ${WORKER}`)
    expect(conf.stdout).toContain('"concurrency": 3')
  })
})

describe('celeriac inspect revoked', () => {
  test('lists revoked ids the broker still remembers, queued or not yet seen', async () => {
    const queued = await callId('debug.noop', '--countdown', '600000', '-Q', 'ops-revoked')
    const unseen = '0190f5c0-0000-7000-8000-00000000abcd'
    expect((await run('revoke', queued)).code).toBe(0)
    expect((await run('revoke', unseen)).code).toBe(0)
    const listed = await run('inspect', 'revoked', '--json')
    expect(listed.code, listed.stderr).toBe(0)
    const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id)
    expect(ids).toContain(queued)
    expect(ids).toContain(unseen)
    const text = await run('inspect', 'revoked')
    expect(text.stdout).toContain(unseen)
  })
})

describe('celeriac control time_limit', () => {
  test("changes a task's hard limit in the running worker: the next run stops at it", async () => {
    const set = await run('control', 'time_limit', 'debug.sleep', '0', '0.3')
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain(`-> ${WORKER}:`)
    expect(set.stdout).toContain('time limits of debug.sleep set')
    const id = await callId('debug.sleep', '--input', '{"ms":20000}')
    const result = await run('result', id, '--wait', '15', '--json')
    const stored = JSON.parse(result.stdout) as { state: string; error: { type: string } }
    expect(stored.state).toBe('FAILURE')
    expect(stored.error.type).toBe('TimeLimitExceeded')
    // Back to none: the same call now finishes.
    expect((await run('control', 'time_limit', 'debug.sleep', '0', '0')).code).toBe(0)
    const after = await callId('debug.sleep', '--input', '{"ms":400}')
    expect((await run('result', after, '--wait', '15')).stdout).toStartWith('SUCCESS')
    // Seven CLI processes in a row: past the 5 s default when the machine is busy (the full suite).
  }, 30_000)

  test('answers an error for a task the worker does not have', async () => {
    const reply = await run('control', 'time_limit', 'no.such_task', '1', '2', '--json')
    expect(reply.code).toBe(0)
    expect(JSON.parse(reply.stdout).reply).toEqual({ error: "unknown task 'no.such_task'" })
  }, 15_000)

  test('refuses limits that are not seconds, or a soft limit above the hard one', async () => {
    const word = await run('control', 'time_limit', 'debug.sleep', 'soon', '2')
    expect(word.code).toBe(2)
    expect(word.stderr).toContain("<soft>: expected a number of seconds (0: none), got 'soon'")
    const upside = await run('control', 'time_limit', 'debug.sleep', '5', '2')
    expect(upside.code).toBe(2)
    expect(upside.stderr).toContain('<soft> (5 s) must not be above <hard> (2 s)')
  })
})
