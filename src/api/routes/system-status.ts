import type { ApiDeps } from '../api-deps.ts'

export interface SystemStatus {
  status: 'healthy' | 'degraded' | 'down'
  message: string
  worker_count: number
  active_tasks: number
  /** Succeeded / (succeeded + failed) over the online workers' lifetimes; null before any outcome. */
  success_rate: number | null
  timestamp: string
}

/** down: the broker does not answer. degraded: no worker online, so nothing runs. healthy otherwise. */
export async function systemStatus(deps: ApiDeps): Promise<SystemStatus> {
  const timestamp = new Date(deps.clock.now()).toISOString()
  try {
    await deps.broker.ping()
  } catch (err) {
    deps.log.warn('api: broker ping failed', { error: String(err) })
    const message = 'the broker is unreachable or read-only'
    return { status: 'down', message, worker_count: 0, active_tasks: 0, success_rate: null, timestamp }
  }
  const workers = (await deps.broker.listWorkers(deps.settings.workerOfflineMs)).filter((w) => w.online)
  const succeeded = workers.reduce((sum, w) => sum + w.succeeded, 0)
  const failed = workers.reduce((sum, w) => sum + w.failed, 0)
  const healthy = workers.length > 0
  return {
    status: healthy ? 'healthy' : 'degraded',
    message: healthy
      ? `${workers.length} worker(s) online`
      : 'no worker online: tasks are queued but not run',
    worker_count: workers.length,
    active_tasks: workers.reduce((sum, w) => sum + w.active.length, 0),
    success_rate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
    timestamp,
  }
}
