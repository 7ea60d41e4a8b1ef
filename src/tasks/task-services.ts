import type { Broker, BrokerAdmin } from '../brokers/broker.ts'
import { type Config, DEFAULT_CONFIG } from '../config/config-schema.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import type { Json } from '../core/json.ts'
import { type Logger, silentLogger } from '../core/logger.ts'
import { type ResolveHost, systemResolveHost } from '../security/resolve-outbound.ts'
import { createMailerFromConfig } from './email/create-mailer.ts'
import type { Mailer } from './email/mailer.ts'
import { createFileTaskServices, type FileTaskServices } from './file-task-services.ts'
import { fileTaskSettings } from './file-task-settings.ts'

/**
 * What built-in tasks need from their process, passed in explicitly (no module-level singletons):
 * the CLI and createCeleriac build one per process, tests build their own with fakes. The image,
 * export, report and maintenance part (settings, broker admin, image thread pool) is
 * FileTaskServices.
 */
export interface TaskServices extends FileTaskServices {
  readonly config: Config
  readonly log: Logger
  readonly clock: Clock
  /** The mail transport from config (SMTP, or the outbox folder), created on first use. */
  mailer(): Mailer
  /** Progress meta an earlier attempt of task `id` recorded; bulk email resumes from it. */
  previousMeta(id: string): Promise<Json | null>
  /** DNS for the outbound URL guard. */
  readonly resolveHost: ResolveHost
  /** Releases what was opened (the SMTP pool, the image threads). */
  close(): Promise<void>
}

export interface TaskServicesOptions {
  config?: Config
  log?: Logger
  clock?: Clock
  /**
   * The broker results are read from (without it, previousMeta() knows nothing: a fresh start),
   * and whose admin face the file tasks (export, report, maintenance) use.
   */
  broker?: () => Promise<Pick<Broker, 'getResult'> & BrokerAdmin>
  mailer?: Mailer
  resolveHost?: ResolveHost
}

/** The broker's admin face, for tasks that read history or maintain the store. */
async function adminOf(broker: TaskServicesOptions['broker']): Promise<BrokerAdmin> {
  const engine = await broker?.()
  if (!engine) throw new Error('task services: no broker admin was given')
  return engine
}

export function createTaskServices(options: TaskServicesOptions = {}): TaskServices {
  const config = options.config ?? DEFAULT_CONFIG
  let mailer = options.mailer ?? null
  const owned = !options.mailer
  const clock = options.clock ?? systemClock
  const files = createFileTaskServices({
    settings: fileTaskSettings(config),
    admin: () => adminOf(options.broker),
    clock,
  })
  return {
    settings: files.settings,
    admin: files.admin,
    imagePool: files.imagePool,
    config,
    log: options.log ?? silentLogger,
    clock,
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
      await files.close()
    },
  }
}
