import { z } from 'zod'
import { field } from '../define-field.ts'

/** The SMS tasks' provider: Twilio's REST API, or any HTTP API by a URL template. */
export const SMS_FIELDS = {
  smsUrl: field({
    schema: z
      .string()
      .max(2_000)
      .regex(/^(twilio(\+http)?:\/\/[^:@/\s]+:[^@/\s]+@[^\s]+|https?:\/\/[^\s]+)$/)
      .nullable(),
    default: null,
    env: 'CELERIAC_SMS_URL',
    kind: 'nullable-string',
    help: 'SMS provider: twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com, or an http(s) URL with {to} {message} {from} (any other provider)',
    defaultText: 'none (sms tasks fail)',
    expected:
      'twilio://SID:TOKEN@api.twilio.com, or an http(s):// URL template such as https://sms.example.com/send?to={to}',
    secret: true,
  }),
  smsFrom: field({
    schema: z
      .string()
      .regex(/^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/)
      .nullable(),
    default: null,
    env: 'CELERIAC_SMS_FROM',
    kind: 'nullable-string',
    help: 'the sender of every SMS: an E.164 number or an alphanumeric sender id (up to 11 characters)',
    defaultText: 'none',
    expected: "an E.164 number like '+15551234567' or a sender id like 'Celeriac'",
  }),
  smsAuthHeader: field({
    schema: z
      .string()
      .max(4_000)
      .regex(/^[A-Za-z0-9-]+:[ \t]*[^\r\n]+$/)
      .nullable(),
    default: null,
    env: 'CELERIAC_SMS_AUTH_HEADER',
    kind: 'nullable-string',
    help: "a header sent with every request to a URL-template provider, as 'Name: value'",
    defaultText: 'none',
    expected: "one header line like 'Authorization: Basic dXNlcjpwYXNz'",
    secret: true,
  }),
  smsMethod: field({
    schema: z.enum(['GET', 'POST']),
    default: 'POST',
    env: 'CELERIAC_SMS_METHOD',
    kind: 'string',
    help: 'how a URL-template provider is called: POST sends {to, message, from} as JSON; GET only fills the URL',
    expected: 'GET or POST',
  }),
}
