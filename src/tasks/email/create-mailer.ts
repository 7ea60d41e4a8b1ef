import type { Config } from '../../config/config-schema.ts'
import type { Mailer } from './mailer.ts'
import { createOutboxMailer } from './outbox-mailer.ts'
import { createSmtpMailer } from './smtp-mailer.ts'

/** SMTP when `smtpUrl` is set; otherwise the outbox folder, so a fresh install needs no mail server. */
export function createMailerFromConfig(config: Config): Mailer {
  return config.smtpUrl ? createSmtpMailer(config.smtpUrl) : createOutboxMailer(config.outboxDir)
}
