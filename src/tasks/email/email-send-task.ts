import { defineTask } from '../../core/task.ts'
import type { TaskServices } from '../task-services.ts'
import { composeWholeEmail, createEmailComposer } from './email-composer.ts'
import { emailSendInput } from './email-input.ts'
import { toTaskError } from './smtp-failure.ts'

/** Retries cover greylisting (often 5-15 minutes) and short outages of the mail server. */
export const EMAIL_RETRY = {
  max: 6,
  backoff: 'exponential',
  delay: 30_000,
  maxDelay: 900_000,
  jitter: true,
} as const

/**
 * `email.send`: one email to one address, from a template or given whole (subject, text and/or
 * html). 4xx and network errors retry; 5xx fails.
 */
export function createEmailSendTask(services: TaskServices) {
  const compose = createEmailComposer(services)
  return defineTask({
    name: 'email.send',
    description:
      'Renders an email template (HTML + text), or takes a whole body, and sends it to one address.',
    queue: 'email',
    input: emailSendInput(services.config),
    retry: EMAIL_RETRY,
    timeLimit: { soft: 60_000, hard: 90_000 },
    run: async (input, ctx) => {
      const { template, subject } = input
      const email =
        template === undefined
          ? composeWholeEmail(services.config.emailFrom, { ...input, subject: subject as string })
          : await compose({ ...input, template, subject: subject ?? null })
      try {
        const sent = await services.mailer().send(email)
        ctx.log.info('email sent', { template: template ?? null, messageId: sent.messageId })
        return { to: input.to, subject: email.subject, messageId: sent.messageId, response: sent.response }
      } catch (err) {
        throw toTaskError(err, input.to)
      }
    },
  })
}
