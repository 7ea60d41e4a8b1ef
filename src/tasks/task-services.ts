import type { Broker } from '../brokers/broker.ts'
import { type Config, DEFAULT_CONFIG } from '../config/config-schema.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import type { Json } from '../core/json.ts'
import { type Logger, silentLogger } from '../core/logger.ts'
import { type ResolveHost, systemResolveHost } from '../security/resolve-outbound.ts'
import { createMailerFromConfig } from './email/create-mailer.ts'
import type { Mailer } from './email/mailer.ts'

/**
 * What the email, http and notify tasks need from their process, passed in explicitly (no
 * module-level singletons): the CLI and createCeleriac build one per process, tests build their
 * own with fakes.
 */
export interface TaskServices {
  readonly config: Config
  readonly log: Logger
  readonly clock: Clock
  /** The mail transport from config (SMTP, or the outbox folder), created on first use. */
  mailer(): Mailer
  /** Progress meta an earlier attempt of task `id` recorded; bulk email resumes from it. */
  previousMeta(id: string): Promise<Json | null>
  /** DNS for the outbound URL guard. */
  readonly resolveHost: ResolveHost
  /** Releases what was opened (the SMTP pool). */
  close(): Promise<void>
}

export interface TaskServicesOptions {
  config?: Config
  log?: Logger
  clock?: Clock
  /** The broker results are read from; without it, previousMeta() knows nothing (a fresh start). */
  broker?: () => Promise<Pick<Broker, 'getResult'>>
  mailer?: Mailer
  resolveHost?: ResolveHost
}

export function createTaskServices(options: TaskServicesOptions = {}): TaskServices {
  const config = options.config ?? DEFAULT_CONFIG
  let mailer = options.mailer ?? null
  const owned = !options.mailer
  return {
    config,
    log: options.log ?? silentLogger,
    clock: options.clock ?? systemClock,
    mailer: () => {
      mailer ??= createMailerFromConfig(config)
      return mailer
    },
    previousMeta: async (id) => {
      if (!options.broker) return null
      const result = await (await options.broker()).getResult(id)
      return (result?.meta as Json | undefined) ?? null
    },
    resolveHost: options.resolveHost ?? systemResolveHost,
    close: async () => {
      if (owned) mailer?.close()
    },
  }
}
