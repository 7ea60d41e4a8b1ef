import type { RetryPolicyInput } from '../../core/message.ts'
import { defineTask } from '../../core/task.ts'
import type { TaskServices } from '../task-services.ts'
import { sendSms } from './send-sms.ts'
import { SmsSendInput } from './sms-input.ts'

/** Providers throttle and have outages: ten minutes of backoff in all before giving up. */
export const SMS_RETRY: RetryPolicyInput = {
  max: 6,
  backoff: 'exponential',
  delay: 10_000,
  maxDelay: 300_000,
  jitter: true,
}

/** `sms.send`: one text to one E.164 number through the configured provider. */
export function createSmsSendTask(services: TaskServices) {
  return defineTask({
    name: 'sms.send',
    description: 'Sends one SMS through the configured provider (Twilio or a URL template).',
    // Outbound HTTP, like webhooks: the same workers, the same outbound rules.
    queue: 'webhooks',
    input: SmsSendInput,
    retry: SMS_RETRY,
    timeLimit: { soft: 60_000, hard: 75_000 },
    run: (input, ctx) => sendSms(services, input.to, input.message, ctx.signal),
  })
}
