import { UnrecoverableError } from '../../core/errors.ts'
import { defineTask, type TaskContext } from '../../core/task.ts'
import { OutboundUrlError } from '../../security/outbound-url-error.ts'
import {
  type BulkProgress,
  countBy,
  finalOutcomes,
  type RecipientOutcome,
  toProgressMeta,
} from '../email/bulk-outcomes.ts'
import { HttpNetworkError } from '../http/http-errors.ts'
import type { TaskServices } from '../task-services.ts'
import { sendSms } from './send-sms.ts'
import { SmsBulkInput } from './sms-input.ts'
import { smsRequest } from './sms-request.ts'
import { SMS_RETRY } from './sms-send-task.ts'

/** Texts sent at once; progress is recorded after each chunk, so a crash resends one chunk at most. */
export const SMS_BULK_CHUNK = 10

/** The worker should retry the task: some recipients were deferred (429, 5xx, no answer). */
class DeferredSmsError extends HttpNetworkError {
  override name = 'DeferredSmsError'
}

/**
 * `sms.bulk`: one text per recipient, in chunks, with the outcome per recipient in the task's
 * progress meta as `email.bulk` keeps it: a retry sends only to recipients still deferred, so
 * nobody gets the text twice because someone else's provider call failed.
 */
export function createSmsBulkTask(services: TaskServices) {
  return defineTask({
    name: 'sms.bulk',
    description: 'Sends one SMS per recipient, in chunks; retries only deferred recipients.',
    queue: 'webhooks',
    input: SmsBulkInput,
    retry: SMS_RETRY,
    timeLimit: { soft: 600_000, hard: 660_000 },
    run: async (input, ctx) => {
      // A missing or broken provider setting fails the task once, not every recipient.
      smsRequest(services.config, input.recipients[0] as string, input.message)
      const previous = ctx.attempt > 1 ? finalOutcomes(await services.previousMeta(ctx.id)) : new Map()
      const progress: BulkProgress = {
        total: input.recipients.length,
        outcomes: Object.fromEntries(previous),
      }
      const pending = input.recipients.filter((to) => !previous.has(to))
      for (let i = 0; i < pending.length; i += SMS_BULK_CHUNK) {
        ctx.signal.throwIfAborted()
        const chunk = pending.slice(i, i + SMS_BULK_CHUNK)
        const outcomes = await Promise.all(
          chunk.map((to) => sendOne(services, to, input.message, ctx.signal)),
        )
        for (const outcome of outcomes) progress.outcomes[outcome.to] = outcome
        await ctx.progress(toProgressMeta(progress))
      }
      return settle(progress, input.recipients, ctx)
    },
  })
}

async function sendOne(
  services: TaskServices,
  to: string,
  message: string,
  signal: AbortSignal,
): Promise<RecipientOutcome> {
  try {
    const sent = await sendSms(services, to, message, signal)
    return { to, status: 'sent', ...(sent.id ? { messageId: sent.id } : {}) }
  } catch (err) {
    if (err instanceof OutboundUrlError || signal.aborted) throw err
    const status = err instanceof UnrecoverableError ? 'rejected' : 'deferred'
    return { to, status, error: (err as Error)?.message ?? String(err) }
  }
}

function settle(progress: BulkProgress, recipients: string[], ctx: TaskContext) {
  const outcomes = recipients.map((to) => progress.outcomes[to] as RecipientOutcome)
  const counts = countBy(outcomes)
  if (counts.deferred > 0) {
    ctx.log.warn('sms.bulk: recipients deferred', counts)
    throw new DeferredSmsError(
      `sms.bulk: ${counts.deferred} of ${recipients.length} recipients deferred; the retry sends only to them`,
    )
  }
  if (counts.sent === 0) {
    throw new UnrecoverableError(`sms.bulk: every recipient was rejected; first: ${outcomes[0]?.error}`)
  }
  return { total: recipients.length, ...counts, recipients: outcomes }
}
