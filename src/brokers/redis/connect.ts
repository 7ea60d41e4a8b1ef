import { Cluster, Redis, type RedisOptions } from 'ioredis'
import { blockingSide } from './blocking-side.ts'
import type { RedisWire, SafetyNode, ScriptRunner } from './redis-commands.ts'
import type { RedisTarget } from './redis-url.ts'
import { SCRIPTS } from './scripts.ts'
import { defineTracingHasSubscribers } from './tracing-channel-shim.ts'
import { writeHold } from './write-hold.ts'

export type { ScriptRunner } from './redis-commands.ts'

export type RedisClient = Redis | Cluster

/** The ioredis transport: one command connection (in issue order) and one for blocking waits. */
export interface RedisConnections extends RedisWire {
  /**
   * Scripts and plain commands, written in issue order. Not auto-pipelined: our callers batch
   * already (group commit, settle batches, multi-task claims), and ioredis's auto-pipelining
   * builds a pipeline per tick and sends it one event-loop turn later. Measured with
   * bench/vs-bullmq.ts: one-at-a-time enqueue 38,600/s with it, 46,000-58,000/s without;
   * drain at concurrency 1 3,500-3,750/s with it, 3,950-4,480/s without.
   */
  readonly client: RedisClient
  /** The connection only blocking waits use, so a parked wait never delays other commands. */
  readonly waitClient: RedisClient
}

/** Reconnect at once, then back off to 1 s: a restarted server is used again within about a second. */
const retryStrategy = (times: number): number => Math.min(50 * 2 ** Math.max(0, times - 1), 1_000)

/**
 * Tuned so enqueue fails fast while the server is down and workers resume once it is back:
 * reconnects fast; a command issued while disconnected waits through at most two reconnect
 * attempts (a few hundred ms) and then fails, instead of hanging; a stalled server fails a command
 * after `commandTimeoutMs`. Blocking waits are re-issued by the caller.
 */
function baseOptions(target: RedisTarget, commandTimeoutMs: number): RedisOptions {
  return {
    username: target.username,
    password: target.password,
    db: target.db,
    tls: target.tls ? {} : undefined,
    protocol: 2,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: false,
    connectionName: 'celeriac',
    disableClientInfo: true,
  }
}

function open(target: RedisTarget, options: RedisOptions): RedisClient {
  if (target.mode === 'cluster') {
    return new Cluster(target.nodes, {
      redisOptions: { ...options, db: undefined },
      clusterRetryStrategy: retryStrategy,
      enableAutoPipelining: false,
      slotsRefreshTimeout: 2_000,
    })
  }
  const node = target.nodes[0] as { host: string; port: number }
  return new Redis({ ...options, host: node.host, port: node.port, retryStrategy })
}

function register(client: RedisClient): ScriptRunner {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    client.defineCommand(`celeriac_${name}`, { lua: script.lua, numberOfKeys: script.numberOfKeys })
  }
  const commands = client as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>
  return (name, keys, args) => {
    const command = commands[`celeriac_${name}`] as (...args: (string | number)[]) => Promise<unknown>
    return command.call(client, ...keys, ...args)
  }
}

export function connect(target: RedisTarget, commandTimeoutMs: number): RedisConnections {
  defineTracingHasSubscribers()
  const client = open(target, baseOptions(target, commandTimeoutMs))
  // No command timeout on the blocking connection: its waits are long by design. The client-side
  // blocking timeout still ends a wait whose reply never comes (a half-open socket).
  const blocking = open(target, {
    ...baseOptions(target, commandTimeoutMs),
    commandTimeout: undefined,
    blockingTimeout: 30_000,
    blockingTimeoutGrace: 1_000,
    connectionName: 'celeriac-wait',
  })
  const close = async (): Promise<void> => {
    blocking.disconnect()
    await client.quit().catch(() => client.disconnect())
  }
  // A cluster spreads commands over a socket per node: there is no one write to hold.
  const writes = client instanceof Redis ? writeHold(client) : null
  return {
    client,
    waitClient: blocking,
    holdWrites: writes?.hold,
    releaseWrites: writes?.release,
    blocking: blockingSide(
      (...args) => blocking.blpop(...(args as [string, string])),
      register(blocking),
      blocking instanceof Redis ? writeHold(blocking) : null,
    ),
    run: register(client),
    ordered: true,
    close,
    onError(listener) {
      for (const c of [client, blocking]) c.on('error', listener)
    },
    ping: () => client.ping(),
    // ioredis answers a failed SELECT at connect with an 'error' event and goes on in db 0, so a
    // db the server lacks (`/99` on a 16-db server) would silently share db 0: ask explicitly.
    checkDb: (db) => (client instanceof Cluster || db === 0 ? Promise.resolve() : client.select(db)),
    safetyNodes: () => (client instanceof Cluster ? client.nodes('master') : [client]).map(safetyNode),
  }
}

function safetyNode(node: Redis): SafetyNode {
  return {
    where: `${node.options.host ?? '?'}:${node.options.port ?? '?'}`,
    config: (...args) => (node.config as (...a: string[]) => Promise<unknown>)(...args),
    info: (section) => node.info(section),
  }
}
