import type { SQLQueryBindings } from 'bun:sqlite'
import { CeleriacError } from '../../core/errors.ts'
import type { TaskPage, TaskQuery } from '../broker.ts'
import type { SqliteContext } from './sqlite-context.ts'
import { TASK_COLUMNS, type TaskRow, toTaskResult } from './task-row.ts'

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 1_000

/** The cursor is the seq of the last row seen, encoded so callers treat it as opaque. */
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
  const parts = ['(result_expires_at IS NULL OR result_expires_at > ?)']
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
  if (q.cursor !== undefined) add('seq < ?', decodeCursor(q.cursor))
  if (q.text !== undefined && q.text !== '') {
    const like = likePattern(q.text)
    add(`(task LIKE ? ESCAPE '\\' OR json_extract(message, '$.input') LIKE ? ESCAPE '\\')`, like, like)
  }
  return { sql: parts.join(' AND '), args }
}

/** Tasks newest first, filtered, one page at a time. */
export function createListTasks(ctx: SqliteContext): (query: TaskQuery) => TaskPage {
  return (query) => {
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT)
    const where = whereClause(query, ctx.clock.now())
    // db.query caches one statement per distinct SQL text: one per filter combination.
    const stmt = ctx.db.query<TaskRow, SQLQueryBindings[]>(
      `SELECT ${TASK_COLUMNS} FROM tasks WHERE ${where.sql} ORDER BY seq DESC LIMIT ?`,
    )
    const rows = stmt.all(...where.args, limit + 1)
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return {
      tasks: page.map(toTaskResult),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
    }
  }
}
