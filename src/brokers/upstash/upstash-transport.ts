import { createHash } from 'node:crypto'
import type { RedisArg, RedisCommands, RedisTransport, ScriptRunner } from '../redis/redis-commands.ts'
import { SCRIPTS, type ScriptName } from '../redis/scripts.ts'
import { type UpstashHttp, UpstashReplyError } from './upstash-http.ts'

/** The plain commands of the operation modules, sent as raw Redis commands over HTTP. */
export class UpstashCommands implements RedisCommands {
  constructor(private readonly http: UpstashHttp) {}

  private cmd<T>(...command: RedisArg[]): Promise<T> {
    return this.http.send(command) as Promise<T>
  }
  set(key: string, value: string) {
    return this.cmd<unknown>('SET', key, value)
  }
  info(section: string) {
    return this.cmd<string>('INFO', section)
  }
  sadd(key: string, ...members: string[]) {
    return this.cmd<number>('SADD', key, ...members)
  }
  smembers(key: string) {
    return this.cmd<string[]>('SMEMBERS', key)
  }
  mget(...keys: string[]) {
    return this.cmd<(string | null)[]>('MGET', ...keys)
  }
  hmget(key: string, ...fields: string[]) {
    return this.cmd<(string | null)[]>('HMGET', key, ...fields)
  }
  lrange(key: string, start: number, stop: number) {
    return this.cmd<string[]>('LRANGE', key, start, stop)
  }
  zadd(key: string, score: number, member: string) {
    return this.cmd<unknown>('ZADD', key, score, member)
  }
  zrem(key: string, ...members: string[]) {
    return this.cmd<number>('ZREM', key, ...members)
  }
  zmscore(key: string, ...members: string[]) {
    return this.cmd<(string | null)[]>('ZMSCORE', key, ...members)
  }
  zrange(key: string, start: string, stop: string, withScores: 'WITHSCORES') {
    return this.cmd<string[]>('ZRANGE', key, start, stop, withScores)
  }
  zrangebyscore(key: string, min: RedisArg, max: RedisArg) {
    return this.cmd<string[]>('ZRANGEBYSCORE', key, min, max)
  }
  zrevrangebyscore(
    key: string,
    max: RedisArg,
    min: RedisArg,
    withScores: 'WITHSCORES',
    limit: 'LIMIT',
    offset: number,
    count: number,
  ) {
    return this.cmd<string[]>('ZREVRANGEBYSCORE', key, max, min, withScores, limit, offset, count)
  }
  zremrangebyscore(key: string, min: RedisArg, max: RedisArg) {
    return this.cmd<number>('ZREMRANGEBYSCORE', key, min, max)
  }
  xadd(key: string, ...args: RedisArg[]) {
    return this.cmd<string | null>('XADD', key, ...args)
  }
  xrange(key: string, start: string, end: string, countToken: 'COUNT', count: number) {
    return this.cmd<unknown[]>('XRANGE', key, start, end, countToken, count)
  }
  xdel(key: string, ...ids: string[]) {
    return this.cmd<number>('XDEL', key, ...ids)
  }
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

/**
 * Runs the scripts of ../redis/lua by SHA (EVALSHA) and falls back to the full text (EVAL) on
 * NOSCRIPT, as @upstash/redis's Script.exec does, but inside this turn's pipeline.
 */
export function createScriptRunner(http: UpstashHttp): ScriptRunner {
  const shas = new Map<ScriptName, string>()
  return async (name, keys, args) => {
    const { lua } = SCRIPTS[name]
    const sha = shas.get(name) ?? sha1(lua)
    shas.set(name, sha)
    try {
      return await http.send(['EVALSHA', sha, keys.length, ...keys, ...args])
    } catch (err) {
      if (!(err instanceof UpstashReplyError) || !err.reply.toUpperCase().startsWith('NOSCRIPT')) throw err
      return http.send(['EVAL', lua, keys.length, ...keys, ...args])
    }
  }
}

/** The Upstash side of the seam: no blocking pops, no ordering across one turn's pipeline. */
export function createUpstashTransport(http: UpstashHttp): RedisTransport {
  return { client: new UpstashCommands(http), run: createScriptRunner(http), ordered: false }
}
