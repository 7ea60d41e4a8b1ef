import type { CreateBrokerOptions } from '../brokers/create-broker.ts'
import type { Clock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { Config } from './config-schema.ts'

/** The options every broker is opened with, from the config: one place for the CLI and the library. */
export function brokerOptions(
  config: Config,
  deps: { clock: Clock; log: Logger; create?: boolean },
): CreateBrokerOptions {
  return {
    create: deps.create ?? true,
    clock: deps.clock,
    log: deps.log,
    resultTtlMs: config.resultTtlMs,
    sync: config.sqliteSync,
    allowEviction: config.allowEviction,
    upstash: { token: config.upstashToken, idlePollMs: config.upstashIdlePollMs },
    payloadKeys: { signing: config.signingKeys, encryption: config.encryptionKeys },
  }
}
