import { redactUrl } from '../brokers/create-broker.ts'
import type { Config } from './config-schema.ts'

/**
 * The config as it may be shown (a dump, an admin endpoint): the broker URL without its password
 * and each API token replaced by its scopes. Secrets never leave the process through this.
 */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    brokerUrl: redactUrl(config.brokerUrl),
    apiTokens: config.apiTokens.map((spec) => `***:${spec.slice(spec.lastIndexOf(':') + 1)}`),
  }
}
