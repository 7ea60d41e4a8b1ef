import type { SQLQueryBindings } from 'bun:sqlite'
import { CeleriacError } from '../../core/errors.ts'
import {
  DEFAULT_LIST_LIMIT,
  DEFAULT_SCAN_BUDGET,
  MAX_LIST_LIMIT,
  type TaskPage,
  type TaskQuery,
} from '../broker.ts'
import type { SqliteContext } from './sqlite-context.ts'
import { TASK_COLUMNS, type TaskRow, toTaskResult } from './task-row.ts'

const MAX_SCAN_BUDGET = 1_000_000
/**
 * Rows one synchronous query may examine. bun:sqlite blocks the event loop while it runs, so a
 * search reads the history in slices of this many rows and lets other requests run in between.
 */
const CHUNK_ROWS = 250

/** The cursor is a seq: every row below it is still to be examined. Encoded so callers treat it as opaque. */
function encodeCursor(seq: number): string {
  return Buffer.from(`s:${seq}`).toString('base64url')
}

function decodeCursor(cursor: string): number {
  const match = /^s:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!match) throw new CeleriacError('VALIDATION', `listTasks: invalid cursor '${cursor}'`)
  return Number(match[1])
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function whereClause(q: TaskQuery, now: number): { sql: string; args: SQLQueryBindings[] } {
  const parts = ['seq < ?', 'seq >= ?', '(result_expires_at IS NULL OR result_expires_at > ?)']
  const args: SQLQueryBindings[] = [now]
  const add = (sql: string, ...values: SQLQueryBindings[]) => {
    parts.push(sql)
    args.push(...values)
  }
  if (q.state !== undefined) add('state = ?', q.state)
  if (q.name !== undefined) add('task = ?', q.name)
  if (q.queue !== undefined) add('queue = ?', q.queue)
  if (q.since !== undefined) add('created_at >= ?', q.since)
  if (q.until !== undefined) add('created_at <= ?', q.until)
  if (q.text !== undefined && q.text !== '') {
    const like = likePattern(q.text)
    add(`(task LIKE ? ESCAPE '\\' OR json_extract(message, '$.input') LIKE ? ESCAPE '\\')`, like, like)
  }
  return { sql: parts.join(' AND '), args }
}

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(min, Math.floor(n)), max)

/**
 * Tasks newest first, filtered, one page at a time. The history is examined in slices of
 * CHUNK_ROWS rows by seq, one slice per turn of the broker's read lane, and at most `scanBudget`
 * rows per page: past that the page comes back with what it found, `truncated`, and a cursor
 * that resumes the scan where it stopped.
 */
export function createListTasks(ctx: SqliteContext): (query: TaskQuery) => Promise<TaskPage> {
  // The seq CHUNK_ROWS rows below `seq`: one slice's lower bound, found by walking the primary key.
  const sliceFloor = ctx.db.query<{ seq: number }, [number, number]>(
    'SELECT seq FROM tasks WHERE seq < ? ORDER BY seq DESC LIMIT 1 OFFSET ?',
  )
  return async (query) => {
    const limit = clamp(query.limit ?? DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT)
    const budget = clamp(query.scanBudget ?? DEFAULT_SCAN_BUDGET, CHUNK_ROWS, MAX_SCAN_BUDGET)
    const where = whereClause(query, ctx.clock.now())
    // db.query caches one statement per distinct SQL text: one per filter combination.
    const select = ctx.db.query<TaskRow, SQLQueryBindings[]>(
      `SELECT ${TASK_COLUMNS} FROM tasks WHERE ${where.sql} ORDER BY seq DESC LIMIT ?`,
    )
    const found: TaskRow[] = []
    let below = query.cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(query.cursor)
    for (let scanned = CHUNK_ROWS; ; scanned += CHUNK_ROWS) {
      const floor = sliceFloor.get(below, CHUNK_ROWS - 1)?.seq ?? 0
      found.push(...select.all(below, floor, ...where.args, limit + 1 - found.length))
      if (found.length > limit) return fullPage(found.slice(0, limit))
      if (floor === 0) return { tasks: found.map(toTaskResult), nextCursor: null, truncated: false }
      below = floor
      if (scanned >= budget)
        return { tasks: found.map(toTaskResult), nextCursor: encodeCursor(below), truncated: true }
      await ctx.readLane.turn()
    }
  }
}

/** A full page: the next one starts below its last row. */
function fullPage(rows: TaskRow[]): TaskPage {
  const last = rows.at(-1)
  return { tasks: rows.map(toTaskResult), nextCursor: last ? encodeCursor(last.seq) : null, truncated: false }
}
