import { Beat } from '../beat/beat.ts'
import { defaultEntries } from '../beat/default-entries.ts'
import { ScheduleService } from '../beat/schedule-service.ts'
import { syncConfigSchedules } from '../beat/sync-config-schedules.ts'
import type { Broker, ScheduleStore } from '../brokers/broker.ts'
import { Client } from '../client/client.ts'
import type { Config } from '../config/config-schema.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { Role } from './role.ts'

export interface BeatRoleOptions {
  /** Enqueues what fires (through a Client) and keeps the entries with their run state. */
  broker: Broker & ScheduleStore
  registry: TaskRegistry
  config: Config
  log: Logger
  clock?: Clock
}

/** The schedule service over the broker; `client` lets beat share the one it fires with. */
export function createScheduleService(
  o: BeatRoleOptions,
  client = new Client({ broker: o.broker, registry: o.registry, clock: o.clock ?? systemClock }),
): ScheduleService {
  return new ScheduleService({
    store: o.broker,
    registry: o.registry,
    client,
    clock: o.clock ?? systemClock,
    defaultTimezone: o.config.timezone,
  })
}

/** Beat as a Role: syncs the config schedule (and defaults) at start, then fires while leader. */
export function createBeatRole(o: BeatRoleOptions): Role {
  const clock = o.clock ?? systemClock
  const store = o.broker
  const client = new Client({ broker: o.broker, registry: o.registry, clock })
  const service = createScheduleService(o, client)
  const beat = new Beat({
    store,
    client,
    clock,
    log: o.log,
    tickMs: o.config.beatTickMs,
    lockTtlMs: o.config.beatLockTtlMs,
  })
  const entries = [...(o.config.beatDefaults ? defaultEntries(o.registry) : []), ...o.config.schedules]
  return {
    name: 'beat',
    async start() {
      await syncConfigSchedules(store, service, entries, o.log)
      beat.start()
      o.log.info('beat started', { entries: (await store.listSchedules()).length })
    },
    async stop() {
      await beat.stop()
      return 0
    },
    done: new Promise<number>(() => {}),
  }
}
