import { CeleriacError } from '../../core/errors.ts'
import type { TaskResult } from '../../core/result.ts'
import {
  DEFAULT_LIST_LIMIT,
  DEFAULT_SCAN_BUDGET,
  MAX_LIST_LIMIT,
  type TaskPage,
  type TaskQuery,
} from '../broker.ts'
import type { RedisContext } from './redis-context.ts'
import { isLive, RESULT_FIELDS, toTaskResult } from './task-hash.ts'

const BATCH = 200
const MAX_SCAN_BUDGET = 1_000_000

/** A position in the newest-first order: createdAt, then id, both descending. */
interface Position {
  at: number
  id: string
}

const before = (a: Position, b: Position): boolean => a.at < b.at || (a.at === b.at && a.id < b.id)

function encodeCursor(p: Position): string {
  return Buffer.from(`c:${p.at}:${p.id}`).toString('base64url')
}

function decodeCursor(cursor: string): Position {
  const match = /^c:(-?\d+):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!match) throw new CeleriacError('VALIDATION', `listTasks: invalid cursor '${cursor}'`)
  return { at: Number(match[1]), id: match[2] as string }
}

function matches(t: TaskResult, q: TaskQuery, now: number): boolean {
  if (!isLive(t, now)) return false
  if (q.state !== undefined && t.state !== q.state) return false
  if (q.name !== undefined && t.task !== q.name) return false
  if (q.text === undefined || q.text === '') return true
  const text = q.text.toLowerCase()
  return (
    t.task.toLowerCase().includes(text) ||
    JSON.stringify(t.input ?? null)
      .toLowerCase()
      .includes(text)
  )
}

/** What one queue's walk saw: its matches, and the last entry examined when the budget stopped it. */
interface QueueScan {
  found: TaskResult[]
  /** Set when the walk stopped on the budget with entries left: everything older is unexamined. */
  stoppedAt: Position | null
}

const positionOf = (t: TaskResult): Position => ({ at: t.createdAt, id: t.id })
const newestFirst = (a: Position, b: Position): number => (before(a, b) ? 1 : before(b, a) ? -1 : 0)

/**
 * Tasks newest first, filtered, one page at a time: each queue's `all` index is walked from the
 * cursor until it yields limit + 1 matches or has examined its share of the scan budget, and the
 * queues' matches are merged. When a walk stopped on the budget, the page ends at the newest such
 * stop (matches older than it are found again by the next page) and is marked truncated.
 */
export function createListTasks(ctx: RedisContext) {
  return async (query: TaskQuery): Promise<TaskPage> => {
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT)
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor)
    const queues = query.queue === undefined ? await ctx.queues.list() : [query.queue]
    const budget = Math.min(Math.max(BATCH, query.scanBudget ?? DEFAULT_SCAN_BUDGET), MAX_SCAN_BUDGET)
    const share = Math.max(BATCH, Math.floor(budget / Math.max(1, queues.length)))
    const now = ctx.clock.now()
    const scans = await Promise.all(
      queues.map((q) => scanQueue(ctx, q, query, cursor, limit + 1, share, now)),
    )
    const stops = scans.flatMap((s) => (s.stoppedAt ? [s.stoppedAt] : [])).sort(newestFirst)
    const stop = stops[0] ?? null
    const found = scans
      .flatMap((s) => s.found)
      .filter((t) => stop === null || !before(positionOf(t), stop))
      .sort((a, b) => newestFirst(positionOf(a), positionOf(b)))
    const page = found.slice(0, limit)
    const last = page.at(-1)
    if (found.length > limit && last)
      return { tasks: page, nextCursor: encodeCursor(positionOf(last)), truncated: false }
    return { tasks: page, nextCursor: stop ? encodeCursor(stop) : null, truncated: stop !== null }
  }
}

async function scanQueue(
  ctx: RedisContext,
  queue: string,
  query: TaskQuery,
  cursor: Position | null,
  want: number,
  budget: number,
  now: number,
): Promise<QueueScan> {
  const k = ctx.keys.queue(queue)
  const max = Math.min(cursor?.at ?? Number.POSITIVE_INFINITY, query.until ?? Number.POSITIVE_INFINITY)
  const min = query.since ?? '-inf'
  const found: TaskResult[] = []
  let examined = 0
  for (let offset = 0; found.length < want; offset += BATCH) {
    const flat = await ctx.conn.client.zrevrangebyscore(
      k.all,
      max === Number.POSITIVE_INFINITY ? '+inf' : max,
      min,
      'WITHSCORES',
      'LIMIT',
      offset,
      BATCH,
    )
    const entries: Position[] = []
    for (let i = 0; i < flat.length; i += 2) entries.push({ id: flat[i] as string, at: Number(flat[i + 1]) })
    const fresh = cursor ? entries.filter((e) => before(e, cursor)) : entries
    const rows = await Promise.all(fresh.map((e) => ctx.conn.client.hmget(k.task(e.id), ...RESULT_FIELDS)))
    rows.forEach((values, i) => {
      const t = toTaskResult((fresh[i] as Position).id, queue, values)
      if (t && found.length < want && matches(t, query, now)) found.push(t)
    })
    if (entries.length < BATCH) break
    // Only entries past the cursor count (and mark the stop), so the next cursor always moves on.
    examined += fresh.length
    const lastFresh = fresh.at(-1)
    if (found.length < want && examined >= budget && lastFresh) return { found, stoppedAt: lastFresh }
  }
  return { found, stoppedAt: null }
}
