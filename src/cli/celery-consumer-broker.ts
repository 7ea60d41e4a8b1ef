import type { Broker } from '../brokers/broker.ts'
import { createCeleryBroker } from '../brokers/redis/celery/celery-broker.ts'
import { CeleryEventPublisher } from '../brokers/redis/celery/celery-event-publisher.ts'
import { CeleryPidbox } from '../brokers/redis/celery/celery-pidbox.ts'
import { CeleryStore } from '../brokers/redis/celery/celery-store.ts'
import { checkCeleryUrl } from '../brokers/redis/celery/check-celery-url.ts'
import { RevokedIds } from '../celery/revoked-ids.ts'
import type { Config } from '../config/config-schema.ts'
import { systemClock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import { VERSION } from '../version.ts'

const CONSUMER_USE = "--celery reads kombu's Redis lists"

/** Refuses a broker URL kombu's Redis transport cannot share, before anything is opened. */
export function checkCeleryBrokerUrl(url: string): void {
  checkCeleryUrl(url, CONSUMER_USE)
}

/**
 * `worker --celery`: the worker reads Python Celery's messages from kombu's lists on the broker's
 * Redis (the database in its URL) and keeps its heartbeats, control and events on `base`.
 */
export async function celeryConsumerBroker(
  base: Broker,
  config: Config,
  registry: TaskRegistry,
  log: Logger,
  node: string,
): Promise<Broker> {
  checkCeleryBrokerUrl(config.brokerUrl)
  const revoked = new RevokedIds()
  const pidbox = new CeleryPidbox({
    url: config.brokerUrl,
    node,
    log: log.child({ celery: true }),
    onRevoke: (ids, terminate) => {
      for (const id of ids) revoked.add(id, terminate, systemClock.now())
    },
  })
  await pidbox.start()
  log.info('celery control listening', { node })
  const events = config.celeryEvents
    ? new CeleryEventPublisher({
        url: config.brokerUrl,
        hostname: node,
        version: VERSION,
        clock: systemClock,
        log,
        exceptionClasses: config.celeryExceptions,
      })
    : null
  await events?.start()
  return createCeleryBroker({
    revoked,
    events,
    writeStarted: config.trackStarted,
    onClose: async () => {
      await events?.close()
      await pidbox.close()
    },
    base,
    store: new CeleryStore(config.brokerUrl, config.resultTtlMs),
    findTask: (name) => registry.get(name),
    clock: systemClock,
    log: log.child({ celery: true }),
    leaseMs: config.leaseMs,
    visibilityTimeoutMs: config.celeryVisibilityTimeoutMs,
    exceptionClasses: config.celeryExceptions,
  })
}
