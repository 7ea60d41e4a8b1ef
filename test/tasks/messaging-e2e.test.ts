import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '../../src/client/client.ts'
import { DEFAULT_CONFIG } from '../../src/config/config-schema.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import type { AnyTask } from '../../src/core/task.ts'
import { createBuiltinTasks } from '../../src/tasks/index.ts'
import { createTaskServices } from '../../src/tasks/task-services.ts'
import { makeBroker, startWorker, waitForTerminal } from '../worker/helpers.ts'
import { type SmtpTestServer, startSmtpTestServer } from './email/smtp-test-server.ts'

/** The same task with a test-sized retry delay, so a retry happens within the test. */
function withFastRetry(task: AnyTask): AnyTask {
  const retry = { ...task.options.retry, backoff: 'fixed' as const, delay: 50, maxDelay: 50, jitter: false }
  return Object.freeze({ ...task, options: Object.freeze({ ...task.options, retry }) })
}

let smtp: SmtpTestServer
let hooks: ReturnType<typeof Bun.serve>
const received: string[] = []
let dir: string

beforeAll(async () => {
  smtp = await startSmtpTestServer()
  hooks = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => {
      received.push(await req.text())
      return Response.json({ ok: true })
    },
  })
  dir = mkdtempSync(join(tmpdir(), 'celeriac-messaging-'))
})
afterAll(async () => {
  await smtp.close()
  hooks.stop(true)
  rmSync(dir, { recursive: true, force: true })
})

function setup(smtpUrl: string | null, outboundAllowList = ['127.0.0.1']) {
  const broker = makeBroker()
  const config = { ...DEFAULT_CONFIG, smtpUrl, outboxDir: join(dir, 'outbox'), outboundAllowList }
  const resolveHost = async () => ['127.0.0.1'] // every name is loopback here
  const services = createTaskServices({ config, broker: async () => broker, resolveHost })
  const registry = new TaskRegistry(createBuiltinTasks(services).map(withFastRetry))
  const worker = startWorker(broker, { registry, queues: ['email', 'webhooks'] })
  const client = new Client({ broker, registry })
  return { broker, client, worker, services }
}

describe('email, http and notify tasks through a real worker', () => {
  test('email.send, http.request and notify (both channels) succeed', async () => {
    const { broker, client, services } = setup(smtp.url)
    const handles = await Promise.all([
      client.enqueue('email.send', {
        to: 'e2e@example.com',
        template: 'welcome_admin',
        context: { name: 'Root' },
      }),
      client.enqueue('http.request', { url: `http://127.0.0.1:${hooks.port}/h`, body: { n: 1 } }),
      client.enqueue('notify', {
        channel: 'webhook',
        url: `http://127.0.0.1:${hooks.port}/n`,
        payload: { n: 2 },
      }),
      client.enqueue('notify', { channel: 'email', to: 'n@example.com', context: { title: 'Ping' } }),
    ])
    for (const handle of handles) expect((await waitForTerminal(broker, handle.id)).state).toBe('SUCCESS')
    expect(smtp.received.map((r) => r.mail.subject).sort()).toEqual(['Ping', 'Your administrator account'])
    expect(received.sort()).toEqual(['{"n":1}', '{"n":2}'])
    await services.close()
  })

  test('email.bulk retries only the deferred recipient, reading its progress back from the broker', async () => {
    smtp.received.length = 0
    smtp.reject('later@example.com', 421, 1)
    const { broker, client, services } = setup(smtp.url)
    const recipients = ['now@example.com', 'later@example.com']
    const handle = await client.enqueue('email.bulk', { recipients, template: 'digest', context: {} })
    const result = await waitForTerminal(broker, handle.id)
    expect(result).toMatchObject({ state: 'SUCCESS', retries: 1, result: { sent: 2, deferred: 0 } })
    expect(smtp.received.flatMap((r) => r.rcpt)).toEqual(['now@example.com', 'later@example.com'])
    await services.close()
  })

  test('email.send with no SMTP configured writes to the outbox', async () => {
    const { broker, client } = setup(null)
    const handle = await client.enqueue('email.send', {
      to: 'o@example.com',
      template: 'welcome_user',
      context: {},
    })
    expect((await waitForTerminal(broker, handle.id)).state).toBe('SUCCESS')
    expect(readdirSync(join(dir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1)
  })

  test('a refused URL is a FAILURE with no retry', async () => {
    const { broker, client } = setup(null, [])
    // Passes the enqueue check (a public-looking name) but resolves to loopback at send time.
    const handle = await client.enqueue('http.request', {
      url: 'http://hooks.example.test:9/',
      method: 'GET',
    })
    const result = await waitForTerminal(broker, handle.id)
    expect(result).toMatchObject({ state: 'FAILURE', retries: 0, error: { type: 'OutboundUrlError' } })
  })
})
