import { Hono } from 'hono'
import { EVENT_TYPES } from '../../brokers/broker.ts'
import css from '../assets/dashboard.css' with { type: 'text' }
import liveJs from '../assets/live.client.js' with { type: 'text' }
import type { DashboardEnv } from '../dashboard-env.ts'

/** Weak ETags from the content, so a new binary's assets replace cached ones at once. */
function asset(body: string, type: string) {
  const etag = `W/"${Bun.hash(body).toString(36)}"`
  return { body, type, etag }
}

const EVENTS_SLOT = '/* EVENT_TYPES */ []'

/** The live script with the one list of event types written in, so the two cannot drift. */
export function liveScript(): string {
  if (!liveJs.includes(EVENTS_SLOT)) throw new Error(`dashboard: live.client.js has no ${EVENTS_SLOT} slot`)
  return liveJs.replace(EVENTS_SLOT, JSON.stringify(EVENT_TYPES))
}

/** The embedded script and stylesheet: served from memory, nothing read from disk. */
export function assetRoutes(): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  const files = {
    'live.js': asset(liveScript(), 'text/javascript; charset=utf-8'),
    'dashboard.css': asset(css, 'text/css; charset=utf-8'),
  }
  app.get('/assets/:file', (c) => {
    const file = files[c.req.param('file') as keyof typeof files]
    if (!file) return c.text('not found', 404)
    c.header('cache-control', 'no-cache')
    c.header('etag', file.etag)
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304)
    return c.body(file.body, 200, { 'content-type': file.type })
  })
  return app
}
