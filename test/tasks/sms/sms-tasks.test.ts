import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { type Config, DEFAULT_CONFIG } from '../../../src/config/config-schema.ts'
import { redactConfig } from '../../../src/config/redact-config.ts'
import type { Json } from '../../../src/core/json.ts'
import { createNotifyTask } from '../../../src/tasks/notify/notify-task.ts'
import { createSmsBulkTask } from '../../../src/tasks/sms/sms-bulk-task.ts'
import { createSmsSendTask } from '../../../src/tasks/sms/sms-send-task.ts'
import { createTaskServices, type TaskServices } from '../../../src/tasks/task-services.ts'
import { runOnce } from '../run-once.ts'

/**
 * A real HTTP server stands in for the providers: Twilio's Messages API and a URL-template API.
 * A number's last digit picks the answer: 0 -> 400 (bad number), 9 -> 503 while `down` is set.
 */
interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: Headers
  body: string
}
const seen: Seen[] = []
let down = true
let server: ReturnType<typeof Bun.serve>
let host = ''

beforeAll(() => {
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url)
      const body = await req.text()
      seen.push({
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      })
      const to = new URLSearchParams(body).get('To') ?? url.searchParams.get('to') ?? safeJson(body).to ?? ''
      if (to.endsWith('0')) return Response.json({ message: 'invalid number' }, { status: 400 })
      if (to.endsWith('9') && down) return new Response('busy', { status: 503 })
      if (to.endsWith('8')) return new Response('slow down', { status: 429, headers: { 'retry-after': '7' } })
      return Response.json({ sid: `SM${seen.length}`, status: 'queued' }, { status: 201 })
    },
  })
  host = `127.0.0.1:${server.port}`
})
afterAll(() => server.stop(true))
afterEach(() => {
  seen.length = 0
  down = true
})

function safeJson(text: string): { to?: string } {
  try {
    return JSON.parse(text)
  } catch {
    return {}
  }
}

const TWILIO: Partial<Config> = { smsUrl: '', smsFrom: '+15550001111' }
function services(over: Partial<Config>, memory: { meta: Json | null } = { meta: null }): TaskServices {
  const config = { ...DEFAULT_CONFIG, outboundAllowList: ['127.0.0.1'], ...over }
  // previousMeta() is the broker's role: here it returns what an earlier attempt recorded.
  const broker = async () => ({ getResult: async () => ({ meta: memory.meta }) }) as never
  return createTaskServices({ config, broker })
}
const twilio = () => ({ ...TWILIO, smsUrl: `twilio+http://AC123:tok-secret@${host}` })

describe('sms.send through Twilio', () => {
  test("posts To, From and Body to the account's Messages.json with the SID and token as basic auth", async () => {
    const { outcome } = await runOnce(createSmsSendTask(services(twilio())), {
      to: '+15551234567',
      message: 'hi ✓',
    })
    expect(outcome).toMatchObject({
      kind: 'ack',
      result: { to: '+15551234567', provider: 'twilio', id: 'SM1' },
    })
    expect(seen[0]?.path).toBe('/2010-04-01/Accounts/AC123/Messages.json')
    expect(Object.fromEntries(new URLSearchParams(seen[0]?.body))).toEqual({
      To: '+15551234567',
      From: '+15550001111',
      Body: 'hi ✓',
    })
    expect(seen[0]?.headers.get('authorization')).toBe(`Basic ${btoa('AC123:tok-secret')}`)
  })

  test('fails a 4xx at once; retries 5xx, and honours Retry-After on 429', async () => {
    const task = createSmsSendTask(services(twilio()))
    const bad = await runOnce(task, { to: '+15551234560', message: 'x' })
    expect(bad.outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    const busy = await runOnce(task, { to: '+15551234569', message: 'x' })
    expect(busy.outcome.kind).toBe('retry')
    const slow = await runOnce(task, { to: '+15551234568', message: 'x' })
    // Retry-After: 7 (seconds) sets the next attempt, not the task's own backoff.
    expect(slow.outcome.kind === 'retry' && slow.outcome.at - Date.now()).toBeGreaterThan(5_000)
    // Errors name the endpoint, never the token.
    const message = JSON.stringify([bad.outcome, busy.outcome, slow.outcome])
    expect(message).toContain('Messages.json')
    expect(message).not.toContain('tok-secret')
  })

  test('refuses a number that is not E.164, naming the field', async () => {
    const task = createSmsSendTask(services(twilio()))
    for (const to of ['5551234567', '+0551234567', '+1555-123-4567', '+1']) {
      await expect(runOnce(task, { to, message: 'x' })).rejects.toThrow(/to: an E\.164 phone number/)
    }
    expect(seen).toHaveLength(0)
  })

  test('without a provider, or without a sender for Twilio, fails once with what to set', async () => {
    const none = await runOnce(createSmsSendTask(services({})), { to: '+15551234567', message: 'x' })
    expect(none.outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    expect(JSON.stringify(none.outcome)).toContain('CELERIAC_SMS_URL')
    const noFrom = await runOnce(createSmsSendTask(services({ ...twilio(), smsFrom: null })), {
      to: '+15551234567',
      message: 'x',
    })
    expect(JSON.stringify(noFrom.outcome)).toContain('CELERIAC_SMS_FROM')
  })

  test('the provider is an outbound URL: a private address needs an allow-list entry', async () => {
    const config = { ...twilio(), outboundAllowList: [] }
    const { outcome } = await runOnce(createSmsSendTask(services(config)), {
      to: '+15551234567',
      message: 'x',
    })
    expect(outcome.kind).toBe('fail')
    expect(seen).toHaveLength(0)
  })
})

describe('sms.send through a URL-template provider', () => {
  test('GET fills {to}, {message} and {from}, URL-encoded; errors never show the query', async () => {
    const smsUrl = `http://${host}/v1/messages/send?clientsecret=s3cret&from={from}&to={to}&content={message}`
    const task = createSmsSendTask(services({ smsUrl, smsFrom: 'Celeriac', smsMethod: 'GET' }))
    const { outcome } = await runOnce(task, { to: '+233241234567', message: 'a&b=c ü' })
    expect(outcome.kind).toBe('ack')
    expect(seen[0]?.method).toBe('GET')
    expect(seen[0]?.query.get('to')).toBe('+233241234567')
    expect(seen[0]?.query.get('content')).toBe('a&b=c ü')
    expect(seen[0]?.query.get('from')).toBe('Celeriac')
    const failed = await runOnce(task, { to: '+233241234560', message: 'x' })
    expect(JSON.stringify(failed.outcome)).toContain(`http://${host}/v1/messages/send`)
    expect(JSON.stringify(failed.outcome)).not.toContain('s3cret')
  })

  test('POST sends {to, message, from} as JSON with the configured auth header', async () => {
    const smsUrl = `http://${host}/send`
    const config = { smsUrl, smsFrom: '+15550001111', smsAuthHeader: 'Authorization: Bearer k-123' }
    const { outcome } = await runOnce(createSmsSendTask(services(config)), {
      to: '+15551234567',
      message: 'hi',
    })
    expect(outcome.kind).toBe('ack')
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      to: '+15551234567',
      message: 'hi',
      from: '+15550001111',
    })
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer k-123')
  })

  test("config dumps redact the provider's credentials", () => {
    const config = {
      ...DEFAULT_CONFIG,
      smsUrl: `twilio://AC123:tok-secret@api.twilio.com`,
      smsAuthHeader: 'X-Key: abc',
    }
    expect(redactConfig(config)).toMatchObject({
      smsUrl: 'twilio://AC123:***@api.twilio.com',
      smsAuthHeader: 'X-Key: ***',
    })
    const template = { ...DEFAULT_CONFIG, smsUrl: 'https://sms.example.com/send?clientsecret=s3cret&to={to}' }
    expect(redactConfig(template).smsUrl).toBe('https://sms.example.com/send?***')
  })
})

describe('sms.bulk', () => {
  test('one text per recipient with an outcome each; a retry sends only to the deferred', async () => {
    const memory: { meta: Json | null } = { meta: null }
    const task = createSmsBulkTask(services(twilio(), memory))
    const recipients = ['+15551234561', '+15551234560', '+15551234569']
    const first = await runOnce(task, { recipients, message: 'sale' })
    expect(first.outcome.kind).toBe('retry')
    const outcomes = (first.progress.at(-1) as { bulk: { outcomes: Record<string, { status: string }> } })
      .bulk.outcomes
    expect(Object.fromEntries(Object.entries(outcomes).map(([to, o]) => [to, o.status]))).toEqual({
      '+15551234561': 'sent',
      '+15551234560': 'rejected',
      '+15551234569': 'deferred',
    })
    memory.meta = first.progress.at(-1) as Json
    seen.length = 0
    down = false
    const second = await runOnce(task, { recipients, message: 'sale' }, { attempt: 2, retries: 1 })
    expect(second.outcome).toMatchObject({
      kind: 'ack',
      result: { total: 3, sent: 2, rejected: 1, deferred: 0 },
    })
    expect(seen.map((s) => new URLSearchParams(s.body).get('To'))).toEqual(['+15551234569'])
  })

  test('refuses duplicates and more than 1,000 recipients at enqueue', async () => {
    const task = createSmsBulkTask(services(twilio()))
    await expect(
      runOnce(task, { recipients: ['+15551234561', '+15551234561'], message: 'x' }),
    ).rejects.toThrow(/recipients: each number may appear only once/)
    const many = Array.from({ length: 1_001 }, (_, i) => `+1555${String(i).padStart(7, '0')}`)
    await expect(runOnce(task, { recipients: many, message: 'x' })).rejects.toThrow(/at most 1000 recipients/)
  })
})

describe('notify on the sms channel', () => {
  test('sends the text as sms.send does', async () => {
    const { outcome } = await runOnce(createNotifyTask(services(twilio())), {
      channel: 'sms',
      to: '+15551234567',
      message: 'your order shipped',
    })
    expect(outcome).toMatchObject({ kind: 'ack', result: { channel: 'sms', to: '+15551234567', id: 'SM1' } })
    expect(new URLSearchParams(seen[0]?.body).get('Body')).toBe('your order shipped')
  })
})
