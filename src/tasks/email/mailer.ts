/** nodemailer, loaded by the first send (a worker that sends no email never loads it). */
export const loadNodemailer = async () => (await import('nodemailer')).default

/** One message, ready to go: the tasks render templates before they get here. */
export interface OutgoingEmail {
  from: string
  to: string
  subject: string
  text: string
  html: string
}

export interface SentEmail {
  messageId: string
  /** The server's reply (`250 OK ...`), or where the outbox wrote the file. */
  response: string
}

/** Delivers email: over SMTP, or into the outbox folder when no SMTP server is configured. */
export interface Mailer {
  /** For logs and health checks: never holds a password. */
  readonly description: string
  send(email: OutgoingEmail): Promise<SentEmail>
  /** Closes pooled connections. */
  close(): void
}
