import type { BrokerEngine } from '../brokers/broker.ts'
import { isBrokerUnavailable } from '../brokers/broker-unavailable.ts'
import { openBroker as openEngine } from '../brokers/create-broker.ts'
import { redactUrl } from '../brokers/redact-url.ts'
import { brokerOptions } from '../config/broker-options.ts'
import { loadConfig } from '../config/load-config.ts'
import { readConfigFile } from '../config/read-config-file.ts'
import { systemClock } from '../core/clock.ts'
import { CeleriacError } from '../core/errors.ts'
import { createLogger } from '../core/logger.ts'
import { createTaskServices } from '../tasks/task-services.ts'
import { buildRegistry } from './build-registry.ts'
import type { CliIo, CommandContext } from './command.ts'

/** How long the CLI waits for the broker's connections to close before exiting anyway. */
const CLOSE_WAIT_MS = 1_000

/** An unreachable broker named by its URL (password hidden), so the user sees which one; other errors pass. */
function unreachableBroker(url: string, err: unknown): unknown {
  if (!isBrokerUnavailable(err)) return err
  const cause = err instanceof Error ? err.message : String(err)
  return new CeleriacError('BROKER', `broker ${redactUrl(url)} is not reachable: ${cause}`)
}

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
  // A failed open is forgotten, so a role waiting for the broker tries afresh.
  const openBroker = () => {
    broker ??= openEngine(
      config.brokerUrl,
      brokerOptions(config, { clock: systemClock, log, create: kind.role }),
    ).catch((err: unknown) => {
      broker = null
      throw unreachableBroker(config.brokerUrl, err)
    })
    return broker
  }
  const services = createTaskServices({ config, log, clock: systemClock, broker: openBroker })
  const context: CommandContext = {
    config,
    io,
    log,
    registry: await buildRegistry(config, services, process.cwd(), io.compiledTasks),
    broker: openBroker,
  }
  const close = async () => {
    await services.close()
    const opened = await broker?.catch(() => null)
    // Closing sends a last command (Redis QUIT): a stalled broker must not hold the exit for its timeout.
    await Promise.race([opened?.close().catch(() => {}), Bun.sleep(CLOSE_WAIT_MS)])
  }
  return { context, close }
}
