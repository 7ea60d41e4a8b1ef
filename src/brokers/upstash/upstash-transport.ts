import type { RedisTransport } from '../redis/redis-commands.ts'
import { evalShaRunner, sendCommands } from '../redis/send-commands.ts'
import { type UpstashHttp, UpstashReplyError } from './upstash-http.ts'

const isNoScript = (err: unknown): boolean =>
  err instanceof UpstashReplyError && err.reply.toUpperCase().startsWith('NOSCRIPT')

/** The Upstash side of the seam: no blocking pops, no ordering across one turn's pipeline. */
export function createUpstashTransport(http: UpstashHttp): RedisTransport {
  const send = (command: Parameters<UpstashHttp['send']>[0]) => http.send(command)
  return { client: sendCommands(send), run: evalShaRunner(send, isNoScript), ordered: false }
}
