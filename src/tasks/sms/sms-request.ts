import type { Config } from '../../config/config-schema.ts'
import { UnrecoverableError } from '../../core/errors.ts'

export type SmsSettings = Pick<Config, 'smsUrl' | 'smsFrom' | 'smsAuthHeader' | 'smsMethod'>

/** One request to the provider, and the URL to name in messages (no credentials, no query). */
export interface SmsRequest {
  url: string
  shown: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body: string | null
  provider: 'twilio' | 'http'
}

const TWILIO = /^twilio(\+http)?:\/\/([^:@/\s]+):([^@/\s]+)@([^/\s?#]+)/

/**
 * The HTTP request that sends one SMS through the configured provider: Twilio's Messages API
 * (form fields To, From, Body; the account SID and auth token as basic auth), or a URL template
 * whose {to}, {message} and {from} are filled in, URL-encoded (POST also sends them as JSON).
 */
export function smsRequest(settings: SmsSettings, to: string, message: string): SmsRequest {
  const { smsUrl, smsFrom } = settings
  if (smsUrl === null) {
    throw new UnrecoverableError('sms: no SMS provider is configured (set CELERIAC_SMS_URL)')
  }
  const twilio = TWILIO.exec(smsUrl)
  if (twilio) {
    const [, plain, sid, token, host] = twilio as unknown as [
      string,
      string | undefined,
      string,
      string,
      string,
    ]
    if (smsFrom === null) throw new UnrecoverableError('sms: Twilio needs a sender (set CELERIAC_SMS_FROM)')
    const url = `${plain ? 'http' : 'https'}://${host}/2010-04-01/Accounts/${encodeURIComponent(decodeURIComponent(sid))}/Messages.json`
    const basic = btoa(`${decodeURIComponent(sid)}:${decodeURIComponent(token)}`)
    return {
      url,
      shown: url,
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: to, From: smsFrom, Body: message }).toString(),
      provider: 'twilio',
    }
  }
  const values: Record<string, string> = { to, message, from: smsFrom ?? '' }
  const url = smsUrl.replace(/\{(to|message|from)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  )
  const parsed = new URL(url)
  const headers: Record<string, string> = {}
  if (settings.smsAuthHeader !== null) {
    const colon = settings.smsAuthHeader.indexOf(':')
    headers[settings.smsAuthHeader.slice(0, colon).trim()] = settings.smsAuthHeader.slice(colon + 1).trim()
  }
  const post = settings.smsMethod === 'POST'
  if (post) headers['content-type'] = 'application/json'
  return {
    url,
    // The query and user info of a template often carry the provider's keys: never shown.
    shown: `${parsed.protocol}//${parsed.host}${parsed.pathname}`,
    method: settings.smsMethod,
    headers,
    body: post ? JSON.stringify({ to, message, ...(smsFrom ? { from: smsFrom } : {}) }) : null,
    provider: 'http',
  }
}
