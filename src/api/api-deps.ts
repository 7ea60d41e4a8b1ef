import type { FailureWindow } from '../auth/failure-window.ts'
import type { Broker, BrokerAdmin, ScheduleStore } from '../brokers/broker.ts'
import type { CeleryClient } from '../client/celery-client.ts'
import type { Client } from '../client/client.ts'
import type { Config } from '../config/config-schema.ts'
import type { Clock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { ReadLane } from '../core/read-lane.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { ApiSettings } from './api-settings.ts'
import type { ApiMetrics } from './metrics/api-metrics.ts'
import type { EventTail } from './metrics/event-tail.ts'

/** Everything the routes use; createApi builds it from a config, tests build it by hand. */
export interface ApiDeps {
  /** Tasks (results, revoke, the client's enqueues, rate limits) and inspection. */
  broker: Broker & BrokerAdmin
  /** Beat's entries, edited through the schedule routes. */
  schedules: ScheduleStore
  registry: TaskRegistry
  client: Client
  /** Python Celery on the broker's Redis (null on other brokers): sends, and results of ids we do not know. */
  celery: CeleryClient | null
  config: Config
  settings: ApiSettings
  clock: Clock
  log: Logger
  metrics: ApiMetrics
  /** The api process's reader of the broker's event stream (metrics; the SSE start position). */
  tail: EventTail
  /** Failed authentications per client IP: bearer tokens and dashboard logins share this one budget. */
  authFailures: FailureWindow
  /** Event replays take turns here, one page per event-loop turn, however many streams replay. */
  readLane: ReadLane
  /** Aborted when the server stops: open SSE streams end so the server can drain. */
  closing: AbortSignal
}
