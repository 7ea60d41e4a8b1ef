import { Hono } from 'hono'
import { type SSEStreamingApi, streamSSE } from 'hono/streaming'
import type { AuthEnv } from '../../auth/principal.ts'
import type { BrokerEvent } from '../../brokers/broker.ts'
import { parseOrThrow } from '../../core/validate.ts'
import type { ApiDeps } from '../api-deps.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { EventsQuery } from '../schemas/events.ts'
import { eventView } from '../task-view.ts'

const PAGE = 500

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
  }
}

async function pump(stream: SSEStreamingApi, deps: ApiDeps, start: string | null, match: Filter) {
  const { ssePollMs, sseHeartbeatMs } = deps.settings
  let after = start
  let lastWrite = Date.now()
  while (!stream.aborted && !stream.closed && !deps.closing.aborted) {
    const events = await deps.broker.readEvents(after, PAGE)
    for (const event of events) {
      after = event.seq
      if (!match(event)) continue
      await stream.writeSSE({ id: event.seq, event: event.type, data: JSON.stringify(eventView(event)) })
      lastWrite = Date.now()
    }
    if (events.length === PAGE) continue
    if (Date.now() - lastWrite >= sseHeartbeatMs) {
      await stream.write(': keep-alive\n\n')
      lastWrite = Date.now()
    }
    await stream.sleep(ssePollMs)
  }
}

/**
 * GET /events: the broker's events as Server-Sent Events, each with `id:` its seq, so a client that
 * reconnects with Last-Event-ID resumes exactly after the last one it saw. Without it, the stream
 * starts now. Filters: task, queue, types (comma-separated; `task:` matches every task event).
 */
export function eventsRoute(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/events', requireScope('read'), async (c) => {
    const q = parseOrThrow(EventsQuery, c.req.query(), 'query')
    const resume = c.req.header('last-event-id') ?? q.last_event_id
    const start = resume !== undefined && resume !== '' ? resume.slice(0, 100) : await currentSeq(deps)
    return streamSSE(c, async (stream) => {
      c.req.raw.signal.addEventListener('abort', () => stream.abort())
      // A first write flushes the response headers at once: a client (or a proxy) would otherwise
      // wait for the first event, or the first keep-alive, to see that the stream is open.
      await stream.write(': connected\n\n')
      try {
        await pump(stream, deps, start, filterOf(q))
      } catch (err) {
        if (!stream.aborted) deps.log.warn('api: event stream ended on an error', { error: String(err) })
      }
    })
  })
  return app
}
