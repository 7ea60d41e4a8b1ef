import { z } from 'zod'

export const API_SCOPES = ['read', 'submit', 'admin'] as const
export type ApiScope = (typeof API_SCOPES)[number]

/**
 * Shortest token accepted: a guessable token is an open door however good the rate limits are.
 * 16 characters of `openssl rand -hex 16` output is 64 bits.
 */
export const MIN_TOKEN_LENGTH = 16

const SPEC = new RegExp(
  `^([^\\s:,]{${MIN_TOKEN_LENGTH},}):((?:read|submit|admin)(?:\\+(?:read|submit|admin))*)$`,
)

/** One configured API token: `token:scope+scope`. The messages never quote the value (a secret). */
export const ApiTokenSpec = z.string().regex(SPEC, 'expected token:scope+scope')

/** Celery-style rate text, '100/s', '6000/m', '5/10s' (the same grammar as task rate limits). */
export const RATE_TEXT = /^[1-9]\d*\/\d*[smh]$/

export interface ApiToken {
  token: string
  scopes: ReadonlySet<ApiScope>
}

/** `token:read+submit` -> its token and scopes; call on specs the Config schema accepted. */
export function parseApiToken(spec: string): ApiToken {
  const match = SPEC.exec(spec)
  if (!match) throw new Error('api token: expected token:scope+scope')
  const scopes = (match[2] as string).split('+') as ApiScope[]
  return { token: match[1] as string, scopes: new Set(scopes) }
}
