import type { CeleryCall } from './celery-call.ts'
import { celeryEta } from './celery-time.ts'
import { pythonRepr, pythonTupleRepr } from './python-repr.ts'

export interface EncodeTaskMessage {
  id: string
  task: string
  call: CeleryCall
  /** Who sends, as Celery's `origin` header: `<pid>@<host>`. */
  origin: string
  /** A fresh id per message: kombu's delivery_tag, the key of its unacked record. */
  deliveryTag: string
  now: number
}

/** The message to push and the priority kombu picks its list by. */
export interface EncodedTaskMessage {
  payload: string
  priority: number
}

/**
 * A protocol 2 task message in kombu's Redis format, as Celery 5.2's `apply_async` writes it:
 * the headers of `amqp.as_task_v2`, the body `[args, kwargs, embed]` as base64 JSON, and the
 * properties kombu's virtual channel adds (delivery_tag, delivery_info, priority).
 */
export function encodeTaskMessage(m: EncodeTaskMessage): EncodedTaskMessage {
  const { call } = m
  const due = dueAt(call, m.now)
  const priority = call.priority ?? 0
  const embed = { callbacks: null, errbacks: null, chain: null, chord: null }
  const body = JSON.stringify([call.args, call.kwargs, embed])
  const envelope = {
    body: Buffer.from(body, 'utf8').toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: {
      lang: 'py',
      task: m.task,
      id: m.id,
      shadow: null,
      eta: due === null ? null : celeryEta(due),
      expires: call.expires === undefined ? null : celeryEta(m.now + call.expires),
      group: null,
      group_index: null,
      retries: 0,
      timelimit: [null, null],
      root_id: m.id,
      parent_id: null,
      argsrepr: pythonTupleRepr(call.args),
      kwargsrepr: pythonRepr(call.kwargs),
      origin: m.origin,
      ignore_result: call.ignoreResult,
    },
    properties: {
      correlation_id: m.id,
      reply_to: crypto.randomUUID(),
      delivery_mode: 2,
      delivery_info: { exchange: '', routing_key: call.queue },
      priority,
      body_encoding: 'base64',
      delivery_tag: m.deliveryTag,
    },
  }
  return { payload: JSON.stringify(envelope), priority }
}

/** When the call may start: its eta, else now + countdown, else at once (null). */
function dueAt(call: CeleryCall, now: number): number | null {
  if (call.eta !== undefined) return typeof call.eta === 'number' ? call.eta : Date.parse(call.eta)
  if (call.countdown !== undefined && call.countdown > 0) return now + call.countdown
  return null
}
