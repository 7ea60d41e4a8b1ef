import type { DeadReason, TaskErrorInfo, TaskResult } from '../../core/result.ts'
import type { TaskState } from '../../core/states.ts'

/**
 * The fields of a task hash, as the Lua scripts write them: m message JSON, n task name,
 * p priority, s state, c createdAt, ra runAt, ex expires, a attempts, r retries, rd redeliveries,
 * rv redelivered flag, rk revocation (1 revoke, 2 terminate), tk/le lease token and expiry,
 * w worker, sa/fa started/finished at, rt runtime ms, x result expiry, res/err/meta JSON, dr dead reason.
 */
export const RESULT_FIELDS = [
  'm',
  'n',
  's',
  'a',
  'r',
  'w',
  'res',
  'err',
  'meta',
  'dr',
  'c',
  'sa',
  'fa',
  'rt',
  'x',
] as const

type Values = (string | null)[]

const int = (v: string | null | undefined): number | null => (v == null ? null : Number(v))
const json = (v: string | null | undefined): unknown => (v == null ? null : JSON.parse(v))

/** Builds a TaskResult from HMGET RESULT_FIELDS; null when the hash does not exist. */
export function toTaskResult(id: string, queue: string, v: Values): TaskResult | null {
  const [m, n, s, a, r, w, res, err, meta, dr, c, sa, fa, rt, x] = v
  if (m == null) return null
  const message = JSON.parse(m) as { input?: unknown; eta?: number | null }
  return {
    id,
    task: n ?? '',
    state: s as TaskState,
    queue,
    input: message.input ?? null,
    result: json(res),
    error: json(err) as TaskErrorInfo | null,
    meta: json(meta),
    attempts: int(a) ?? 0,
    retries: int(r) ?? 0,
    worker: w ?? null,
    deadReason: (dr ?? null) as DeadReason | null,
    createdAt: int(c) ?? 0,
    eta: message.eta ?? null,
    startedAt: int(sa),
    finishedAt: int(fa),
    runtimeMs: int(rt),
    expiresAt: int(x),
  }
}

/** A result past its expiry counts as gone even before Redis drops the key (the clock decides). */
export function isLive(result: TaskResult, now: number): boolean {
  return result.expiresAt === null || result.expiresAt > now
}
