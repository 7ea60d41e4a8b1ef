import { isIP } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { RedisClient } from 'bun'
import { blockingSide } from './blocking-side.ts'
import type { RedisCommands, RedisWire } from './redis-commands.ts'
import type { RedisNode, RedisTarget } from './redis-url.ts'
import { evalShaRunner, type SendCommand, sendCommands } from './send-commands.ts'

/** How often the stall watchdog looks at the oldest unanswered command. */
const WATCHDOG_MS = 500
/** A blocking wait ends on the server within its own timeout; past this grace its socket is dead. */
const BLOCKING_GRACE_MS = 30_000

type Reply = unknown

/**
 * One of Bun's native Redis connections, behaving as our ioredis set-up does: a command sent while
 * the server is unreachable fails at once instead of queueing (it connects first, and fails if
 * that fails), and a command with no reply after `stallMs` fails (the connection is closed,
 * failing everything on it; the next command connects again).
 */
class BunConnection {
  readonly client: RedisClient
  private inflight = 0
  /** When a reply last arrived, or the first command after an idle spell was sent. */
  private progressAt = 0
  private readonly watchdog: ReturnType<typeof setInterval>
  private closed = false
  private connecting: Promise<void> | null = null

  constructor(
    url: string,
    /** Where a TLS connection goes, to ask why it failed; null without TLS. */
    private readonly tls: RedisNode | null,
    name: string,
    private readonly stallMs: number,
    private readonly onError: (err: Error) => void,
  ) {
    // Reconnects are ours (on the next command), so a dead server never holds commands in a queue.
    this.client = new RedisClient(url, {
      tls: tls !== null,
      connectionTimeout: 2_000,
      autoReconnect: false,
      enableOfflineQueue: false,
    })
    // Named as ioredis names its connections, so CLIENT LIST shows which one waits.
    this.client.onconnect = () => {
      this.client.send('CLIENT', ['SETNAME', name]).catch((err: Error) => this.onError(err))
    }
    this.client.onclose = (err) => {
      if (!this.closed && err) this.onError(err)
    }
    this.watchdog = setInterval(() => this.checkStall(), WATCHDOG_MS)
    this.watchdog.unref()
  }

  send(command: string, args: string[]): Promise<Reply> {
    if (!this.client.connected) return this.connectThenSend(command, args)
    if (this.inflight++ === 0) this.progressAt = performance.now()
    return this.client.send(command, args).then(
      (reply) => {
        this.inflight--
        this.progressAt = performance.now()
        return reply
      },
      (err: Error) => {
        this.inflight--
        this.progressAt = performance.now()
        throw err
      },
    )
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.watchdog)
    this.client.close()
  }

  private async connectThenSend(command: string, args: string[]): Promise<Reply> {
    if (this.closed) throw new Error('redis connection closed')
    // One connect at a time: every command that finds the connection down waits on the same one.
    this.connecting ??= this.client.connect().finally(() => {
      this.connecting = null
    })
    await this.connecting.catch(async (err: Error) => {
      const why = this.tls && (await tlsFailure(this.tls))
      if (!why) throw err
      this.onError(why)
      throw why
    })
    if (!this.client.connected) throw new Error('redis connection lost while connecting')
    return this.send(command, args)
  }

  private checkStall(): void {
    if (this.inflight === 0 || performance.now() - this.progressAt < this.stallMs) return
    this.onError(new Error(`no reply from redis in ${this.stallMs} ms; closing the connection`))
    this.progressAt = performance.now()
    // Fails every command on the connection (their callers retry or report); the next one reconnects.
    this.client.close()
  }
}

/**
 * Bun's client reports a refused TLS handshake only as "Connection closed": a TLS handshake of our
 * own gets the reason (an untrusted certificate, a wrong name), which start-up shows with its fix.
 */
function tlsFailure(node: RedisNode): Promise<Error | null> {
  return new Promise((resolve) => {
    const servername = isIP(node.host) ? undefined : node.host
    const socket = tlsConnect({ host: node.host, port: node.port, servername }, () => {
      socket.end()
      resolve(null)
    })
    socket.once('error', (err) => resolve(err))
    socket.setTimeout(2_000, () => {
      socket.destroy()
      resolve(null)
    })
  })
}

/** A score as Redis writes it in RESP2 (ioredis's shape): "inf" rather than JavaScript's "Infinity". */
const scoreText = (score: unknown): string =>
  score === Number.POSITIVE_INFINITY ? 'inf' : score === Number.NEGATIVE_INFINITY ? '-inf' : String(score)

/** RESP3 gives `WITHSCORES` replies as [member, score] pairs; the modules read RESP2's flat list. */
const flatPairs = (reply: Reply): string[] =>
  (reply as [string, unknown][]).flatMap(([member, score]) => [member, scoreText(score)])

/** One raw command over a connection: Bun's client takes the name and the arguments as text. */
const sender =
  (conn: BunConnection): SendCommand =>
  ([name, ...args]) =>
    conn.send(String(name), args.map(String))

/**
 * The plain commands in ioredis's reply shapes: Bun speaks RESP3, whose scores are numbers and
 * whose `WITHSCORES` replies are pairs.
 */
function commands(send: SendCommand): RedisCommands {
  const raw = sendCommands(send)
  return {
    ...raw,
    zmscore: async (key, ...members) =>
      ((await raw.zmscore(key, ...members)) as (number | null)[]).map((s) =>
        s === null ? null : scoreText(s),
      ),
    zrange: async (...args) => flatPairs(await raw.zrange(...args)),
    zrevrangebyscore: async (...args) => flatPairs(await raw.zrevrangebyscore(...args)),
  }
}

const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT')

/** The URL Bun's client takes: credentials and db from the parsed target (never logged). */
function clientUrl(target: RedisTarget, node: RedisNode): string {
  const host = node.host.includes(':') ? `[${node.host}]` : node.host
  const user = encodeURIComponent(target.username ?? '')
  const auth = target.password !== undefined ? `${user}:${encodeURIComponent(target.password)}@` : ''
  return `${target.tls ? 'rediss' : 'redis'}://${auth}${host}:${node.port}/${target.db}`
}

/**
 * The transport on Bun's built-in Redis client (`?client=bun`): about half of ioredis's CPU per
 * command. One auto-pipelined connection for scripts and commands, one for blocking waits. A
 * single server only (Bun's client has no cluster support) and Redis 6 or later (it speaks RESP3).
 */
export function connectBun(target: RedisTarget, commandTimeoutMs: number): RedisWire {
  const listeners: ((err: Error) => void)[] = []
  const onError = (err: Error) => {
    for (const l of listeners) l(err)
  }
  const node = target.nodes[0] as RedisNode
  const url = clientUrl(target, node)
  const tls = target.tls ? node : null
  const main = new BunConnection(url, tls, 'celeriac', commandTimeoutMs, onError)
  const wait = new BunConnection(url, tls, 'celeriac-wait', BLOCKING_GRACE_MS, onError)
  const send = sender(main)
  const run = evalShaRunner(send, isNoScript)
  const blocking = blockingSide(
    (...args) => wait.send('BLPOP', args),
    evalShaRunner(sender(wait), isNoScript),
  )
  return {
    client: commands(send),
    run,
    ordered: true,
    blocking,
    onError: (listener) => listeners.push(listener),
    // Bun selects the URL's db while connecting and fails the connection when it cannot, so a db
    // the server lacks fails ping with the server's own words.
    ping: () => main.send('PING', []),
    checkDb: (db) => main.send('SELECT', [String(db)]),
    safetyNodes: () => [
      {
        where: `${node.host}:${node.port}`,
        info: (section) => main.send('INFO', [section]) as Promise<string>,
        // RESP3 answers CONFIG GET with a map; the check reads RESP2's [name, value] list.
        config: async (...args) => Object.entries((await main.send('CONFIG', args)) as object).flat(),
      },
    ],
    async close() {
      await wait.close()
      await main.close()
    },
  }
}
