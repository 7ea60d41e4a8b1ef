import { describe, expect, test } from 'bun:test'
import { CONFIG_FIELDS } from '../../src/config/config-schema.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { redactConfig } from '../../src/config/redact-config.ts'
import { makeApi } from '../api/api-harness.ts'

const SECRET = 'hunter2-s3cr3t'

const exportSources = {
  shop: { url: `postgres://app:${SECRET}@db.internal:5432/shop`, tables: { orders: ['id'] } },
  legacy: { url: 'sqlite:///srv/legacy.db', tables: { users: ['id'] } },
}

describe('the config as shown', () => {
  test('GET /api/v1/config hides the password of an export source postgres URL, keeping user and host', async () => {
    const api = makeApi({ env: { CELERIAC_EXPORT_SOURCES: JSON.stringify(exportSources) } })
    const response = await api.request('/api/v1/config')
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).not.toContain(SECRET)
    const body = JSON.parse(text)
    expect(body.exportSources.shop.url).toBe('postgres://app:***@db.internal:5432/shop')
    expect(body.exportSources.legacy.url).toBe('sqlite:///srv/legacy.db')
  })

  test('hides credentials of every URL at any depth: nested objects, arrays, text around the URL', () => {
    const config = loadConfig({ env: {}, flags: {} })
    const shown = redactConfig({
      ...config,
      exportSources,
      // Fields a future config may hold: the redaction must not depend on knowing them.
      extra: {
        deep: [{ list: [`https://user:${SECRET}@hooks.example/x`, 'plain text'] }],
        inText: `primary redis://:${SECRET}@h1:6379, replica redis://:${SECRET}@h2:6379 done`,
        atSignInside: `postgres://app:p@ss${SECRET}@db/x`,
        query: `https://api.example/v1?token=${SECRET}&page=2`,
        withoutCredentials: 'postgres://app@db:5432/shop',
      },
    } as never)
    const text = JSON.stringify(shown)
    expect(text).not.toContain(SECRET)
    const extra = (shown as { extra: Record<string, unknown> }).extra
    expect(extra.deep).toEqual([{ list: ['https://user:***@hooks.example/x', 'plain text'] }])
    expect(extra.inText).toBe('primary redis://:***@h1:6379, replica redis://:***@h2:6379 done')
    expect(extra.atSignInside).toBe('postgres://app:***@db/x')
    expect(extra.query).toBe('https://api.example/v1?token=***&page=2')
    expect(extra.withoutCredentials).toBe('postgres://app@db:5432/shop')
  })

  test('masks the broker password, API tokens (keeping their scopes), SMTP password, webhook secret and Upstash token', () => {
    const config = loadConfig({
      env: {
        CELERIAC_BROKER_URL: `redis://:${SECRET}@127.0.0.1:6379/0`,
        CELERIAC_API_TOKENS: `${SECRET}-token-0123456789:read`,
        CELERIAC_WEBHOOK_SECRET: `${SECRET}-webhook-0123456789`,
        CELERIAC_SMTP_URL: `smtp://mailer:${SECRET}@smtp.example:587`,
        CELERIAC_UPSTASH_TOKEN: `${SECRET}-upstash`,
      },
      flags: {},
    })
    const shown = redactConfig(config)
    expect(JSON.stringify(shown)).not.toContain(SECRET)
    expect(shown.brokerUrl).toBe('redis://:***@127.0.0.1:6379/0')
    expect(shown.apiTokens).toEqual(['***:read'])
    expect(shown.smtpUrl).toBe('smtp://mailer:***@smtp.example:587')
    expect(shown.webhookSecret).toBe('***')
    expect(shown.upstashToken).toBe('***')
  })

  test('masks every field declared secret, whatever its name: a new secret field cannot leak through a dump', () => {
    const env: Record<string, string> = {
      CELERIAC_UPSTASH_TOKEN: `${SECRET}-upstash`,
      CELERIAC_SMTP_URL: `smtp://mailer:${SECRET}@smtp.example:587`,
      CELERIAC_HEALTH_CHECKS: JSON.stringify([{ name: 'db', url: `postgres://app:${SECRET}@db/x` }]),
      CELERIAC_WEBHOOK_SECRET: `${SECRET}-webhook-0123456789`,
      CELERIAC_SMS_AUTH_HEADER: `X-Key: ${SECRET}-0123456789abcdef`,
      CELERIAC_SMS_URL: `twilio://AC123:${SECRET}@api.twilio.com`,
      CELERIAC_API_TOKENS: `${SECRET}-token-0123456789:read`,
      CELERIAC_ENCRYPTION_KEYS: `k1:${Buffer.from(SECRET.padEnd(32, '!')).toString('base64')}`,
      CELERIAC_SIGNING_KEYS: `new:${SECRET.padEnd(40, '!')},old:${SECRET.padEnd(41, '!')}`,
    }
    // Every field declared secret is set above.
    const secretEnvs = CONFIG_FIELDS.filter((f) => f.secret).map((f) => f.env)
    expect(secretEnvs.filter((name) => env[name] === undefined)).toEqual([])
    const config = loadConfig({ env, flags: {} })
    const shown = redactConfig(config)
    expect(JSON.stringify(shown)).not.toContain(SECRET)
    expect(JSON.stringify(shown)).not.toContain(Buffer.from(SECRET.padEnd(32, '!')).toString('base64'))
    expect(shown.signingKeys).toBe('new:***,old:***')
    expect(shown.encryptionKeys).toBe('k1:***')
  })
})
