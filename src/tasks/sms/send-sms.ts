import { createOutboundAllowList } from '../../security/outbound-allow-list.ts'
import { OutboundUrlError } from '../../security/outbound-url-error.ts'
import { guardedFetch } from '../http/guarded-fetch.ts'
import { HttpNetworkError, statusError } from '../http/http-errors.ts'
import { readCapped } from '../http/read-capped.ts'
import type { TaskServices } from '../task-services.ts'
import { smsRequest } from './sms-request.ts'

/** How long one provider call may take before it counts as unanswered (and is retried). */
export const SMS_TIMEOUT_MS = 30_000

export interface SmsSent {
  to: string
  provider: 'twilio' | 'http'
  /** The provider's id for the message, when its answer has one (Twilio's `sid`, or `id`). */
  id: string | null
  status: number
}

/**
 * Sends one SMS: the outbound URL rules apply (a provider on a private address needs an
 * allow-list entry). 2xx returns; 429, 5xx and no answer throw errors the worker retries; any
 * other 4xx fails for good. Messages name the provider's URL without its credentials or query.
 */
export async function sendSms(
  services: TaskServices,
  to: string,
  message: string,
  signal: AbortSignal,
): Promise<SmsSent> {
  const request = smsRequest(services.config, to, message)
  const timeout = AbortSignal.timeout(SMS_TIMEOUT_MS)
  let response: Response
  try {
    ;({ response } = await guardedFetch(
      { ...request, signal: AbortSignal.any([signal, timeout]) },
      { allow: createOutboundAllowList(services.config.outboundAllowList), resolve: services.resolveHost },
    ))
  } catch (err) {
    if (err instanceof OutboundUrlError || signal.aborted) throw err
    const why = timeout.aborted ? `no answer within ${SMS_TIMEOUT_MS} ms` : (err as Error).message
    throw new HttpNetworkError(`sms: ${request.shown}: ${why}`)
  }
  const read = await readCapped(response, 16 * 1024)
  if (response.status >= 400) {
    throw statusError(response.status, request.shown, read.text, response.headers.get('retry-after'))
  }
  return { to, provider: request.provider, id: providerId(read.text), status: response.status }
}

function providerId(text: string): string | null {
  try {
    const body = JSON.parse(text) as Record<string, unknown>
    const id = body.sid ?? body.id ?? body.messageId ?? body.MessageId
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null
  } catch {
    return null
  }
}
