import { type Context, Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import type { WorkerStatus } from '../../brokers/broker.ts'
import { redactConfig } from '../../config/redact-config.ts'
import type { ApiDeps } from '../api-deps.ts'
import { requireScope } from '../middleware/require-scope.ts'
import { systemStatus } from './system-status.ts'

const iso = (ms: number) => new Date(ms).toISOString()

function workerView(w: WorkerStatus) {
  return {
    status: w.online ? w.status : 'offline',
    host: w.host,
    pid: w.pid,
    queues: w.queues,
    concurrency: w.concurrency,
    active_tasks: w.active.length,
    active: w.active.map((a) => ({
      task_id: a.id,
      task: a.task,
      started_at: iso(a.startedAt),
      attempt: a.attempt,
    })),
    reserved: w.reserved.length,
    processed: w.processed,
    succeeded: w.succeeded,
    failed: w.failed,
    retried: w.retried,
    rss_bytes: w.rssBytes,
    version: w.version,
    started_at: iso(w.startedAt),
    last_heartbeat: iso(w.lastHeartbeat),
  }
}

/** GET /workers, /queues, /status and /config: the system as a whole. */
export function systemRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const listWorkers = async (c: Context<AuthEnv>) => {
    const workers = (await deps.broker.listWorkers(deps.settings.workerOfflineMs)).filter((w) => w.online)
    return c.json({
      timestamp: iso(deps.clock.now()),
      total_workers: workers.length,
      total_active_tasks: workers.reduce((sum, w) => sum + w.active.length, 0),
      workers: Object.fromEntries(workers.map((w) => [w.name, workerView(w)])),
    })
  }
  app.get('/workers', requireScope('read'), listWorkers)
  // Where the Django setups Celeriac replaces serve it; registered before GET /tasks/{id}.
  app.get('/tasks/workers', requireScope('read'), listWorkers)

  app.get('/queues', requireScope('read'), async (c) => {
    const queues = (await deps.broker.queueStats()).map((q) => ({
      name: q.queue,
      waiting: q.waiting,
      delayed: q.delayed,
      active: q.active,
      dead: q.dead,
      oldest_age_seconds: q.oldestAgeMs === null ? null : q.oldestAgeMs / 1000,
    }))
    return c.json({ queues })
  })

  app.get('/status', requireScope('read'), async (c) => {
    const status = await systemStatus(deps)
    return c.json(status, status.status === 'down' ? 503 : 200)
  })

  app.get('/config', requireScope('admin'), (c) => c.json(redactConfig(deps.config)))
  return app
}
