import { CeleriacError } from '../../core/errors.ts'
import type { TaskResult } from '../../core/result.ts'
import type { TaskPage, TaskQuery } from '../broker.ts'
import type { RedisContext } from './redis-context.ts'
import { isLive, RESULT_FIELDS, toTaskResult } from './task-hash.ts'

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 1_000
const BATCH = 200

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

/**
 * Tasks newest first, filtered, one page at a time: each queue's `all` index is walked from the
 * cursor until it yields limit + 1 matches, and the queues' matches are merged.
 */
export function createListTasks(ctx: RedisContext) {
  return async (query: TaskQuery): Promise<TaskPage> => {
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT)
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor)
    const queues = query.queue === undefined ? await ctx.queues.list() : [query.queue]
    const now = ctx.clock.now()
    const found = (
      await Promise.all(queues.map((q) => scanQueue(ctx, q, query, cursor, limit + 1, now)))
    ).flat()
    found.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    const page = found.slice(0, limit)
    const last = page.at(-1)
    return {
      tasks: page,
      nextCursor: found.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    }
  }
}

async function scanQueue(
  ctx: RedisContext,
  queue: string,
  query: TaskQuery,
  cursor: Position | null,
  want: number,
  now: number,
): Promise<TaskResult[]> {
  const k = ctx.keys.queue(queue)
  const max = Math.min(cursor?.at ?? Number.POSITIVE_INFINITY, query.until ?? Number.POSITIVE_INFINITY)
  const min = query.since ?? '-inf'
  const out: TaskResult[] = []
  for (let offset = 0; out.length < want; offset += BATCH) {
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
      if (t && out.length < want && matches(t, query, now)) out.push(t)
    })
    if (flat.length < BATCH * 2) break
  }
  return out
}
