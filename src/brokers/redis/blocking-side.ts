import type { RedisTransport, ScriptRunner } from './redis-commands.ts'

type Blpop = (...args: [...keys: string[], timeoutSeconds: string]) => Promise<unknown>

/**
 * A blocking connection's wait, and its wait followed by a script (sent together, run in order),
 * from the connection's own BLPOP and script runner: the same for every client.
 */
export function blockingSide(blpop: Blpop, run: ScriptRunner): NonNullable<RedisTransport['blocking']> {
  return {
    blpop,
    async blpopThenRun(pop, ...script) {
      const popped = blpop(...pop)
      const ran = run(...script)
      // Both settle: a failed pop (timeout, lost connection) must not leave the script's rejection unheard.
      const [a, b] = await Promise.allSettled([popped, ran])
      if (b.status === 'rejected') throw b.reason
      return [a.status === 'fulfilled' ? a.value : null, b.value]
    },
  }
}
