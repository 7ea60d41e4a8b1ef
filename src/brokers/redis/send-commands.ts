import type { RedisArg, RedisCommands, ScriptRunner } from './redis-commands.ts'
import { SCRIPTS, type ScriptName } from './scripts.ts'

/** Sends one raw command (its name first) and resolves with the server's reply. */
export type SendCommand = (command: RedisArg[]) => Promise<unknown>

/**
 * The plain commands of the operation modules, each sent as the raw Redis command of its name,
 * for a wire that speaks raw commands (Upstash over HTTP, Bun's client) rather than ioredis's API.
 */
export function sendCommands(send: SendCommand): RedisCommands {
  const command =
    <N extends keyof RedisCommands>(name: N) =>
    (...args: Parameters<RedisCommands[N]>) =>
      send([name.toUpperCase(), ...args]) as ReturnType<RedisCommands[N]>
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

const sha1 = (lua: string): string => new Bun.CryptoHasher('sha1').update(lua).digest('hex')

/**
 * Runs the scripts of ./lua by SHA (EVALSHA) and sends the full text (EVAL) once the server says
 * it lacks it (`isNoScript`), inside the caller's own pipeline.
 */
export function evalShaRunner(send: SendCommand, isNoScript: (err: unknown) => boolean): ScriptRunner {
  const shas = new Map<ScriptName, string>()
  return async (name, keys, args) => {
    const { lua } = SCRIPTS[name]
    let sha = shas.get(name)
    if (sha === undefined) {
      sha = sha1(lua)
      shas.set(name, sha)
    }
    try {
      return await send(['EVALSHA', sha, keys.length, ...keys, ...args])
    } catch (err) {
      if (!isNoScript(err)) throw err
      return send(['EVAL', lua, keys.length, ...keys, ...args])
    }
  }
}
