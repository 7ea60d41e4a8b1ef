import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { type Config, DEFAULT_CONFIG } from '../../../src/config/config-schema.ts'
import { buildMessage } from '../../../src/core/build-message.ts'
import { systemClock } from '../../../src/core/clock.ts'
import { createEmailSendTask } from '../../../src/tasks/email/email-send-task.ts'
import { createTaskServices, type TaskServices } from '../../../src/tasks/task-services.ts'
import { runOnce } from '../run-once.ts'
import { type SmtpTestServer, startSmtpTestServer } from './smtp-test-server.ts'

const HOSTILE = {
  name: '<img src=x onerror=alert(1)>',
  app_name: "{{constructor.constructor('x')()}}",
  login_url: 'javascript:alert(1)',
  extra: '${process.env}',
}

let smtp: SmtpTestServer
const open: TaskServices[] = []
const dirs: string[] = []

beforeAll(async () => {
  smtp = await startSmtpTestServer()
})
afterAll(() => smtp.close())
afterEach(async () => {
  for (const services of open.splice(0)) await services.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  smtp.received.length = 0
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-email-'))
  dirs.push(dir)
  return dir
}

function emailServices(over: Partial<Config> = {}): TaskServices {
  const config = {
    ...DEFAULT_CONFIG,
    smtpUrl: smtp.url,
    emailFrom: 'Celeriac Test <noreply@celeriac.test>',
    ...over,
  }
  const services = createTaskServices({ config })
  open.push(services)
  return services
}

describe('email.send over SMTP', () => {
  test('sends both parts with the From, To and Subject headers', async () => {
    const task = createEmailSendTask(emailServices())
    const input = {
      to: 'ada@example.com',
      template: 'welcome_user',
      context: { name: 'Ada', app_name: 'Acme' },
    }
    const { outcome } = await runOnce(task, input)
    expect(outcome).toMatchObject({
      kind: 'ack',
      result: { to: 'ada@example.com', subject: 'Welcome to Acme, Ada' },
    })
    expect(smtp.received).toHaveLength(1)
    const { rcpt, mail } = smtp.received[0] as (typeof smtp.received)[0]
    expect(rcpt).toEqual(['ada@example.com'])
    expect(mail.from?.value).toEqual([{ name: 'Celeriac Test', address: 'noreply@celeriac.test' }])
    expect(mail.subject).toBe('Welcome to Acme, Ada')
    expect(mail.messageId).toBeString()
    expect(mail.text).toContain('Welcome, Ada!')
    expect(mail.html).toContain('Welcome, Ada!')
    expect(mail.html).toContain('style=')
  })

  test('sends an email given whole: a text body gets an escaped HTML part', async () => {
    const task = createEmailSendTask(emailServices())
    const text = 'Hello <b>Ada</b> & co,\nyour export is ready.'
    const { outcome } = await runOnce(task, { to: 'ada@example.com', subject: 'Ready', text })
    expect(outcome).toMatchObject({ kind: 'ack', result: { subject: 'Ready' } })
    const mail = smtp.received[0]?.mail
    expect(mail?.subject).toBe('Ready')
    expect(mail?.text?.trim()).toBe(text)
    expect(mail?.html).toContain('Hello &lt;b&gt;Ada&lt;/b&gt; &amp; co')
    expect(mail?.html).not.toContain('<b>')
  })

  test("an html body is the caller's own markup; its text part is the HTML without tags", async () => {
    const task = createEmailSendTask(emailServices())
    const html = '<p>Hi <strong>Ada</strong></p>'
    await runOnce(task, { to: 'ada@example.com', subject: 'Hi', html })
    expect(smtp.received[0]?.mail.html).toContain('<strong>Ada</strong>')
    expect(smtp.received[0]?.mail.text?.trim()).toBe('Hi Ada')
  })

  test('a template or a whole body, never neither nor both, each problem naming its field', async () => {
    const task = createEmailSendTask(emailServices())
    await expect(runOnce(task, { to: 'a@example.com' })).rejects.toThrow(/template: give a template/)
    await expect(runOnce(task, { to: 'a@example.com', text: 'x' })).rejects.toThrow(
      /subject: an email without a template/,
    )
    await expect(runOnce(task, { to: 'a@example.com', template: 'notification', text: 'x' })).rejects.toThrow(
      /text: text and html are for an email without a template/,
    )
    await expect(
      runOnce(task, { to: 'a@example.com', subject: 'a\r\nBcc: x@evil.example', text: 'x' }),
    ).rejects.toThrow(/subject/)
    expect(smtp.received).toHaveLength(0)
  })

  test('takes a literal subject over the template one', async () => {
    const task = createEmailSendTask(emailServices())
    const subject = 'Hello {{name}} ${x}'
    await runOnce(task, { to: 'a@example.com', subject, template: 'notification', context: { name: 'x' } })
    expect(smtp.received[0]?.mail.subject).toBe(subject)
  })

  test('escapes hostile context values in HTML and never evaluates them', async () => {
    const task = createEmailSendTask(emailServices())
    const { outcome } = await runOnce(task, {
      to: 'a@example.com',
      template: 'welcome_user',
      context: HOSTILE,
    })
    expect(outcome.kind).toBe('ack')
    const { mail } = smtp.received[0] as (typeof smtp.received)[0]
    const html = String(mail.html)
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;')
    expect(html).toContain('{{constructor.constructor(&#x27;x&#x27;)()}}')
    expect(html).not.toContain('javascript:')
    expect(html).toContain('href="#"')
    // The text part is not HTML: values appear literally, still never evaluated.
    expect(mail.text).toContain("{{constructor.constructor('x')()}}")
    expect(mail.subject).toBe("Welcome to {{constructor.constructor('x')()}}, <img src=x onerror=alert(1)>")
  })

  test('renders ${process.env} in context as the literal text', async () => {
    const task = createEmailSendTask(emailServices())
    const context = { title: '${process.env}', message: '${process.env.HOME} {{lookup this "constructor"}}' }
    await runOnce(task, { to: 'a@example.com', template: 'notification', context })
    const { mail } = smtp.received[0] as (typeof smtp.received)[0]
    expect(mail.subject).toBe('${process.env}')
    expect(mail.text).toContain('${process.env.HOME} {{lookup this "constructor"}}')
    expect(String(mail.html)).not.toContain(process.env.HOME ?? '/root')
  })

  test('folds line breaks of context values in a template subject', async () => {
    const task = createEmailSendTask(emailServices())
    await runOnce(task, {
      to: 'a@example.com',
      template: 'notification',
      context: { title: 'Hi\r\nBcc: x@evil.test' },
    })
    const { mail, rcpt } = smtp.received[0] as (typeof smtp.received)[0]
    expect(mail.subject).toBe('Hi Bcc: x@evil.test')
    expect(mail.bcc).toBeUndefined()
    expect(rcpt).toEqual(['a@example.com'])
  })

  test.each([
    ['subject', { subject: 'Hi\r\nBcc: victim@example.com' }],
    ['subject', { subject: 'Hi\nX-Injected: 1' }],
    ['to', { to: 'a@example.com\r\nBcc: victim@example.com' }],
    ['template', { template: '../../etc/passwd' }],
    ['template', { template: 'welcome_user.html' }],
    ['template', { template: '/etc/passwd' }],
    ['template', { template: 'no_such_template' }],
  ])('rejects a bad %s at enqueue: %p', (field, bad) => {
    const task = createEmailSendTask(emailServices())
    const input = { to: 'a@example.com', template: 'welcome_user', context: {}, ...bad }
    expect(() => buildMessage(task, input, {}, systemClock)).toThrow(new RegExp(`input: ${field}: `))
  })

  test('retries a 4xx answer from the server', async () => {
    smtp.reject('busy@example.com', 451, 1)
    const task = createEmailSendTask(emailServices())
    const { outcome } = await runOnce(task, { to: 'busy@example.com', template: 'notification', context: {} })
    expect(outcome).toMatchObject({ kind: 'retry', error: { type: 'TransientSmtpError' } })
    expect(smtp.received).toHaveLength(0)
  })

  test('fails a 5xx answer at once, without retry', async () => {
    smtp.reject('gone@example.com', 550)
    const task = createEmailSendTask(emailServices())
    const { outcome } = await runOnce(task, { to: 'gone@example.com', template: 'notification', context: {} })
    expect(outcome).toMatchObject({
      kind: 'fail',
      reason: 'unrecoverable',
      error: { type: 'UnrecoverableError' },
    })
    expect(outcome.kind === 'fail' && outcome.error.message).toContain('550')
  })

  test('retries when the server cannot be reached', async () => {
    const task = createEmailSendTask(emailServices({ smtpUrl: 'smtp://127.0.0.1:1' }))
    const { outcome } = await runOnce(task, { to: 'a@example.com', template: 'notification', context: {} })
    expect(outcome).toMatchObject({ kind: 'retry', error: { type: 'TransientSmtpError' } })
  })
})

describe('email.send without SMTP', () => {
  test('writes an .eml file to the outbox folder', async () => {
    const outbox = join(tempDir(), 'outbox')
    const task = createEmailSendTask(emailServices({ smtpUrl: null, outboxDir: outbox }))
    const { outcome } = await runOnce(task, {
      to: 'a@example.com',
      template: 'digest',
      context: { period: 'week' },
    })
    expect(outcome.kind).toBe('ack')
    const files = readdirSync(outbox)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/\.eml$/)
    const mail = await simpleParser(readFileSync(join(outbox, files[0] as string)))
    expect(mail.subject).toBe('Your week digest')
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('a@example.com')
    expect(mail.text).toContain('Nothing new this week.')
    expect(mail.html).toContain('Nothing new this week.')
  })

  test('uses a template from the override folder before the embedded one', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'welcome_user.html'), '<p>Custom {{name}}</p>')
    writeFileSync(join(dir, 'welcome_user.txt'), 'Custom {{name}}')
    writeFileSync(join(dir, 'welcome_user.subject'), 'Custom subject')
    const outbox = join(dir, 'outbox')
    const task = createEmailSendTask(
      emailServices({ smtpUrl: null, outboxDir: outbox, emailTemplatesDir: dir }),
    )
    await runOnce(task, { to: 'a@example.com', template: 'welcome_user', context: { name: '<b>' } })
    const mail = await simpleParser(readFileSync(join(outbox, readdirSync(outbox)[0] as string)))
    expect(mail.subject).toBe('Custom subject')
    expect(String(mail.html)).toContain('<p>Custom &lt;b&gt;</p>')
    expect(mail.text?.trim()).toBe('Custom <b>')
  })
})
