import nodemailer from 'nodemailer'
import type SMTPPool from 'nodemailer/lib/smtp-pool'
import { redactSmtpUrl } from '../../config/redact-smtp-url.ts'
import type { Mailer } from './mailer.ts'

/**
 * A pooled SMTP transport from `smtp://` or `smtps://` (user and password in the URL, query
 * options as nodemailer reads them). Creating it connects nowhere: the pool opens on first send.
 */
export function createSmtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  } as SMTPPool.Options)
  return {
    description: `smtp ${redactSmtpUrl(url)}`,
    async send(email) {
      const info = await transport.sendMail(email)
      return { messageId: String(info.messageId), response: String(info.response) }
    },
    close: () => transport.close(),
  }
}
