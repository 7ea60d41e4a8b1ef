import type { ScriptName } from './scripts.ts'

export type RedisArg = string | number

/** Runs a script of SCRIPTS by name: keys first, then arguments (all sent as strings). */
export type ScriptRunner = (name: ScriptName, keys: string[], args: RedisArg[]) => Promise<unknown>

/**
 * The plain commands the operation modules send, with the reply shapes ioredis gives them. An
 * ioredis client satisfies it as it is; the Upstash engine implements it over HTTP. Anything
 * that changes more than one key is a script, never a sequence of these.
 */
export interface RedisCommands {
  set(key: string, value: string): Promise<unknown>
  info(section: string): Promise<string>
  sadd(key: string, ...members: string[]): Promise<number>
  smembers(key: string): Promise<string[]>
  mget(...keys: string[]): Promise<(string | null)[]>
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>
  lrange(key: string, start: number, stop: number): Promise<string[]>
  zadd(key: string, score: number, member: string): Promise<unknown>
  zrem(key: string, ...members: string[]): Promise<number>
  zmscore(key: string, ...members: string[]): Promise<(string | null)[]>
  zrange(key: string, start: string, stop: string, withScores: 'WITHSCORES'): Promise<string[]>
  zrangebyscore(key: string, min: RedisArg, max: RedisArg): Promise<string[]>
  zrevrangebyscore(
    key: string,
    max: RedisArg,
    min: RedisArg,
    withScores: 'WITHSCORES',
    limit: 'LIMIT',
    offset: number,
    count: number,
  ): Promise<string[]>
  zremrangebyscore(key: string, min: RedisArg, max: RedisArg): Promise<number>
  xadd(key: string, ...args: RedisArg[]): Promise<string | null>
  xrange(key: string, start: string, end: string, countToken: 'COUNT', count: number): Promise<unknown[]>
  xdel(key: string, ...ids: string[]): Promise<number>
}

/**
 * The seam between the operation modules and the wire: ioredis over TCP (connect.ts) or
 * @upstash/redis over HTTP (../upstash/). Both run the same scripts with the same keys.
 */
export interface RedisTransport {
  readonly client: RedisCommands
  readonly run: ScriptRunner
  /**
   * True when commands issued in one tick reach the server in issue order (one connection), so a
   * read sent right after a script sees its effect. False over HTTP: an EVALSHA refused with
   * NOSCRIPT is sent again as EVAL after the rest of its batch has run.
   */
  readonly ordered: boolean
  /** Waits on lists (BLPOP); absent where the transport cannot block (HTTP), and reserve polls. */
  readonly blocking?: {
    blpop(...args: [...keys: string[], timeoutSeconds: string]): Promise<unknown>
    /**
     * BLPOP, then a script sent right behind it on the same connection: the server runs the
     * script the moment the pop returns, so a wake-up and what it woke for take one round trip.
     */
    blpopThenRun(
      pop: [...keys: string[], timeoutSeconds: string],
      ...script: Parameters<ScriptRunner>
    ): Promise<[unknown, unknown]>
  }
  /**
   * Holds the command connection's writes until `releaseWrites` or the end of this turn (one
   * setImmediate), so they leave in one socket write and the server reads them as one. A settle
   * of one task holds and the claim sent after it releases: a worker's outcome and its next claim
   * share one write instead of two. Absent where one turn's commands already leave together
   * (Bun's client) or cannot (HTTP).
   */
  holdWrites?(): void
  releaseWrites?(): void
  /** Closes the connections; absent where there is none to close (HTTP keep-alive). */
  close?(): Promise<void>
}

/** One server as the start-up safety check reads it (CONFIG GET in RESP2's [name, value] shape). */
export interface SafetyNode {
  /** host:port, for the messages. */
  readonly where: string
  config(...args: string[]): Promise<unknown>
  info(section: string): Promise<string>
}

/**
 * A transport over TCP to a server of one's own (ioredis, or Bun's client): it blocks, keeps
 * issue order, and answers the broker's start-up checks.
 */
export interface RedisWire extends RedisTransport {
  readonly ordered: true
  readonly blocking: NonNullable<RedisTransport['blocking']>
  /** Connection errors as they happen (commands report their own; this says why). */
  onError(listener: (err: Error) => void): void
  /** Reaches the server; resolves once a command round trip succeeded. */
  ping(): Promise<unknown>
  /** Makes sure commands run in this db (a client that silently fell back to db 0 fails here). */
  checkDb(db: number): Promise<unknown>
  /** The servers whose configuration decides whether tasks survive (every master of a cluster). */
  safetyNodes(): SafetyNode[]
  close(): Promise<void>
}
