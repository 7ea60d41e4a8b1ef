import { unconsumedQueues } from '../../core/unconsumed-queues.ts'
import type { ApiDeps } from '../api-deps.ts'
import type { StatusView } from '../schemas/system.ts'

/**
 * down: the broker does not answer. degraded: no worker online, so nothing runs, or a queue has
 * waiting tasks that no online worker consumes. healthy otherwise.
 */
export async function systemStatus(deps: ApiDeps): Promise<StatusView> {
  const timestamp = new Date(deps.clock.now()).toISOString()
  try {
    await deps.broker.ping()
  } catch (err) {
    deps.log.warn('api: broker ping failed', { error: String(err) })
    const message = 'the broker is unreachable or read-only'
    const down = { worker_count: 0, active_tasks: 0, success_rate: null, unconsumed_queues: [] }
    return { status: 'down', message, ...down, timestamp }
  }
  const [listed, queues] = await Promise.all([
    deps.broker.listWorkers(deps.settings.workerOfflineMs),
    deps.broker.queueStats(),
  ])
  const workers = listed.filter((w) => w.online)
  const succeeded = workers.reduce((sum, w) => sum + w.succeeded, 0)
  const failed = workers.reduce((sum, w) => sum + w.failed, 0)
  const unconsumed = workers.length > 0 ? unconsumedQueues(queues, workers) : []
  const healthy = workers.length > 0 && unconsumed.length === 0
  return {
    status: healthy ? 'healthy' : 'degraded',
    message:
      workers.length === 0
        ? 'no worker online: tasks are queued but not run'
        : unconsumed.length > 0
          ? `no online worker consumes ${unconsumed.map((q) => `'${q}'`).join(', ')}: its tasks wait`
          : `${workers.length} worker(s) online`,
    unconsumed_queues: unconsumed,
    worker_count: workers.length,
    active_tasks: workers.reduce((sum, w) => sum + w.active.length, 0),
    success_rate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
    timestamp,
  }
}
