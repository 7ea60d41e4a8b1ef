import type { Database } from 'bun:sqlite'
import type { BrokerEvent, EventType } from '../broker.ts'

export interface EventWriter {
  /** Appends an event; call it inside the transaction of the change it records. */
  append(
    type: EventType,
    at: number,
    taskId: string | null,
    task: string | null,
    queue: string | null,
    data: string,
  ): void
}

export function createEventWriter(db: Database): EventWriter {
  const insert = db.prepare(
    'INSERT INTO events (type, at, task_id, task, queue, data) VALUES (?, ?, ?, ?, ?, ?)',
  )
  return {
    append(type, at, taskId, task, queue, data) {
      insert.run(type, at, taskId, task, queue, data)
    },
  }
}

interface EventRow {
  seq: number
  type: EventType
  at: number
  task_id: string | null
  task: string | null
  queue: string | null
  data: string
}

function toEvent(r: EventRow): BrokerEvent {
  return {
    seq: String(r.seq),
    type: r.type,
    at: r.at,
    taskId: r.task_id,
    task: r.task,
    queue: r.queue,
    data: JSON.parse(r.data),
  }
}

/** Our seqs are decimal integers; anything else (another engine's cursor) reads from the start. */
function afterSeq(after: string | null): number {
  const n = after === null ? 0 : Number(after)
  return Number.isSafeInteger(n) && n > 0 ? n : 0
}

export function createReadEvents(db: Database): (after: string | null, limit: number) => BrokerEvent[] {
  const select = db.prepare<EventRow, [number, number]>(
    'SELECT seq, type, at, task_id, task, queue, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  )
  return (after, limit) => select.all(afterSeq(after), Math.max(0, Math.floor(limit))).map(toEvent)
}

export function createTaskEvents(db: Database): (id: string) => BrokerEvent[] {
  const select = db.prepare<EventRow, [string]>(
    'SELECT seq, type, at, task_id, task, queue, data FROM events WHERE task_id = ? ORDER BY seq',
  )
  return (id) => select.all(id).map(toEvent)
}
