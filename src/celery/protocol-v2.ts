import { z } from 'zod'
import { parseCeleryTime } from './celery-time.ts'
import type { KombuEnvelope } from './kombu-envelope.ts'

/** Celery's task message protocol 2 headers (celery/app/amqp.py as_task_v2); the rest is kept, not read. */
const CeleryHeaders = z.looseObject({
  lang: z.string().optional(),
  task: z.string().min(1),
  id: z.string().min(1),
  eta: z.string().nullable().optional(),
  expires: z.string().nullable().optional(),
  retries: z.number().int().min(0).nullable().optional(),
  /** [hard, soft] in seconds: Celery writes `[time_limit, soft_time_limit]`. */
  timelimit: z.tuple([z.number().nullable(), z.number().nullable()]).nullable().optional(),
  root_id: z.string().nullable().optional(),
  parent_id: z.string().nullable().optional(),
  group: z.string().nullable().optional(),
  ignore_result: z.boolean().nullable().optional(),
})

const CeleryBody = z.tuple([
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
  z.looseObject({}).nullable().optional(),
])

/** One Celery task request, in our units (epoch ms, ms). */
export interface CeleryRequest {
  id: string
  task: string
  args: unknown[]
  kwargs: Record<string, unknown>
  eta: number | null
  expires: number | null
  retries: number
  timeLimit: { hard?: number; soft?: number }
  rootId: string | null
  parentId: string | null
  group: string | null
  ignoreResult: boolean
  /** kombu's 0..9; on Redis, 0 is served first. */
  priority: number
}

export type ParsedRequest = { ok: true; request: CeleryRequest } | { ok: false; reason: string }

/** The task id of an envelope, when its headers name one: refusals are recorded under it. */
export function celeryTaskId(envelope: KombuEnvelope): string | null {
  const id = envelope.headers.id
  return typeof id === 'string' && id.length > 0 ? id : null
}

/** Reads protocol 2 headers and the decoded JSON body `[args, kwargs, embed]`. */
export function parseCeleryRequest(envelope: KombuEnvelope, body: string): ParsedRequest {
  const fastHeaders = asHeaders(envelope.headers)
  const headers = fastHeaders
    ? { success: true as const, data: fastHeaders }
    : CeleryHeaders.safeParse(envelope.headers)
  if (!headers.success)
    return { ok: false, reason: `not a Celery protocol 2 message: ${describe(headers.error, 'headers')}` }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { ok: false, reason: 'body: not JSON' }
  }
  const fastBody = asBody(json)
  const parsedBody = fastBody ? { success: true as const, data: fastBody } : CeleryBody.safeParse(json)
  if (!parsedBody.success)
    return {
      ok: false,
      reason: `body: ${describe(parsedBody.error, 'body')} (expected [args, kwargs, embed])`,
    }
  const h = headers.data
  const [args, kwargs] = parsedBody.data
  try {
    return {
      ok: true,
      request: {
        id: h.id,
        task: h.task,
        args,
        kwargs,
        eta: parseCeleryTime(h.eta, 'eta'),
        expires: parseCeleryTime(h.expires, 'expires'),
        retries: h.retries ?? 0,
        timeLimit: timeLimitOf(h.timelimit ?? null),
        rootId: h.root_id ?? null,
        parentId: h.parent_id ?? null,
        group: h.group ?? null,
        ignoreResult: h.ignore_result ?? false,
        priority: clampPriority(envelope.properties.priority),
      },
    }
  } catch (err) {
    return { ok: false, reason: (err as Error).message }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isNullish = (v: unknown) => v === undefined || v === null
const isOptionalText = (v: unknown) => isNullish(v) || typeof v === 'string'
const isLimit = (v: unknown) => v === null || Number.isFinite(v)

/**
 * The headers as they are when CeleryHeaders would accept them, checked by hand (the schema's
 * parse is most of a no-op task's cost); null sends them through the schema for its message.
 */
function asHeaders(h: Record<string, unknown>): z.infer<typeof CeleryHeaders> | null {
  if (typeof h.task !== 'string' || h.task === '' || typeof h.id !== 'string' || h.id === '') return null
  if (h.lang !== undefined && typeof h.lang !== 'string') return null
  for (const key of ['eta', 'expires', 'root_id', 'parent_id', 'group'])
    if (!isOptionalText(h[key])) return null
  if (!isNullish(h.retries) && !(Number.isSafeInteger(h.retries) && (h.retries as number) >= 0)) return null
  if (!isNullish(h.ignore_result) && typeof h.ignore_result !== 'boolean') return null
  const limit = h.timelimit
  if (!isNullish(limit) && !(Array.isArray(limit) && limit.length === 2 && limit.every(isLimit))) return null
  return h as z.infer<typeof CeleryHeaders>
}

/** `[args, kwargs, embed]` as CeleryBody would accept it, or null for the schema to judge. */
function asBody(json: unknown): z.infer<typeof CeleryBody> | null {
  if (!Array.isArray(json) || json.length < 2 || json.length > 3) return null
  const [args, kwargs, embed] = json
  if (!Array.isArray(args) || !isObject(kwargs) || !(isNullish(embed) || isObject(embed))) return null
  return json as z.infer<typeof CeleryBody>
}

function describe(error: z.ZodError, root: string): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid'
  return `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`
}

function timeLimitOf(limit: [number | null, number | null] | null): { hard?: number; soft?: number } {
  const out: { hard?: number; soft?: number } = {}
  const [hard, soft] = limit ?? [null, null]
  if (hard !== null && hard > 0) out.hard = Math.ceil(hard * 1000)
  if (soft !== null && soft > 0) out.soft = Math.ceil(soft * 1000)
  return out
}

function clampPriority(priority: number | null | undefined): number {
  if (typeof priority !== 'number' || !Number.isFinite(priority)) return 0
  return Math.min(9, Math.max(0, Math.round(priority)))
}
