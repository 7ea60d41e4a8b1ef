import type { Logger } from '../../core/logger.ts'
import type { BrokerEvent, EventType } from '../broker.ts'
import type { RedisCommands } from './redis-commands.ts'

/** An event to record; `data` is JSON text. */
export interface EventRecord {
  type: EventType
  at: number
  taskId: string | null
  task: string | null
  queue: string | null
  data: string
}

/** One stream entry per batch of events: ~this many entries are kept (XADD MAXLEN ~). */
const DEFAULT_MAX_ENTRIES = 100_000
/** Events wait at most this long to share one XADD with others. */
const FLUSH_MS = 5
/**
 * Events ride along with an operation's round trip only once the oldest has waited this long.
 * Sent with every operation, a worker at concurrency 1 wrote one XADD per task; held this long,
 * the XADDs of a busy worker become about one per millisecond, still in a write it makes anyway.
 */
const RIDE_ALONG_MS = 1
const MAX_BATCH = 2_000
/**
 * Stream entries one task history read examines at most: a task's events sit near its creation,
 * and an id that is not a UUIDv7 (a client's own) gives no start, so without a bound one read
 * could walk the whole stream. Past it the history is what was found.
 */
const DEFAULT_HISTORY_SCAN = 20_000

export interface EventLogOptions {
  /** About this many stream entries are kept (XADD MAXLEN ~). */
  maxEntries?: number
  /** Stream entries one task history read examines at most. */
  historyScan?: number
  /** Milliseconds from any fixed start: how long events have waited (performance.now()). */
  monotonicNow?: () => number
}

/**
 * The event stream: one Redis stream in its own slot. A batch of events (one enqueue, reserve or
 * settle call) is one entry holding a JSON array, so recording costs one XADD per batch, not per
 * task. An event's seq is `<entry id>:<index>`, ordered as the stream is.
 *
 * Not atomic with the change it records: the queue scripts run in a queue's slot and the stream
 * lives in another (Redis Cluster forbids one script spanning both), so the XADD is sent right
 * after the script's reply, on the same connection, ahead of any later command. A process that
 * dies between the two loses those events, never the change. Events of all operations within
 * FLUSH_MS share one entry (one XADD); reads in this process flush first, other processes see
 * them at most FLUSH_MS later, or sooner when a reserve, settle or enqueue carries them in its
 * own round trip (once they have waited RIDE_ALONG_MS). Writes are not awaited by the
 * operation; close() flushes.
 */
export class EventLog {
  private readonly pending = new Set<Promise<unknown>>()
  private buffer: EventRecord[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  /** When the oldest buffered event was queued, by monotonicNow. */
  private bufferedAt = 0

  private readonly maxEntries: number
  private readonly historyScan: number
  private readonly monotonicNow: () => number

  constructor(
    private readonly client: RedisCommands,
    private readonly key: string,
    private readonly log: Logger,
    options: EventLogOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
    this.historyScan = options.historyScan ?? DEFAULT_HISTORY_SCAN
    this.monotonicNow = options.monotonicNow ?? (() => performance.now())
  }

  /** Queues events; they are written within FLUSH_MS, together with any others queued meanwhile. */
  append(events: EventRecord[]): void {
    if (events.length === 0) return
    if (this.buffer.length === 0) this.bufferedAt = this.monotonicNow()
    this.buffer.push(...events)
    if (this.buffer.length >= MAX_BATCH) this.write()
    else this.timer ??= setTimeout(() => this.write(), FLUSH_MS)
  }

  /**
   * Sends what has waited RIDE_ALONG_MS or more, without waiting: operations call it in the same
   * tick as their own script, so the XADD shares that round trip (one socket write) instead of
   * taking its own. Younger events wait for a later operation, or the timer.
   */
  sendWithNext(): void {
    if (this.buffer.length > 0 && this.monotonicNow() - this.bufferedAt >= RIDE_ALONG_MS) this.write()
  }

  /** Writes what is queued and waits for every write in flight. */
  async flush(): Promise<void> {
    this.write()
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }

  /** One XADD per run of events sharing a time, so cleanup by age never splits an entry. */
  private write(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const events = this.buffer
    this.buffer = []
    for (let start = 0; start < events.length; ) {
      let end = start + 1
      while (end < events.length && events[end]?.at === events[start]?.at) end++
      this.xadd(events.slice(start, end))
      start = end
    }
  }

  private xadd(events: EventRecord[]): void {
    const payload = `[${events.map(encode).join(',')}]`
    const write = this.client
      .xadd(this.key, 'MAXLEN', '~', this.maxEntries, '*', 'e', payload)
      .catch((err: unknown) =>
        this.log.warn('redis broker: events not recorded', { error: String(err), count: events.length }),
      )
      .finally(() => this.pending.delete(write))
    this.pending.add(write)
  }

  /** Events after `after` (null or a foreign cursor: from the oldest kept), oldest first. */
  async read(after: string | null, limit: number): Promise<BrokerEvent[]> {
    await this.flush()
    const out: BrokerEvent[] = []
    const cursor = parseSeq(after)
    let start = cursor ? cursor.id : '-'
    while (out.length < limit) {
      const entries = await this.range(start, '+', 64)
      for (const [id, events] of entries) {
        events.forEach((e, i) => {
          if (out.length >= limit) return
          if (cursor && (id === cursor.id ? i <= cursor.index : false)) return
          out.push(toEvent(`${id}:${i}`, e))
        })
      }
      const last = entries.at(-1)
      if (!last || entries.length < 64) break
      start = `(${last[0]}`
    }
    return out
  }

  /**
   * One task's events. A UUIDv7 id carries its creation time, so the scan starts a few minutes
   * before it instead of at the oldest entry; other ids scan the whole stream.
   */
  async forTask(taskId: string): Promise<BrokerEvent[]> {
    await this.flush()
    const born = uuidV7Time(taskId)
    let start = born === null ? '-' : `${Math.max(0, born - 5 * 60_000)}-0`
    const out: BrokerEvent[] = []
    for (let scanned = 0; scanned < this.historyScan; ) {
      const page = Math.min(500, this.historyScan - scanned)
      const entries = await this.range(start, '+', page)
      scanned += entries.length
      for (const [id, events] of entries) {
        events.forEach((e, i) => {
          if (e[2] === taskId) out.push(toEvent(`${id}:${i}`, e))
        })
      }
      const last = entries.at(-1)
      if (!last || entries.length < page) return out
      start = `(${last[0]}`
    }
    return out
  }

  /**
   * Deletes entries whose events are all older than `before`, from the oldest on; stops at the
   * first entry holding a newer event (events are written in time order).
   */
  async deleteBefore(before: number): Promise<number> {
    await this.flush()
    let removed = 0
    for (;;) {
      const entries = await this.range('-', '+', 500)
      const newer = entries.findIndex(([, events]) => events.some((e) => e[1] >= before))
      const stale = newer === -1 ? entries : entries.slice(0, newer)
      if (stale.length > 0) await this.client.xdel(this.key, ...stale.map(([id]) => id))
      for (const [, events] of stale) removed += events.length
      if (newer !== -1 || entries.length < 500) return removed
    }
  }

  private async range(start: string, end: string, count: number): Promise<[string, RawEvent[]][]> {
    const entries = (await this.client.xrange(this.key, start, end, 'COUNT', count)) as [string, string[]][]
    return entries.map(([id, fields]) => [id, JSON.parse(fields[1] ?? '[]') as RawEvent[]])
  }
}

/** [type, at, taskId, task, queue, data] */
type RawEvent = [EventType, number, string | null, string | null, string | null, unknown]

function encode(e: EventRecord): string {
  const text = (v: string | null) => (v === null ? 'null' : JSON.stringify(v))
  return `[${JSON.stringify(e.type)},${e.at},${text(e.taskId)},${text(e.task)},${text(e.queue)},${e.data}]`
}

function toEvent(seq: string, e: RawEvent): BrokerEvent {
  return {
    seq,
    type: e[0],
    at: e[1],
    taskId: e[2],
    task: e[3],
    queue: e[4],
    data: e[5] as BrokerEvent['data'],
  }
}

function parseSeq(seq: string | null): { id: string; index: number } | null {
  const m = seq === null ? null : /^(\d+-\d+):(\d+)$/.exec(seq)
  return m ? { id: m[1] as string, index: Number(m[2]) } : null
}

function uuidV7Time(id: string): number | null {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/i.test(id)) return null
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
}
