import type { FailureWindow } from '../auth/failure-window.ts'
import type { Broker, BrokerAdmin, ScheduleStore } from '../brokers/broker.ts'
import type { CeleryClient } from '../client/celery-client.ts'
import type { Client } from '../client/client.ts'
import type { ApiToken } from '../config/api-token-spec.ts'
import type { Config } from '../config/config-schema.ts'
import type { Clock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { Cidr } from '../security/ip-address.ts'

/** What the dashboard reads from the api role's settings. */
export interface DashboardSettings {
  tokens: readonly ApiToken[]
  /** No tokens: every visitor is an admin (development only), and the pages say so. */
  insecure: boolean
  /** Peers whose forwarded headers name the client that failed logins are counted against. */
  trustedProxies: readonly Cidr[]
  /** A worker silent this long is offline. */
  workerOfflineMs: number
  /** The task search examines at most this many stored tasks per page (the API's budget). */
  searchScanBudget: number
}

/** What the dashboard needs from the process that mounts it (the api role's deps satisfy it). */
export interface DashboardDeps {
  broker: Broker & BrokerAdmin
  schedules: ScheduleStore
  registry: TaskRegistry
  client: Client
  /** Python Celery on the broker's Redis: its results answer for task ids we do not know. */
  celery: CeleryClient | null
  config: Config
  clock: Clock
  log: Logger
  settings: DashboardSettings
  /** Failed logins per client IP, the same budget the API's bearer auth counts in. */
  authFailures: FailureWindow
}
