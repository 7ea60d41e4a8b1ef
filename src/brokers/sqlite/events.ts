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

export function createReadEvents(db: Database): (afterSeq: number, limit: number) => BrokerEvent[] {
  const select = db.prepare<EventRow, [number, number]>(
    'SELECT seq, type, at, task_id, task, queue, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  )
  return (afterSeq, limit) =>
    select.all(afterSeq, Math.max(0, Math.floor(limit))).map((r) => ({
      seq: r.seq,
      type: r.type,
      at: r.at,
      taskId: r.task_id,
      task: r.task,
      queue: r.queue,
      data: JSON.parse(r.data),
    }))
}
