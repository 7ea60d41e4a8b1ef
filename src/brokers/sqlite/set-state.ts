import type { Json } from '../../core/json.ts'
import type { Lease, SettleOutcome } from '../broker.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

export type SetState = (lease: Lease, state: 'STARTED' | 'PROGRESS', meta?: Json) => SettleOutcome

/** Marks a running task STARTED (with its start time) or PROGRESS (with meta), fenced by lease. */
export function createSetState(ctx: SqliteContext): SetState {
  const { db, clock, events } = ctx
  const fence = `WHERE id = ? AND lease_token = ? AND status = 'active'`
  const started = db.prepare(`UPDATE tasks SET state = 'STARTED', started_at = ? ${fence}`)
  const progress = db.prepare(`UPDATE tasks SET state = 'PROGRESS', meta = ? ${fence}`)
  return writeTx(db, (lease: Lease, state: 'STARTED' | 'PROGRESS', meta?: Json): SettleOutcome => {
    const now = clock.now()
    const { id, token, message } = lease
    if (state === 'STARTED') {
      if (started.run(now, id, token).changes === 0) return 'lease_lost'
      events.append(
        'task:started',
        now,
        id,
        message.task,
        message.queue,
        JSON.stringify({ attempt: lease.attempt }),
      )
      return 'ok'
    }
    const metaJson = meta === undefined ? null : JSON.stringify(meta)
    if (progress.run(metaJson, id, token).changes === 0) return 'lease_lost'
    events.append('task:progress', now, id, message.task, message.queue, `{"meta":${metaJson ?? 'null'}}`)
    return 'ok'
  })
}
