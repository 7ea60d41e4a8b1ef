import type { ApiDeps } from '../api/api-deps.ts'
import { type ApiSettings, apiSettings } from '../api/api-settings.ts'
import { createApp } from '../api/create-app.ts'
import { ApiMetrics } from '../api/metrics/api-metrics.ts'
import { EventTail } from '../api/metrics/event-tail.ts'
import { FailureWindow } from '../auth/failure-window.ts'
import type { BrokerEngine } from '../brokers/broker.ts'
import { CeleryEventListener } from '../brokers/redis/celery/celery-event-listener.ts'
import { checkCeleryUrl, isCeleryUrl } from '../brokers/redis/celery/check-celery-url.ts'
import { withCeleryTasks } from '../brokers/with-celery-tasks.ts'
import { CeleryMonitor } from '../celery/celery-monitor.ts'
import { CeleryClient } from '../client/celery-client.ts'
import { Client } from '../client/client.ts'
import type { Config } from '../config/config-schema.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import { consumedQueues } from '../core/consumed-queues.ts'
import { type Logger, silentLogger } from '../core/logger.ts'
import { ReadLane } from '../core/read-lane.ts'
import type { TaskRegistry } from '../core/registry.ts'
import { mountDashboard } from './mount-dashboard.ts'

export interface CreateApiOptions {
  broker: BrokerEngine
  registry: TaskRegistry
  config: Config
  clock?: Clock
  log?: Logger
  /** Test knobs: SSE poll and heartbeat periods, brute-force limits. */
  settings?: Partial<ApiSettings>
}

/** Wires an api process: its metrics, the event tail feeding them, and the Hono app over both, with the dashboard mounted. */
export function createApi(o: CreateApiOptions) {
  const clock = o.clock ?? systemClock
  const log = o.log ?? silentLogger
  const settings = apiSettings(o.config, o.settings)
  const metrics = new ApiMetrics(settings.workerOfflineMs, {
    celeryNames: o.config.metricsCeleryNames,
    knownQueues: consumedQueues(o.config.queues, o.registry),
  })
  const monitor = o.config.celeryEventsListen ? celeryMonitor(o.config) : null
  // Python's tasks join the lists and search; the engine itself stays as it is for everything else.
  const broker = monitor ? withCeleryTasks(o.broker, monitor, clock) : o.broker
  const listener = monitor
    ? new CeleryEventListener({ url: o.config.brokerUrl, monitor, clock, log: log.child({ celery: true }) })
    : null
  const tail = new EventTail({ admin: o.broker, onEvent: (e) => metrics.record(e), clock, log })
  const closing = new AbortController()
  const client = new Client({ broker: o.broker, registry: o.registry, clock })
  // Connects on first use only: an API that never sends to Python opens no second connection.
  const celery = isCeleryUrl(o.config.brokerUrl)
    ? CeleryClient.open(o.config.brokerUrl, clock, monitor?.tasks)
    : null
  const deps: ApiDeps = {
    ...o,
    broker,
    celery,
    schedules: o.broker,
    client,
    settings,
    clock,
    log,
    metrics,
    tail,
    authFailures: new FailureWindow(settings.bruteForce.maxFailures, settings.bruteForce.windowMs),
    closing: closing.signal,
    readLane: new ReadLane(),
  }
  const app = createApp(deps)
  mountDashboard(app, deps)
  return {
    app,
    deps,
    tail,
    metrics,
    /** Subscribes to Python's events when asked (resolves once subscribed); a no-op otherwise. */
    start: async () => {
      await listener?.start()
    },
    close: () => {
      closing.abort()
      void celery?.close()
      void listener?.close()
    },
  }
}

/** The in-memory record of Python workers' events, after checking the broker can carry them. */
function celeryMonitor(config: Config): CeleryMonitor {
  checkCeleryUrl(config.brokerUrl, "--celery-events-listen hears Python workers' events on kombu's Redis")
  return new CeleryMonitor({ maxTasks: config.celeryEventsMaxTasks, ttlMs: config.resultTtlMs })
}
