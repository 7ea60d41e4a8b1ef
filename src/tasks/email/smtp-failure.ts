import { UnrecoverableError } from '../../core/errors.ts'

/** Connection-level codes nodemailer uses when no SMTP reply was received: worth another try. */
const NETWORK_CODES = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']

export type SmtpFailureKind = 'transient' | 'permanent'

/**
 * Sorts a send error the way SMTP does: 4xx replies are temporary (greylisting, a full mailbox,
 * rate limits) and 5xx permanent (no such user, auth refused); no reply at all is a network
 * problem, also temporary. Anything else (a bad address nodemailer refuses to send) is permanent.
 */
export function smtpFailureKind(err: unknown): SmtpFailureKind {
  const { responseCode, code } = (err ?? {}) as { responseCode?: number; code?: string }
  if (typeof responseCode === 'number')
    return responseCode >= 400 && responseCode < 500 ? 'transient' : 'permanent'
  if (code && NETWORK_CODES.includes(code)) return 'transient'
  return err instanceof Error && !code ? 'transient' : 'permanent'
}

/** A temporary SMTP failure: retried with the task's backoff. */
export class TransientSmtpError extends Error {
  override name = 'TransientSmtpError'
}

/** Rethrows a send error as what the worker should do about it: retry, or fail for good. */
export function toTaskError(err: unknown, to: string): Error {
  const message = `email to ${to}: ${(err as Error)?.message ?? String(err)}`
  return smtpFailureKind(err) === 'transient'
    ? new TransientSmtpError(message)
    : new UnrecoverableError(message)
}
