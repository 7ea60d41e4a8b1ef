import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { type Config, DEFAULT_CONFIG } from '../../../src/config/config-schema.ts'
import { buildMessage } from '../../../src/core/build-message.ts'
import { systemClock } from '../../../src/core/clock.ts'
import type { Json } from '../../../src/core/json.ts'
import { createEmailBulkTask } from '../../../src/tasks/email/email-bulk-task.ts'
import { createTaskServices, type TaskServices } from '../../../src/tasks/task-services.ts'
import { runOnce } from '../run-once.ts'
import { type SmtpTestServer, startSmtpTestServer } from './smtp-test-server.ts'

let smtp: SmtpTestServer
const open: TaskServices[] = []
beforeAll(async () => {
  smtp = await startSmtpTestServer()
})
afterAll(() => smtp.close())
afterEach(async () => {
  for (const services of open.splice(0)) await services.close()
  smtp.received.length = 0
})

/** Services whose previousMeta() returns what `memory.meta` holds: the broker's role, in memory. */
function bulkServices(memory: { meta: Json | null }, over: Partial<Config> = {}): TaskServices {
  const config = { ...DEFAULT_CONFIG, smtpUrl: smtp.url, ...over }
  const broker = async () => ({ getResult: async () => ({ meta: memory.meta }) }) as never
  const services = createTaskServices({ config, broker })
  open.push(services)
  return services
}

const received = () => smtp.received.flatMap((r) => r.rcpt).sort()

describe('email.bulk', () => {
  test('sends one message per recipient, merging per-recipient context', async () => {
    const task = createEmailBulkTask(bulkServices({ meta: null }))
    const recipients = ['a@example.com', { to: 'b@example.com', context: { name: 'Bea' } }]
    const { outcome, progress } = await runOnce(task, {
      recipients,
      template: 'welcome_user',
      context: { name: 'friend', app_name: 'Acme' },
    })
    expect(outcome).toMatchObject({ kind: 'ack', result: { total: 2, sent: 2, rejected: 0, deferred: 0 } })
    expect(smtp.received.map((r) => r.rcpt)).toEqual(
      expect.arrayContaining([['a@example.com'], ['b@example.com']]),
    )
    const subjects = smtp.received.map((r) => r.mail.subject).sort()
    expect(subjects).toEqual(['Welcome to Acme, Bea', 'Welcome to Acme, friend'])
    expect(progress.length).toBeGreaterThan(0)
  })

  test('on a partial failure retries only the deferred recipients', async () => {
    smtp.reject('busy@example.com', 450, 1)
    smtp.reject('gone@example.com', 550)
    const memory: { meta: Json | null } = { meta: null }
    const task = createEmailBulkTask(bulkServices(memory))
    const input = {
      recipients: ['ok@example.com', 'busy@example.com', 'gone@example.com'],
      template: 'notification',
      context: { title: 'Hello' },
    }
    const first = await runOnce(task, input)
    expect(first.outcome).toMatchObject({ kind: 'retry', error: { type: 'TransientSmtpError' } })
    expect(received()).toEqual(['ok@example.com'])

    memory.meta = first.progress.at(-1) ?? null
    const second = await runOnce(task, input, { attempt: 2, retries: 1 })
    expect(second.outcome).toMatchObject({
      kind: 'ack',
      result: { total: 3, sent: 2, rejected: 1, deferred: 0 },
    })
    // ok@ got exactly one message, busy@ got its one on the retry, gone@ (550) none and no retry.
    expect(received()).toEqual(['busy@example.com', 'ok@example.com'])
    const result = second.outcome.kind === 'ack' ? (second.outcome.result as { recipients: unknown[] }) : null
    expect(result?.recipients).toEqual([
      expect.objectContaining({ to: 'ok@example.com', status: 'sent' }),
      expect.objectContaining({ to: 'busy@example.com', status: 'sent' }),
      expect.objectContaining({ to: 'gone@example.com', status: 'rejected' }),
    ])
  })

  test('fails for good when every recipient is rejected', async () => {
    smtp.reject('x1@example.com', 550)
    smtp.reject('x2@example.com', 553)
    const task = createEmailBulkTask(bulkServices({ meta: null }))
    const input = { recipients: ['x1@example.com', 'x2@example.com'], template: 'notification', context: {} }
    const { outcome } = await runOnce(task, input)
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
  })

  test('sends in chunks, recording progress after each', async () => {
    const task = createEmailBulkTask(bulkServices({ meta: null }))
    const recipients = Array.from({ length: 25 }, (_, i) => `r${i}@example.com`)
    const { outcome, progress } = await runOnce(task, { recipients, template: 'notification', context: {} })
    expect(outcome).toMatchObject({ kind: 'ack', result: { sent: 25 } })
    expect(progress).toHaveLength(3)
    expect(smtp.received).toHaveLength(25)
  })

  test('refuses more recipients than the cap, and duplicates, at enqueue', () => {
    const task = createEmailBulkTask(bulkServices({ meta: null }, { emailBulkMax: 3 }))
    const many = ['a', 'b', 'c', 'd'].map((x) => `${x}@example.com`)
    const build = (recipients: unknown[]) =>
      buildMessage(task, { recipients, template: 'notification', context: {} }, {}, systemClock)
    expect(() => build(many)).toThrow(/recipients: at most 3 recipients/)
    expect(() => build(['a@example.com', 'A@example.com'])).toThrow(/each address may appear only once/)
    expect(() => build([])).toThrow(/recipients/)
    expect(() => build(many.slice(0, 3))).not.toThrow()
  })
})
