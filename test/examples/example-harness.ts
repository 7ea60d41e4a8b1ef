import { expect } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SQL } from 'bun'
import { nextFireAfter } from '../../src/beat/next-fire.ts'
import { ScheduleEntry } from '../../src/core/schedule-entry.ts'
import { flushDb } from '../celery/celery-harness.ts'
import { type CeleriacEnv, type Finished, RunningCeleriac, runCeleriac } from '../cli/celeriac-process.ts'
import { type SmtpTestServer, startSmtpTestServer } from '../tasks/email/smtp-test-server.ts'

/**
 * What an example's end-to-end test runs against: its own PostgreSQL database, a real SMTP
 * server and an SMS provider stub in the test process, a Redis database of its own for the
 * Celery side, and `celeriac` (the compiled binary in CI) started with the example's own
 * `-A tasks.ts --config celeriac.json`, in a temp folder.
 */
export const EXAMPLES = join(import.meta.dir, '../../examples')
const PG_ADMIN = process.env.CELERIAC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const TOKEN = 'example-test-token-0123456789'

/** One SMS as the provider stub received it (the URL-template provider: a JSON POST). */
export interface SentSms {
  to: string
  message: string
  from: string
}

export interface SmsStub {
  url: string
  sent: SentSms[]
  close(): void
}

function startSmsStub(): SmsStub {
  const sent: SentSms[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      sent.push((await req.json()) as SentSms)
      return Response.json({ id: `sms-${sent.length}`, status: 'queued' }, { status: 201 })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}/send`,
    sent,
    close: () => void server.stop(true),
  }
}

export interface ExampleWorld {
  /** The example's folder under examples/. */
  folder: string
  /** A temp folder: the working directory of every celeriac process. */
  home: string
  /** The example's own database (created here, dropped by close()). */
  databaseUrl: string
  sql: SQL
  /** Redis database the example's Celery side (Python `.delay()`) uses, emptied before and after. */
  redisUrl: string
  smtp: SmtpTestServer
  sms: SmsStub
  /** Environment for every celeriac process: the example reads DATABASE_URL, as a Django app does. */
  env: Record<string, string>
  close(): Promise<void>
}

/**
 * Sets up the outside world of `examples/<name>`: `redisDb` is the Redis database number the
 * example owns in tests (5-9; the Celery tests own 10-15).
 */
export async function openWorld(name: string, redisDb: number): Promise<ExampleWorld> {
  const home = mkdtempSync(join(tmpdir(), `celeriac-example-${name}-`))
  const database = `celeriac_example_${name.replaceAll('-', '_')}_${process.pid}`
  const admin = new SQL(PG_ADMIN)
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database}`)
  await admin.unsafe(`CREATE DATABASE ${database}`)
  const databaseUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${database}`)
  const sql = new SQL(databaseUrl)
  const redisUrl = `redis://127.0.0.1:6379/${redisDb}`
  await flushDb(redisUrl)
  const smtp = await startSmtpTestServer()
  const sms = startSmsStub()
  const folder = join(EXAMPLES, name)
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    // Client commands (call, result, schedules) know the example's tasks and settings too.
    CELERIAC_APP: join(folder, 'tasks.ts'),
    CELERIAC_CONFIG: join(folder, 'celeriac.json'),
    CELERIAC_API_TOKENS: `${TOKEN}:read+submit+admin`,
    CELERIAC_SMTP_URL: smtp.url,
    CELERIAC_SMS_URL: sms.url,
    CELERIAC_SMS_FROM: 'Celeriac',
    CELERIAC_OUTBOUND_ALLOW: '127.0.0.1',
    CELERIAC_LOG_LEVEL: 'info',
  }
  return {
    folder,
    home,
    databaseUrl,
    sql,
    redisUrl,
    smtp,
    sms,
    env,
    async close() {
      sms.close()
      await smtp.close()
      await sql.close()
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      await admin.close()
      await flushDb(redisUrl)
      rmSync(home, { recursive: true, force: true })
    },
  }
}

/** A running `celeriac <role> -A tasks.ts --config celeriac.json` of an example, and its API. */
export class ExampleProcess {
  readonly process: RunningCeleriac
  private base = ''
  private readonly role: string

  constructor(
    readonly world: ExampleWorld,
    args: string[],
    env: Record<string, string> = {},
  ) {
    this.role = args[0] ?? ''
    this.process = new RunningCeleriac(args, this.where(env))
  }

  /** Where a celeriac command of this example runs: its home, its environment. */
  where(env: Record<string, string> = {}): CeleriacEnv {
    return { cwd: this.world.home, env: { ...this.world.env, ...env } }
  }

  /** Waits for the log lines that say its roles are up (worker, api); for an api, learns its port. */
  async ready(timeoutMs = 30_000): Promise<this> {
    if (this.role === 'all' || this.role === 'worker')
      await this.process.waitForLog(/worker online/, timeoutMs)
    if (this.role === 'all' || this.role === 'api')
      await this.process.waitForLog(/api listening on/, timeoutMs)
    if (this.role === 'beat') await this.process.waitForLog(/beat started/, timeoutMs)
    const port = this.process.stderr.match(/api listening on http:\/\/[^:]+:(\d+)/)?.[1]
    if (port) this.base = `http://127.0.0.1:${port}`
    return this
  }

  /** A request to the example's api with the test token (JSON body when given). */
  fetch(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    if (!this.base) throw new Error('no api in this process (call ready() on an api or all)')
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...init.headers }
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    return fetch(`${this.base}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
  }

  get baseUrl(): string {
    return this.base
  }

  /** Runs a client command (call, result, schedules, inspect) with the example's app and config. */
  cli(args: string[], env: Record<string, string> = {}): Promise<Finished> {
    return runCeleriac(args, this.where(env))
  }

  stop(): Promise<number> {
    return this.process.stop()
  }
}

/** `celeriac all -A examples/<name>/tasks.ts --config examples/<name>/celeriac.json --port 0`. */
export function exampleArgs(world: ExampleWorld, role = 'all', extra: string[] = []): string[] {
  return [
    role,
    '-A',
    join(world.folder, 'tasks.ts'),
    '--config',
    join(world.folder, 'celeriac.json'),
    ...(role === 'all' || role === 'api' ? ['--port', '0'] : []),
    '--grace',
    '5',
    ...extra,
  ]
}

/** Waits for a task's terminal state through the CLI (`result --wait`), as a user would. */
export async function resultOf(
  app: ExampleProcess,
  id: string,
  timeoutS = 30,
): Promise<{ state: string; result: unknown; error?: unknown }> {
  const out = await app.cli(['result', id, '--wait', String(timeoutS), '--json'])
  if (!out.stdout) throw new Error(`result ${id}: ${out.stderr}`)
  return JSON.parse(out.stdout)
}

/** The wall-clock reading of `epochMs` in `timeZone`: weekday (0 = Sunday), day of month, hour, minute. */
export function localTime(epochMs: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(epochMs))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(part('weekday'))
  return { weekday, day: Number(part('day')), hour: Number(part('hour')), minute: Number(part('minute')) }
}

/** Debian's python3 (with python3-celery and python3-redis), for an example's Django-side snippet. */
export async function runPythonSnippet(
  code: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Finished> {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-example-py-'))
  const file = join(dir, 'snippet.py')
  await Bun.write(file, code)
  try {
    const proc = Bun.spawn(['/usr/bin/python3', file], {
      env: { ...process.env, ...env },
      stdout: 'pipe',
      stderr: 'pipe',
      timeout: timeoutMs,
    })
    const [stdout, stderr, codeOut] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ])
    return { code: codeOut, stdout: stdout.trim(), stderr: stderr.trim() }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Whether `epochMs`, read on the wall clock of `timeZone`, is a time the 5-field crontab `cron`
 * names (numbers, `*`, `*\/n`, `a-b`, lists; day of month and month must be `*`): the test's own
 * reading of a document's crontab, independent of the scheduler's.
 */
export function matchesCron(epochMs: number, cron: string, timeZone: string): boolean {
  const [minute, hour, dom, month, dow] = cron.trim().split(/\s+/)
  if (dom !== '*' || month !== '*')
    throw new Error(`matchesCron reads minute, hour and weekday only: ${cron}`)
  const t = localTime(epochMs, timeZone)
  return field(minute, t.minute) && field(hour, t.hour) && field(dow, t.weekday)
}

function field(spec: string | undefined, value: number): boolean {
  return (spec ?? '*').split(',').some((part) => {
    if (part === '*') return true
    const step = part.match(/^\*\/(\d+)$/)
    if (step) return value % Number(step[1]) === 0
    const range = part.match(/^(\d+)-(\d+)$/)
    if (range) return value >= Number(range[1]) && value <= Number(range[2])
    return Number(part) === value
  })
}

/**
 * Waits until none of the example's beat entries fires within `ms`. `all` runs beat, so an entry
 * whose time fell inside a test would do the job first (an hourly cleanup deleting the seeded
 * rows, say) and the test's own run would find nothing left. Call it before seeding: the wait is
 * rare (a mark in the next `ms`) and at most that long plus a second per mark.
 */
export async function waitClearOfScheduleMarks(world: ExampleWorld, ms: number): Promise<void> {
  const config = JSON.parse(readFileSync(join(world.folder, 'celeriac.json'), 'utf8')) as {
    schedules?: unknown[]
  }
  const entries = (config.schedules ?? []).map((s) => ScheduleEntry.parse(s))
  for (;;) {
    const now = Date.now()
    const next = Math.min(...entries.map((e) => nextFireAfter(e, now) ?? Number.POSITIVE_INFINITY))
    if (next - now > ms) return
    await Bun.sleep(next - now + 1_000)
  }
}

/** POST /api/v1/tasks/{task} with a JSON body; expects 202 and answers the task id. */
export async function postTask(app: ExampleProcess, task: string, body: unknown): Promise<string> {
  const res = await app.fetch(`/api/v1/tasks/${task}`, { body })
  expect(res.status, await res.clone().text()).toBe(202)
  return ((await res.json()) as { task_id: string }).task_id
}

/** The task's result once it ended, expected SUCCESS (the whole record is shown otherwise). */
export async function succeeded(app: ExampleProcess, id: string): Promise<Record<string, unknown>> {
  const done = await resultOf(app, id)
  expect(done.state, JSON.stringify(done)).toBe('SUCCESS')
  return done.result as Record<string, unknown>
}

/** Fires a schedule entry now (POST /api/v1/schedules/{name}/run) and answers its task's result. */
export async function runSchedule(app: ExampleProcess, name: string): Promise<Record<string, unknown>> {
  const res = await app.fetch(`/api/v1/schedules/${name}/run`, { method: 'POST' })
  expect(res.status).toBe(202)
  return succeeded(app, ((await res.json()) as { task_id: string }).task_id)
}

/** Polls `check` until it holds (mail and SMS arrive after the task that sent them ends). */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(100)
  }
}

/** The example's README shows its two Python files word for word, as the test runs them. */
export function expectReadmeShowsPython(world: ExampleWorld): void {
  const readme = readFileSync(join(world.folder, 'README.md'), 'utf8')
  for (const file of ['django_delay.py', 'django_rest.py'])
    expect(readme).toContain(readFileSync(join(world.folder, 'python', file), 'utf8'))
}

/** Stops the example's processes and drops its world, whichever were started. */
export async function closeExample(world: ExampleWorld | undefined, ...apps: (ExampleProcess | undefined)[]) {
  for (const app of apps.reverse()) await app?.stop()
  await world?.close()
}
