import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Config, DEFAULT_CONFIG } from '../../../src/config/config-schema.ts'
import { TaskTable, type TaskTableEntry } from '../../../src/config/task-table.ts'
import { buildMessage } from '../../../src/core/build-message.ts'
import { systemClock } from '../../../src/core/clock.ts'
import { createDeclaredTask } from '../../../src/tasks/declared/declared-task.ts'
import { createTaskServices } from '../../../src/tasks/task-services.ts'
import { runOnce } from '../run-once.ts'

const SECRET = 'the-webhook-secret-of-this-test!'
const received: { path: string; body: Record<string, unknown>; verified: boolean }[] = []
let server: ReturnType<typeof Bun.serve>
let base: string

/** What a receiving app does (the README's Python does the same): recompute the HMAC, compare. */
function verify(req: Request, body: string): boolean {
  const timestamp = req.headers.get('x-celeriac-timestamp') ?? ''
  const signature = req.headers.get('x-celeriac-signature') ?? ''
  const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300
  return (
    fresh &&
    signature.length === expected.length &&
    timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  )
}

beforeAll(() => {
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname
      const text = await req.text()
      const verified = verify(req, text)
      received.push({ path, body: JSON.parse(text), verified })
      if (!verified) return Response.json({ error: 'bad signature' }, { status: 401 })
      if (path === '/total') {
        const { items } = JSON.parse(text).input as { items: { price: number; qty: number }[] }
        return Response.json({ total: items.reduce((s, i) => s + i.price * i.qty, 0) })
      }
      if (path === '/busy') return new Response('try later', { status: 503 })
      if (path === '/slow-down') return new Response('', { status: 429, headers: { 'retry-after': '7' } })
      if (path === '/invalid') return Response.json({ error: 'no such order' }, { status: 422 })
      if (path === '/text') return new Response('plain words')
      return new Response(null, { status: 204 })
    },
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(() => server.stop(true))

/** The test's app listens on loopback, so the test allow-lists 127.0.0.1, as a user would. */
function declared(entry: Record<string, unknown>, over: Partial<Config> = {}) {
  const config = { ...DEFAULT_CONFIG, outboundAllowList: ['127.0.0.1'], webhookSecret: SECRET, ...over }
  const [parsed] = TaskTable.parse([entry]) as [TaskTableEntry]
  return createDeclaredTask(parsed, createTaskServices({ config }))
}

const ITEMS_SCHEMA = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: { type: 'object', properties: { price: { type: 'number' }, qty: { type: 'integer' } } },
    },
  },
  required: ['items'],
}

describe('HTTP tasks from the config tasks table', () => {
  test('POSTs {id, task, attempt, input} signed with the webhook secret; the 2xx JSON body is the result', async () => {
    const task = declared({ name: 'shop.total', url: `${base}/total`, input: ITEMS_SCHEMA, queue: 'orders' })
    const { outcome } = await runOnce(task, { items: [{ price: 2.5, qty: 4 }] })
    expect(outcome).toMatchObject({ kind: 'ack', result: { total: 10 } })
    const call = received.at(-1)
    expect(call?.verified).toBe(true)
    expect(call?.body).toMatchObject({
      task: 'shop.total',
      attempt: 1,
      input: { items: [{ price: 2.5, qty: 4 }] },
    })
    expect(typeof call?.body.id).toBe('string')
    expect(task.options.queue).toBe('orders')
  })

  test('validates the input with the declared JSON Schema at enqueue, naming the field', async () => {
    const task = declared({ name: 'shop.total', url: `${base}/total`, input: ITEMS_SCHEMA })
    const before = received.length
    expect(() => buildMessage(task, { items: [{ price: 'free', qty: 1 }] }, {}, systemClock)).toThrow(
      "task 'shop.total' input: items.0.price",
    )
    expect(received.length).toBe(before)
  })

  test('retries a 503 with the task policy (HTTP default: 8 retries)', async () => {
    const task = declared({ name: 'app.busy', url: `${base}/busy` })
    expect(task.options.retry.max).toBe(8)
    const { outcome } = await runOnce(task, {})
    expect(outcome).toMatchObject({ kind: 'retry', error: { type: 'HttpStatusError' } })
  })

  test('honours Retry-After on a 429', async () => {
    const task = declared({ name: 'app.slow', url: `${base}/slow-down`, retry: { max: 2 } })
    const before = Date.now()
    const { outcome } = await runOnce(task, {})
    expect(outcome.kind).toBe('retry')
    if (outcome.kind === 'retry') expect(outcome.at - before).toBeGreaterThanOrEqual(7_000)
    expect(task.options.retry.max).toBe(2)
  })

  test('fails a 422 without retrying', async () => {
    const { outcome } = await runOnce(declared({ name: 'app.invalid', url: `${base}/invalid` }), {})
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    expect(outcome.kind === 'fail' && outcome.error.message).toContain('http 422')
  })

  test('an app that rejects the signature fails the task (a wrong secret is not retried)', async () => {
    const task = declared(
      { name: 'app.total', url: `${base}/total` },
      { webhookSecret: 'another-secret-of-32-characters!!' },
    )
    const { outcome } = await runOnce(task, { items: [] })
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    expect(received.at(-1)?.verified).toBe(false)
  })

  test('an empty 2xx is a null result; a body that is not JSON fails naming the task', async () => {
    expect((await runOnce(declared({ name: 'app.empty', url: `${base}/empty` }), {})).outcome).toMatchObject({
      kind: 'ack',
      result: null,
    })
    const { outcome } = await runOnce(declared({ name: 'app.text', url: `${base}/text` }), {})
    expect(outcome.kind === 'fail' && outcome.error.message).toBe(
      'app.text: the app answered 200 with a body that is not JSON',
    )
  })

  test('a loopback URL is refused unless allow-listed (the outbound rules apply)', async () => {
    const task = declared({ name: 'app.total', url: `${base}/total` }, { outboundAllowList: [] })
    const { outcome } = await runOnce(task, { items: [] })
    expect(outcome.kind).toBe('fail')
    expect(outcome.kind === 'fail' && outcome.error.message).toMatch(/loopback|not allowed|private/i)
  })

  test('a name declared without a url is failed as an unknown task by a worker without its code', async () => {
    const task = declared({ name: 'django.only', queue: 'celery' })
    const { outcome } = await runOnce(task, { any: 'thing' })
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unknown_task' })
    expect(outcome.kind === 'fail' && outcome.error.message).toContain("unknown task 'django.only'")
  })
})

describe('the tasks table', () => {
  const problems = (entries: unknown) => {
    const parsed = TaskTable.safeParse(entries)
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }

  test('refuses a duplicate name, a bad URL, an unknown field and a schema zod cannot read, naming each', () => {
    expect(problems([{ name: 'a' }, { name: 'a' }])).toEqual(["1.name: 'a' is declared twice"])
    expect(problems([{ name: 'a', url: 'ftp://x' }])[0]).toStartWith('0.url:')
    expect(problems([{ name: 'a', retires: 3 }])[0]).toStartWith('0:')
    expect(problems([{ name: 'a', input: { type: 'no-such-type' } }])[0]).toStartWith(
      '0.input: not a JSON Schema',
    )
  })
})

describe('a Python app verifying the signature with the README function', () => {
  const ROOT = join(import.meta.dir, '../../..')
  let python: ReturnType<typeof Bun.spawn> | null = null
  let pythonBase = ''

  beforeAll(async () => {
    python = Bun.spawn(
      ['python3', join(import.meta.dir, 'python-receiver.py'), join(ROOT, 'docs/examples'), SECRET],
      {
        stdout: 'pipe',
        stderr: 'inherit',
      },
    )
    const reader = (python.stdout as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    reader.releaseLock()
    pythonBase = `http://127.0.0.1:${new TextDecoder().decode(first.value).trim()}`
  })
  afterAll(() => python?.kill())

  test('accepts a task signed with the shared secret and answers its result', async () => {
    const task = declared({ name: 'shop.total', url: `${pythonBase}/tasks/total`, input: ITEMS_SCHEMA })
    const { outcome } = await runOnce(task, {
      items: [
        { price: 2.5, qty: 4 },
        { price: 1, qty: 1 },
      ],
    })
    expect(outcome).toMatchObject({ kind: 'ack', result: { total: 11 } })
  })

  test('refuses a task signed with another secret (403: failed, not retried)', async () => {
    const task = declared(
      { name: 'shop.total', url: `${pythonBase}/tasks/total` },
      { webhookSecret: 'x'.repeat(32) },
    )
    const { outcome } = await runOnce(task, { items: [] })
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    expect(outcome.kind === 'fail' && outcome.error.message).toContain('http 403')
  })

  test('is the function the README shows, word for word', () => {
    const code = readFileSync(join(ROOT, 'docs/examples/celeriac_signature.py'), 'utf8').trim()
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(code)).toBe(true)
  })
})
