import type { Broker } from '../brokers/broker.ts'
import type { Config } from '../config/config-schema.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import { VERSION } from '../version.ts'
import { createWorker } from '../worker/worker.ts'
import type { Role } from './role.ts'

export interface WorkerRoleOptions {
  broker: Broker
  registry: TaskRegistry
  config: Config
  queues: readonly string[]
  log: Logger
}

/** The worker as a Role: config in, WorkerExit codes out. */
export function createWorkerRole(
  o: WorkerRoleOptions,
): Role & { readonly workerName: string; ready(): boolean } {
  const { config } = o
  const worker = createWorker({
    broker: o.broker,
    registry: o.registry,
    queues: [...o.queues],
    concurrency: config.concurrency,
    log: o.log,
    version: VERSION,
    leaseMs: config.leaseMs,
    graceMs: config.graceMs,
    heartbeatMs: config.heartbeatMs,
    trackStarted: config.trackStarted,
    config,
    // Celery reserves `multiplier` tasks per slot; ours fetches when a slot is free, plus this.
    prefetch: config.concurrency * (config.prefetchMultiplier - 1),
    ...(config.maxTasksPerChild === null ? {} : { maxTasks: config.maxTasksPerChild }),
    ...(config.workerName === null ? {} : { name: config.workerName }),
    ...(config.maxMemoryMb === null ? {} : { maxMemoryMb: config.maxMemoryMb }),
  })
  return {
    name: 'worker',
    workerName: worker.name,
    ready: () => worker.ready,
    start: () => worker.start(),
    stop: async () => (await worker.stop()).code,
    done: worker.done.then((exit) => exit.code),
  }
}
