import { z } from 'zod'
import { JsonValue } from '../../core/json.ts'
import { defineTask } from '../../core/task.ts'
import { createOutboundAllowList } from '../../security/outbound-allow-list.ts'
import { createEmailComposer } from '../email/email-composer.ts'
import { emailFields } from '../email/email-input.ts'
import { EmailAddress } from '../email/header-text.ts'
import { toTaskError } from '../email/smtp-failure.ts'
import { httpRequestInput } from '../http/http-input.ts'
import { performHttpRequest } from '../http/perform-http-request.ts'
import { sendSms } from '../sms/send-sms.ts'
import { PhoneNumber, SmsText } from '../sms/sms-input.ts'
import type { TaskServices } from '../task-services.ts'

function notifyInput(services: TaskServices) {
  const { config } = services
  const http = httpRequestInput(createOutboundAllowList(config.outboundAllowList))
  const webhook = z
    .object({
      channel: z.literal('webhook'),
      url: http.shape.url,
      /** Sent as the JSON body of a POST. */
      payload: JsonValue.default({}),
      headers: http.shape.headers,
      timeout: http.shape.timeout,
      sign: http.shape.sign,
    })
    .strict()
  const email = z
    .object({
      channel: z.literal('email'),
      to: EmailAddress,
      ...emailFields(config),
      template: emailFields(config).template.default('notification'),
    })
    .strict()
  const sms = z.object({ channel: z.literal('sms'), to: PhoneNumber, message: SmsText }).strict()
  return z.discriminatedUnion('channel', [email, webhook, sms])
}

/**
 * `notify`: one notification on a channel, so producers need not care how it travels (email,
 * webhook or sms, the last as `sms.send` sends it). The email
 * channel uses the `notification` template by default; the webhook channel POSTs the payload as
 * JSON with the same guard, signature and retry rules as `http.request`.
 */
export function createNotifyTask(services: TaskServices) {
  const compose = createEmailComposer(services)
  return defineTask({
    name: 'notify',
    description: 'Sends a notification by email (a template), webhook (a signed JSON POST) or sms.',
    queue: 'webhooks',
    input: notifyInput(services),
    retry: { max: 6, backoff: 'exponential', delay: 10_000, maxDelay: 600_000, jitter: true },
    timeLimit: { soft: 310_000, hard: 330_000 },
    run: async (input, ctx) => {
      if (input.channel === 'sms') {
        const sent = await sendSms(services, input.to, input.message, ctx.signal)
        return { channel: 'sms', to: sent.to, id: sent.id }
      }
      if (input.channel === 'webhook') {
        const request = { ...input, method: 'POST' as const, body: input.payload }
        const outcome = await performHttpRequest(request, services, ctx.signal)
        return { channel: 'webhook', status: outcome.status, url: outcome.url }
      }
      const email = await compose({ ...input, subject: input.subject ?? null })
      try {
        const sent = await services.mailer().send(email)
        return { channel: 'email', to: input.to, messageId: sent.messageId }
      } catch (err) {
        throw toTaskError(err, input.to)
      }
    },
  })
}
