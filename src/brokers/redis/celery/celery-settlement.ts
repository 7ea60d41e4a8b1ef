import { toCeleryException } from '../../../celery/celery-exception.ts'
import { celeryEta } from '../../../celery/celery-time.ts'
import { type CeleryState, celeryMetaKey, encodeResultMeta } from '../../../celery/result-meta.ts'
import type { Json } from '../../../core/json.ts'
import type { TaskErrorInfo } from '../../../core/result.ts'
import type { Settlement } from '../../broker.ts'
import type { CeleryDelivery } from './celery-delivery.ts'
import type { CelerySettleOp } from './celery-store.ts'

export interface SettleContext {
  now: number
  /** `module.ClassName` entries a task's error may be reported as (config celeryExceptions). */
  exceptionClasses: readonly string[]
}

/** The Redis operation that records one of our worker's settlements of a Celery message. */
export function toCelerySettleOp(s: Settlement, d: CeleryDelivery, ctx: SettleContext): CelerySettleOp {
  const base = { tag: d.claimed.tag, token: d.claimed.token, metaKey: celeryMetaKey(d.request.id) }
  const meta = (status: CeleryState, result: Json | object | null, traceback: string | null = null) =>
    d.request.ignoreResult
      ? null
      : encodeResultMeta({
          id: d.request.id,
          status,
          result,
          traceback,
          now: ctx.now,
          parentId: d.request.parentId,
          group: d.request.group,
        })
  const exc = (error: TaskErrorInfo) => toCeleryException(error, ctx.exceptionClasses)
  switch (s.kind) {
    case 'ack':
      return { ...base, meta: meta('SUCCESS', s.result), action: 'ack' }
    case 'fail':
      return { ...base, meta: meta('FAILURE', exc(s.error), s.error.stack), action: 'ack' }
    case 'revoked': {
      const error = { type: 'TaskRevokedError', message: s.reason, stack: null }
      return { ...base, meta: meta('REVOKED', exc(error)), action: 'ack' }
    }
    case 'retry':
      return {
        ...base,
        meta: meta('RETRY', exc(s.error), s.error.stack),
        ...republishRetry(d, s.at, ctx.now),
      }
    case 'release':
      if (s.at !== undefined && s.at > ctx.now)
        return {
          ...base,
          meta: null,
          action: 'delay',
          list: d.claimed.list,
          payload: d.claimed.raw,
          dueMs: s.at,
          parkedTag: d.claimed.tag,
        }
      return { ...base, meta: null, action: 'requeue', list: d.claimed.list, payload: d.claimed.raw }
  }
}

/**
 * As Celery's Task.retry: a copy of the message with the same task id, `retries + 1` and the
 * new eta, sent as a new message (a fresh delivery tag). Due later, it waits in our delayed set.
 */
function republishRetry(
  d: CeleryDelivery,
  at: number,
  now: number,
): Pick<CelerySettleOp, 'action' | 'list' | 'payload' | 'dueMs' | 'parkedTag'> {
  const copy = structuredClone(d.envelope)
  const tag = crypto.randomUUID()
  copy.headers = { ...copy.headers, retries: d.request.retries + 1, eta: at > now ? celeryEta(at) : null }
  copy.properties = { ...copy.properties, delivery_tag: tag }
  const payload = JSON.stringify(copy)
  if (at > now) return { action: 'delay', list: d.claimed.list, payload, dueMs: at, parkedTag: tag }
  return { action: 'push', list: d.claimed.list, payload }
}
