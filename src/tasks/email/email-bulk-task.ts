import { UnrecoverableError } from '../../core/errors.ts'
import { defineTask, type TaskContext } from '../../core/task.ts'
import type { TaskServices } from '../task-services.ts'
import {
  type BulkProgress,
  countBy,
  finalOutcomes,
  type RecipientOutcome,
  toProgressMeta,
} from './bulk-outcomes.ts'
import { emailBulkInput } from './email-bulk-input.ts'
import { type ComposeEmail, createEmailComposer } from './email-composer.ts'
import { EMAIL_RETRY } from './email-send-task.ts'
import { smtpFailureKind, TransientSmtpError } from './smtp-failure.ts'

/** Messages sent at once; progress is recorded after each chunk, so a crash resends one at most. */
export const BULK_CHUNK = 10

interface Job {
  to: string
  context: Record<string, unknown>
}

/**
 * `email.bulk`: one message per recipient (nobody sees the others' addresses), in chunks. The
 * outcome per recipient is kept in the task's progress meta; a retry reads it back and sends only
 * to recipients not yet settled, so a partial failure never sends twice to those who got it.
 */
export function createEmailBulkTask(services: TaskServices) {
  const compose = createEmailComposer(services)
  return defineTask({
    name: 'email.bulk',
    description: 'Sends one templated email per recipient, in chunks; retries only deferred recipients.',
    queue: 'email',
    input: emailBulkInput(services.config),
    retry: EMAIL_RETRY,
    timeLimit: { soft: 600_000, hard: 660_000 },
    run: async (input, ctx) => {
      const jobs: Job[] = input.recipients.map((r) =>
        typeof r === 'string'
          ? { to: r, context: input.context }
          : { to: r.to, context: { ...input.context, ...r.context } },
      )
      const previous = ctx.attempt > 1 ? finalOutcomes(await services.previousMeta(ctx.id)) : new Map()
      const progress: BulkProgress = { total: jobs.length, outcomes: Object.fromEntries(previous) }
      const pending = jobs.filter((job) => !previous.has(job.to))
      for (let i = 0; i < pending.length; i += BULK_CHUNK) {
        ctx.signal.throwIfAborted()
        const chunk = pending.slice(i, i + BULK_CHUNK)
        const outcomes = await Promise.all(chunk.map((job) => sendOne(job, input, compose, services)))
        for (const outcome of outcomes) progress.outcomes[outcome.to] = outcome
        await ctx.progress(toProgressMeta(progress))
      }
      return settle(progress, jobs, ctx)
    },
  })
}

async function sendOne(
  job: Job,
  input: { subject?: string; template: string },
  compose: ComposeEmail,
  services: TaskServices,
): Promise<RecipientOutcome> {
  const email = await compose({ ...job, subject: input.subject ?? null, template: input.template })
  try {
    const sent = await services.mailer().send(email)
    return { to: job.to, status: 'sent', messageId: sent.messageId }
  } catch (err) {
    const status = smtpFailureKind(err) === 'transient' ? 'deferred' : 'rejected'
    return { to: job.to, status, error: (err as Error)?.message ?? String(err) }
  }
}

/** The result, or the error that makes the worker retry (deferred recipients) or fail for good. */
function settle(progress: BulkProgress, jobs: Job[], ctx: TaskContext) {
  const recipients = jobs.map((job) => progress.outcomes[job.to] as RecipientOutcome)
  const counts = countBy(recipients)
  if (counts.deferred > 0) {
    const message = `email.bulk: ${counts.deferred} of ${jobs.length} recipients deferred (temporary SMTP errors); the retry sends only to them`
    ctx.log.warn('email.bulk: recipients deferred', counts)
    throw new TransientSmtpError(message)
  }
  if (counts.sent === 0) {
    throw new UnrecoverableError(`email.bulk: every recipient was rejected; first: ${recipients[0]?.error}`)
  }
  return { total: jobs.length, ...counts, recipients }
}
