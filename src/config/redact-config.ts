import type { Config } from './config-schema.ts'
import { redactCredentials } from './redact-credentials.ts'
import { redactHeaderLine, redactSmsUrl } from './redact-sms-url.ts'

/**
 * The config as it may be shown (a dump, an admin endpoint): each API token replaced by its
 * scopes, then every URL credential hidden wherever it sits (broker, SMTP, export sources,
 * declared tasks, schedule inputs, any field) and every secret-named field masked; the SMS
 * provider's template keeps only its host and path (its keys often sit in the query); key rings
 * keep only their key ids.
 * Secrets never leave the process through this.
 */
export function redactConfig(config: Config): Record<string, unknown> {
  const scopesOnly = {
    ...config,
    apiTokens: config.apiTokens.map((spec) => `***:${spec.slice(spec.lastIndexOf(':') + 1)}`),
    smsUrl: config.smsUrl === null ? null : redactSmsUrl(config.smsUrl),
    smsAuthHeader: config.smsAuthHeader === null ? null : redactHeaderLine(config.smsAuthHeader),
    signingKeys: keyIdsOnly(config.signingKeys),
    encryptionKeys: keyIdsOnly(config.encryptionKeys),
  }
  return redactCredentials(scopesOnly) as Record<string, unknown>
}

/** `id:secret,id:secret` → `id:***,id:***`: which keys are configured, in order, and nothing of them. */
function keyIdsOnly(ring: string | null): string | null {
  if (ring === null) return null
  return ring
    .split(',')
    .map((entry) => `${entry.slice(0, Math.max(0, entry.indexOf(':'))).trim()}:***`)
    .join(',')
}
