import type { BrokerEngine } from '../brokers/broker.ts'
import { openBroker as openEngine } from '../brokers/create-broker.ts'
import { brokerOptions } from '../config/broker-options.ts'
import { loadConfig } from '../config/load-config.ts'
import { readConfigFile } from '../config/read-config-file.ts'
import { systemClock } from '../core/clock.ts'
import { createLogger } from '../core/logger.ts'
import { createTaskServices } from '../tasks/task-services.ts'
import { buildRegistry } from './build-registry.ts'
import type { CliIo, CommandContext } from './command.ts'

/** Loads config and the tasks (the user's modules too) and wires what every command may need; the broker opens only if asked for. */
export async function createContext(
  flags: Readonly<Record<string, string | boolean>>,
  io: CliIo,
  kind: { role: boolean } = { role: false },
): Promise<{ context: CommandContext; close(): Promise<void> }> {
  const config = loadConfig({ env: io.env, flags, file: readConfigFile(io.env, flags) })
  let broker: Promise<BrokerEngine> | null = null
  const log = createLogger({ level: config.logLevel, json: config.logJson })
  // openEngine also runs the engine's start-up checks (Redis: eviction policy, persistence).
  const openBroker = () => {
    broker ??= openEngine(
      config.brokerUrl,
      brokerOptions(config, { clock: systemClock, log, create: kind.role }),
    )
    return broker
  }
  const services = createTaskServices({ config, log, clock: systemClock, broker: openBroker })
  const context: CommandContext = {
    config,
    io,
    log,
    registry: await buildRegistry(config, services, process.cwd()),
    broker: openBroker,
  }
  const close = async () => {
    await services.close()
    await (await broker?.catch(() => null))?.close()
  }
  return { context, close }
}
