import { createHash } from 'node:crypto'
import type { RedisCommands, RedisTransport, ScriptRunner } from '../redis/redis-commands.ts'
import { SCRIPTS, type ScriptName } from '../redis/scripts.ts'
import { type UpstashHttp, UpstashReplyError } from './upstash-http.ts'

/** The plain commands of the operation modules, each sent as the raw Redis command of its name over HTTP. */
export function createUpstashCommands(http: UpstashHttp): RedisCommands {
  const command =
    <N extends keyof RedisCommands>(name: N) =>
    (...args: Parameters<RedisCommands[N]>) =>
      http.send([name.toUpperCase(), ...args]) as ReturnType<RedisCommands[N]>
  return {
    set: command('set'),
    info: command('info'),
    sadd: command('sadd'),
    smembers: command('smembers'),
    mget: command('mget'),
    hmget: command('hmget'),
    lrange: command('lrange'),
    zadd: command('zadd'),
    zrem: command('zrem'),
    zmscore: command('zmscore'),
    zrange: command('zrange'),
    zrangebyscore: command('zrangebyscore'),
    zrevrangebyscore: command('zrevrangebyscore'),
    zremrangebyscore: command('zremrangebyscore'),
    xadd: command('xadd'),
    xrange: command('xrange'),
    xdel: command('xdel'),
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
  return { client: createUpstashCommands(http), run: createScriptRunner(http), ordered: false }
}
