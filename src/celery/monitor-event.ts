import { z } from 'zod'
import { openEnvelope } from './kombu-envelope.ts'

/**
 * A published message larger than this is dropped unread: a real event is a few hundred bytes
 * plus the args/kwargs/result reprs, which Celery cuts (`argsrepr_maxsize`, 1,024 characters), and
 * a worker's buffered group holds a few dozen of them.
 */
export const MAX_EVENT_BYTES = 1024 * 1024
/** Longest repr or traceback kept per field: enough to read, never a memory sink. */
const MAX_TEXT = 4_096

const text = z.string().transform((s) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s))
const optionalText = text.nullable().optional()
/** Seconds since the epoch, as Python's time(); a value outside 2000..2200 is not a real clock. */
const timestamp = z.number().finite().min(946_684_800).max(7_258_118_400)
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

const Common = {
  hostname: z.string().min(1).max(255),
  timestamp,
}

const TASK_TYPES = [
  'task-sent',
  'task-received',
  'task-started',
  'task-succeeded',
  'task-failed',
  'task-retried',
  'task-revoked',
] as const
const WORKER_TYPES = ['worker-online', 'worker-heartbeat', 'worker-offline'] as const

const TaskEvent = z.object({
  ...Common,
  type: z.enum(TASK_TYPES),
  uuid: z.string().min(1).max(255),
  name: z.string().min(1).max(255).nullable().optional(),
  args: optionalText,
  kwargs: optionalText,
  retries: count.nullable().optional(),
  queue: z.string().max(255).nullable().optional(),
  result: optionalText,
  runtime: z.number().finite().min(0).nullable().optional(),
  exception: optionalText,
  traceback: optionalText,
  terminated: z.boolean().nullable().optional(),
  expired: z.boolean().nullable().optional(),
})
export type CeleryTaskEvent = z.infer<typeof TaskEvent>

const WorkerEvent = z.object({
  ...Common,
  type: z.enum(WORKER_TYPES),
  pid: count.nullable().optional(),
  freq: z.number().finite().min(0).nullable().optional(),
  active: count.nullable().optional(),
  processed: count.nullable().optional(),
  sw_ident: z.string().max(100).nullable().optional(),
  sw_ver: z.string().max(100).nullable().optional(),
})
export type CeleryWorkerEvent = z.infer<typeof WorkerEvent>

export type MonitorEvent =
  | { ok: true; kind: 'task'; event: CeleryTaskEvent }
  | { ok: true; kind: 'worker'; event: CeleryWorkerEvent }
  /** An event type we do not record (task-progress from an extension, custom ones): not an error. */
  | { ok: true; kind: 'other'; type: string }
  | { ok: false; reason: string }

/** Events one message may carry at most (a worker flushes its buffered task events together). */
const MAX_EVENTS_PER_MESSAGE = 1_000
const TASK_TYPE_SET: ReadonlySet<string> = new Set(TASK_TYPES)
const WORKER_TYPE_SET: ReadonlySet<string> = new Set(WORKER_TYPES)

/**
 * Reads one message published on the celeryev channel: a kombu envelope whose JSON body is one
 * event, or a list of them (a Python worker sends its task events in groups, routing key
 * `task.multi`). Each comes back as a checked task or worker event, or refused with a reason;
 * nothing is thrown.
 */
export function parseMonitorMessage(raw: string): MonitorEvent[] {
  if (raw.length > MAX_EVENT_BYTES) return [{ ok: false, reason: `larger than ${MAX_EVENT_BYTES} bytes` }]
  const opened = openEnvelope(raw)
  if (!opened.ok) return [{ ok: false, reason: opened.reason }]
  let body: unknown
  try {
    body = JSON.parse(opened.body)
  } catch {
    return [{ ok: false, reason: 'body is not JSON' }]
  }
  if (!Array.isArray(body)) return [parseEvent(body)]
  if (body.length > MAX_EVENTS_PER_MESSAGE)
    return [{ ok: false, reason: `more than ${MAX_EVENTS_PER_MESSAGE} events in one message` }]
  return body.map(parseEvent)
}

function parseEvent(body: unknown): MonitorEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, reason: 'event is not an object' }
  const type = (body as { type?: unknown }).type
  if (typeof type !== 'string') return { ok: false, reason: 'type: expected a string' }
  const schema = TASK_TYPE_SET.has(type) ? TaskEvent : WORKER_TYPE_SET.has(type) ? WorkerEvent : null
  if (schema === null) return { ok: true, kind: 'other', type: type.slice(0, 100) }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'
    return { ok: false, reason: `${type.slice(0, 100)}: ${where}` }
  }
  return schema === TaskEvent
    ? { ok: true, kind: 'task', event: parsed.data as CeleryTaskEvent }
    : { ok: true, kind: 'worker', event: parsed.data as CeleryWorkerEvent }
}
