import { toCeleryException } from '../../../celery/celery-exception.ts'
import { type KombuEnvelope, openEnvelope } from '../../../celery/kombu-envelope.ts'
import { mapArguments } from '../../../celery/map-arguments.ts'
import { type CeleryRequest, celeryTaskId, parseCeleryRequest } from '../../../celery/protocol-v2.ts'
import { celeryMetaKey, encodeResultMeta } from '../../../celery/result-meta.ts'
import { toTaskMessage } from '../../../celery/to-task-message.ts'
import type { TaskMessage } from '../../../core/message.ts'
import type { AnyTask } from '../../../core/task.ts'
import { queueOfList } from './celery-keys.ts'
import type { CelerySettleOp, ClaimedMessage } from './celery-store.ts'

/** A claimed message our worker runs, with what settling it needs. */
export interface CeleryDelivery {
  claimed: ClaimedMessage
  envelope: KombuEnvelope
  request: CeleryRequest
  message: TaskMessage
  redelivered: boolean
}

/** What to do with a claimed message: run it, or settle it at once (refused, expired, early, bad arguments). */
export type DeliveryDecision =
  | { kind: 'run'; delivery: CeleryDelivery }
  | {
      kind: 'settle'
      op: CelerySettleOp
      why: 'dead' | 'expired' | 'revoked' | 'parked' | 'bad_arguments'
      detail: string
    }

/** Decides what becomes of one claimed message, at `now`. */
export function decideDelivery(
  claimed: ClaimedMessage,
  findTask: (name: string) => AnyTask | undefined,
  now: number,
  isRevoked: (id: string) => boolean = () => false,
): DeliveryDecision {
  const opened = openEnvelope(claimed.raw)
  if (!opened.ok) return deadLetter(claimed, opened.reason, opened.envelope, now)
  const parsed = parseCeleryRequest(opened.envelope, opened.body)
  if (!parsed.ok) return deadLetter(claimed, parsed.reason, opened.envelope, now)
  const request = parsed.request
  const base = { tag: claimed.tag, token: claimed.token, metaKey: celeryMetaKey(request.id) }
  if (request.expires !== null && request.expires <= now) return revokedNow(request, base, 'expired', now)
  if (isRevoked(request.id)) return revokedNow(request, base, 'revoked', now)
  if (request.eta !== null && request.eta > now) {
    // Parked in our own delayed set, so a slot is never held while waiting: back at due time.
    const op: CelerySettleOp = { ...base, meta: null, action: 'delay', list: claimed.list }
    return {
      kind: 'settle',
      op: { ...op, payload: claimed.raw, dueMs: request.eta, parkedTag: claimed.tag },
      why: 'parked',
      detail: request.id,
    }
  }
  const task = findTask(request.task)
  const mapped = mapArguments(request.task, request.args, request.kwargs, task?.options.celeryArgs)
  if (!mapped.ok) {
    const result = toCeleryException({ type: 'TypeError', message: mapped.message, stack: null })
    const meta = encodeResultMeta({
      id: request.id,
      status: 'FAILURE',
      result,
      now,
      parentId: request.parentId,
    })
    return {
      kind: 'settle',
      op: { ...base, meta, action: 'ack' },
      why: 'bad_arguments',
      detail: mapped.message,
    }
  }
  const message = toTaskMessage(request, mapped.input, queueOfList(claimed.list), task, now)
  const env = opened.envelope
  const redelivered = env.headers.redelivered === true || env.properties.delivery_info.redelivered === true
  return { kind: 'run', delivery: { claimed, envelope: env, request, message, redelivered } }
}

/** A request that must not run (expired, or revoked by `celery control revoke`): REVOKED, acked. */
function revokedNow(
  request: CeleryRequest,
  base: { tag: string; token: string; metaKey: string },
  why: 'expired' | 'revoked',
  now: number,
): DeliveryDecision {
  const result = toCeleryException({ type: 'TaskRevokedError', message: why, stack: null })
  const meta = request.ignoreResult
    ? null
    : encodeResultMeta({ id: request.id, status: 'REVOKED', result, now, parentId: request.parentId })
  return { kind: 'settle', op: { ...base, meta, action: 'ack' }, why, detail: request.id }
}

/**
 * A message we refuse to run goes to our Celery dead letters with the reason, so an operator can
 * see and inspect it; when its headers name a task id, Python's AsyncResult gets a FAILURE
 * (ContentDisallowed, as a Python worker would raise) instead of waiting forever.
 */
function deadLetter(
  claimed: ClaimedMessage,
  reason: string,
  envelope: KombuEnvelope | null,
  now: number,
): DeliveryDecision {
  const id = envelope ? celeryTaskId(envelope) : null
  const task = envelope && typeof envelope.headers.task === 'string' ? envelope.headers.task : null
  const payload = JSON.stringify({
    id,
    task,
    reason,
    queue: queueOfList(claimed.list),
    at: now,
    raw: claimed.raw,
  })
  const result = toCeleryException({ type: 'ContentDisallowed', message: reason, stack: null })
  const meta = id === null ? null : encodeResultMeta({ id, status: 'FAILURE', result, now })
  const op: CelerySettleOp = {
    tag: claimed.tag,
    token: claimed.token,
    metaKey: celeryMetaKey(id ?? claimed.tag),
    meta,
    action: 'dead',
    payload,
  }
  return { kind: 'settle', op, why: 'dead', detail: reason }
}
