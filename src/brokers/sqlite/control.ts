import type { Json } from '../../core/json.ts'
import type { ControlCommand, ControlMessage, ControlReply } from '../broker.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

interface ControlRow {
  seq: number
  command: ControlCommand
  target: string | null
  args: string
  created_at: number
}

/** Stores a command for one worker (or all when target is null); returns its seq. */
export function createSendControl(
  ctx: SqliteContext,
): (command: ControlCommand, target: string | null, args?: Record<string, Json>) => number {
  const insert = ctx.db.prepare<{ seq: number }, [string, string | null, string, number]>(
    'INSERT INTO control (command, target, args, created_at) VALUES (?, ?, ?, ?) RETURNING seq',
  )
  return writeTx(ctx.db, (command: ControlCommand, target: string | null, args?: Record<string, Json>) => {
    const row = insert.get(command, target, JSON.stringify(args ?? {}), ctx.clock.now())
    return (row as { seq: number }).seq
  })
}

/**
 * Commands for `worker` after `afterSeq`. Commands older than the control TTL are not delivered,
 * so a worker starting later never obeys a stale broadcast such as `shutdown`.
 */
export function createPollControl(
  ctx: SqliteContext,
): (worker: string, afterSeq: number) => ControlMessage[] {
  const select = ctx.db.prepare<ControlRow, [number, string, number]>(
    `SELECT seq, command, target, args, created_at FROM control
     WHERE seq > ? AND (target IS NULL OR target = ?) AND created_at >= ? ORDER BY seq`,
  )
  return (worker, afterSeq) =>
    select.all(afterSeq, worker, ctx.clock.now() - ctx.controlTtlMs).map((r) => ({
      seq: r.seq,
      command: r.command,
      target: r.target,
      args: JSON.parse(r.args) as Record<string, Json>,
      createdAt: r.created_at,
    }))
}

export function createReplyControl(ctx: SqliteContext): (reply: Omit<ControlReply, 'at'>) => void {
  const insert = ctx.db.prepare(
    // A reply to a command already cleaned up has nobody waiting for it: drop it quietly.
    `INSERT INTO control_replies (seq, worker, reply, at)
     SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM control WHERE seq = ?1)`,
  )
  return writeTx(ctx.db, (reply: Omit<ControlReply, 'at'>) => {
    insert.run(reply.seq, reply.worker, JSON.stringify(reply.reply), ctx.clock.now())
  })
}

export function createReadReplies(ctx: SqliteContext): (seq: number) => ControlReply[] {
  const select = ctx.db.prepare<{ worker: string; reply: string; at: number }, [number]>(
    'SELECT worker, reply, at FROM control_replies WHERE seq = ? ORDER BY rowid',
  )
  return (seq) =>
    select.all(seq).map((r) => ({ seq, worker: r.worker, reply: JSON.parse(r.reply) as Json, at: r.at }))
}
