import { redactUrl } from '../brokers/create-broker.ts'
import type { Config } from './config-schema.ts'
import { redactHeaderLine, redactSmsUrl } from './redact-sms-url.ts'
import { redactSmtpUrl } from './redact-smtp-url.ts'

/**
 * The config as it may be shown (a dump, an admin endpoint): the broker URL without its password
 * and each API token replaced by its scopes, the SMTP password and the webhook secret masked.
 * Secrets never leave the process through this.
 */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    brokerUrl: redactUrl(config.brokerUrl),
    apiTokens: config.apiTokens.map((spec) => `***:${spec.slice(spec.lastIndexOf(':') + 1)}`),
    smtpUrl: config.smtpUrl === null ? null : redactSmtpUrl(config.smtpUrl),
    webhookSecret: config.webhookSecret === null ? null : '***',
    smsUrl: config.smsUrl === null ? null : redactSmsUrl(config.smsUrl),
    smsAuthHeader: config.smsAuthHeader === null ? null : redactHeaderLine(config.smsAuthHeader),
  }
}
