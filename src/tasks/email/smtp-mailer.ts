import type { Transporter } from 'nodemailer'
import type SMTPPool from 'nodemailer/lib/smtp-pool'
import { redactSmtpUrl } from '../../config/redact-smtp-url.ts'
import { loadOnce } from '../../core/load-once.ts'
import { loadNodemailer, type Mailer } from './mailer.ts'
import { smtpTlsPolicy } from './smtp-tls-policy.ts'

/**
 * A pooled SMTP transport from `smtp://` or `smtps://` (user and password in the URL, query
 * options as nodemailer reads them). Creating it connects nowhere and loads nothing: nodemailer
 * loads and the pool opens on the first send.
 * A password is only ever sent over TLS unless the URL opts out (see smtp-tls-policy.ts).
 */
export function createSmtpMailer(url: string): Mailer {
  const policy = smtpTlsPolicy(url)
  const options = {
    url: policy.url,
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    ...(policy.requireTls ? { requireTLS: true } : {}),
  } as SMTPPool.Options
  let created: Transporter | null = null
  const transport = loadOnce(async () => {
    created = (await loadNodemailer()).createTransport(options)
    return created
  })
  const description = `smtp ${redactSmtpUrl(url)}`
  return {
    description,
    async send(email) {
      try {
        const info = await (await transport()).sendMail(email)
        return { messageId: String(info.messageId), response: String(info.response) }
      } catch (err) {
        throw policy.requireTls ? policy.explain(err, description) : err
      }
    },
    close: () => created?.close(),
  }
}
