import type { Config } from './config-schema.ts'
import { redactCredentials } from './redact-credentials.ts'

/**
 * The config as it may be shown (a dump, an admin endpoint): each API token replaced by its
 * scopes, then every URL credential hidden wherever it sits (broker, SMTP, export sources,
 * declared tasks, schedule inputs, any field) and every secret-named field masked.
 * Secrets never leave the process through this.
 */
export function redactConfig(config: Config): Record<string, unknown> {
  const scopesOnly = {
    ...config,
    apiTokens: config.apiTokens.map((spec) => `***:${spec.slice(spec.lastIndexOf(':') + 1)}`),
  }
  return redactCredentials(scopesOnly) as Record<string, unknown>
}
