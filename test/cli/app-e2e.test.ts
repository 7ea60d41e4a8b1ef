import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { blockAfter } from '../readme/readme-blocks.ts'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from './celeriac-process.ts'

/**
 * A user's own tasks, as a new user runs them: an empty folder holding only a tasks.ts whose one
 * import is 'celeriac' (no package.json, no node_modules), and the binary with -A.
 */
// The README's own example, as written: the test runs what a reader copies.
const TASKS = `${blockAfter('## Your own tasks').join('\n')}\n`
const dir = mkdtempSync(join(tmpdir(), 'celeriac-app-e2e-'))
const where: CeleriacEnv = { cwd: dir, env: {} }
let all: RunningCeleriac
let base = ''

beforeAll(async () => {
  writeFileSync(join(dir, 'tasks.ts'), TASKS)
  all = new RunningCeleriac(['all', '-A', './tasks.ts', '--insecure', '--port', '0'], where)
  await all.waitForLog(/api listening on http:\/\/[^:]+:\d+/, 20_000)
  base = `http://127.0.0.1:${/api listening on http:\/\/[^:]+:(\d+)/.exec(all.stderr)?.[1]}`
}, 30_000)

afterAll(async () => {
  expect(await all.stop()).toBe(0)
  rmSync(dir, { recursive: true, force: true })
})

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const wait = async (id: string) => (await runCeleriac(['result', id, '--wait', '15', '--json'], where)).stdout

describe('celeriac -A tasks.ts from an empty folder', () => {
  test('the worker consumes the module’s queue with the built-in ones', () => {
    expect(all.stdout).toMatch(/queues [a-z,]*orders/)
  })

  test('runs the task from the API, answering 400 naming the field for a bad input', async () => {
    const accepted = await post('/api/v1/tasks/shop.total', { items: [{ price: 2.5, qty: 4 }] })
    expect(accepted.status).toBe(202)
    const { task_id } = (await accepted.json()) as { task_id: string }
    expect(JSON.parse(await wait(task_id))).toMatchObject({
      state: 'SUCCESS',
      result: { total: 10 },
      queue: 'orders',
    })
    const refused = await post('/api/v1/tasks/shop.total', { items: [{ price: 'free', qty: 1 }] })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { fields: { path: string }[] }).fields[0]?.path).toBe('items.0.price')
  })

  test('runs the task from the CLI with -A, and lists it in OpenAPI', async () => {
    const call = await runCeleriac(
      ['call', 'shop.total', '--input', '{"items":[]}', '-A', './tasks.ts'],
      where,
    )
    expect(call.code, call.stderr).toBe(0)
    expect(JSON.parse(await wait(call.stdout))).toMatchObject({ state: 'SUCCESS', result: { total: 0 } })
    const openapi = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(openapi.paths)).toContain('/api/v1/tasks/shop.total')
  })

  test('runs the task from a schedule', async () => {
    const add = [
      'schedules',
      'add',
      'nightly-total',
      'shop.total',
      '--cron',
      '0 2 * * *',
      '--input',
      '{"items":[]}',
    ]
    expect((await runCeleriac([...add, '-A', './tasks.ts'], where)).code).toBe(0)
    const run = await runCeleriac(['schedules', 'run', 'nightly-total', '-A', './tasks.ts'], where)
    expect(run.code, run.stderr).toBe(0)
    const id = /[0-9a-f-]{36}/.exec(run.stdout)?.[0] as string
    expect(JSON.parse(await wait(id))).toMatchObject({ state: 'SUCCESS', task: 'shop.total' })
  })

  test('refuses a broken module, a duplicate name and a module without tasks: exit 2 naming the file', async () => {
    mkdirSync(join(dir, 'bad'), { recursive: true })
    writeFileSync(
      join(dir, 'bad/syntax.ts'),
      "import { defineTask } from 'celeriac'\nexport const t = defineTask({ name: \n",
    )
    writeFileSync(join(dir, 'bad/again.ts'), TASKS.replace('export const total', 'export const again'))
    writeFileSync(join(dir, 'bad/empty.ts'), 'export const answer = 42\n')
    const cases: [string, string][] = [
      ['./bad/syntax.ts', "app module 'bad/syntax.ts': failed to load"],
      [
        './tasks.ts,./bad/again.ts',
        "app module 'bad/again.ts': task 'shop.total' is already defined in 'tasks.ts'",
      ],
      ['./bad/empty.ts', "app module 'bad/empty.ts': exports no task"],
    ]
    for (const [app, message] of cases) {
      const run = await runCeleriac(['worker', '-A', app], where)
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(message)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
