import { type Context, Hono } from 'hono'
import { type SSEStreamingApi, streamSSE } from 'hono/streaming'
import { clientIp } from '../../auth/client-ip.ts'
import type { AuthEnv } from '../../auth/principal.ts'
import type { BrokerEvent } from '../../brokers/broker.ts'
import { parseOrThrow } from '../../core/validate.ts'
import type { ApiDeps } from '../api-deps.ts'
import { ApiError } from '../api-error.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { EventsQuery } from '../schemas/events.ts'
import { eventView } from '../task-view.ts'
import { StreamSlots } from './stream-slots.ts'

/** Events per read: small enough that one read and its writes hold the event loop only briefly. */
const PAGE = 100

type Filter = (e: BrokerEvent) => boolean

function filterOf(q: { task?: string; queue?: string; types?: string }): Filter {
  const types = q.types
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean)
  return (e) =>
    (q.task === undefined || e.task === q.task) &&
    (q.queue === undefined || e.queue === q.queue) &&
    (types === undefined || types.some((t) => e.type === t || (t.endsWith(':') && e.type.startsWith(t))))
}

/** "Now": the tail's position, then past anything stored since, before the response starts. */
async function currentSeq(deps: ApiDeps): Promise<string | null> {
  let seq = deps.tail.position
  for (;;) {
    const events = await deps.broker.readEvents(seq, PAGE)
    seq = events.at(-1)?.seq ?? seq
    if (events.length < PAGE) return seq
    await deps.readLane.turn()
  }
}

/**
 * Where a stream starts, and how far back it replays. A resume replays from Last-Event-ID up to
 * `now`, at most sseReplayMax events; a stream without one starts at `now`.
 */
interface StreamStart {
  after: string | null
  /** The seq that ends the replay, null when there is nothing to replay. */
  now: string | null
}

async function pump(stream: SSEStreamingApi, deps: ApiDeps, start: StreamStart, match: Filter) {
  const { ssePollMs, sseHeartbeatMs, sseReplayMax } = deps.settings
  let after = start.after
  let replaying = start.now !== null && start.now !== start.after
  let replayed = 0
  let lastWrite = Date.now()
  while (!stream.aborted && !stream.closed && !deps.closing.aborted) {
    const events = await deps.broker.readEvents(after, PAGE)
    for (const event of events) {
      if (replaying && replayed >= sseReplayMax) break
      after = event.seq
      if (replaying) {
        replayed++
        if (event.seq === start.now) replaying = false
      }
      if (!match(event)) continue
      await stream.writeSSE({ id: event.seq, event: event.type, data: JSON.stringify(eventView(event)) })
      lastWrite = Date.now()
    }
    if (replaying && replayed >= sseReplayMax) {
      // Replaying further would cost every other request its share of the process: the client
      // is told how far the replay went and carries on from where the stream opened.
      const data = JSON.stringify({ replayed, last_replayed: after, resumed_after: start.now })
      await stream.writeSSE({ id: start.now ?? '', event: 'replay:truncated', data })
      after = start.now
      replaying = false
      continue
    }
    if (events.length < PAGE) replaying = false
    if (events.length === PAGE) {
      await deps.readLane.turn()
      continue
    }
    if (Date.now() - lastWrite >= sseHeartbeatMs) {
      await stream.write(': keep-alive\n\n')
      lastWrite = Date.now()
    }
    await stream.sleep(ssePollMs)
  }
}

/** The client a stream is counted against: its token's principal, or its address without tokens. */
function clientKey(c: Context<AuthEnv>): string {
  const key = c.get('principal').key
  return key === 'insecure' ? `ip:${clientIp(c)}` : key
}

/**
 * GET /events: the broker's events as Server-Sent Events, each with `id:` its seq, so a client that
 * reconnects with Last-Event-ID resumes exactly after the last one it saw. Without it, the stream
 * starts now. Filters: task, queue, types (comma-separated; `task:` matches every task event).
 * Each client holds at most sseStreamsPerClient streams (429 past that), and a resume replays at
 * most sseReplayMax events before an `replay:truncated` event and a skip to the present.
 */
export function eventsRoute(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const slots = new StreamSlots(deps.settings.sseStreamsPerClient)
  app.get('/events', requireScope('read'), async (c) => {
    const q = parseOrThrow(EventsQuery, c.req.query(), 'query')
    const client = clientKey(c)
    if (!slots.acquire(client)) {
      const message = `at most ${deps.settings.sseStreamsPerClient} event streams per client; close one and retry`
      throw new ApiError(429, 'too_many_streams', message, {}, { 'Retry-After': '5' })
    }
    try {
      const resume = c.req.header('last-event-id') ?? q.last_event_id
      const now = await currentSeq(deps)
      const after = resume !== undefined && resume !== '' ? resume.slice(0, 100) : now
      return streamSSE(c, async (stream) => {
        c.req.raw.signal.addEventListener('abort', () => stream.abort())
        try {
          // A first write flushes the response headers at once: a client (or a proxy) would
          // otherwise wait for the first event, or the first keep-alive, to see the stream open.
          await stream.write(': connected\n\n')
          await pump(stream, deps, { after, now }, filterOf(q))
        } catch (err) {
          if (!stream.aborted) deps.log.warn('api: event stream ended on an error', { error: String(err) })
        } finally {
          slots.release(client)
        }
      })
    } catch (err) {
      slots.release(client)
      throw err
    }
  })
  return app
}
