import type { RedisTransport, ScriptRunner } from './redis-commands.ts'
import type { WriteHold } from './write-hold.ts'

type Blpop = (...args: [...keys: string[], timeoutSeconds: string]) => Promise<unknown>

/**
 * A blocking connection's wait, and its wait followed by a script (sent together, run in order),
 * from the connection's own BLPOP and script runner: the same for every client. `writes` is given
 * where each command would otherwise leave in a socket write of its own (ioredis): the wait and
 * its claim then go out as one write, so a wake-up costs the worker one syscall, not two.
 */
export function blockingSide(
  blpop: Blpop,
  run: ScriptRunner,
  writes: WriteHold | null = null,
): NonNullable<RedisTransport['blocking']> {
  return {
    blpop,
    async blpopThenRun(pop, ...script) {
      writes?.hold()
      const popped = blpop(...pop)
      const ran = run(...script)
      writes?.release()
      // Both settle: a failed pop (timeout, lost connection) must not leave the script's rejection unheard.
      const [a, b] = await Promise.allSettled([popped, ran])
      if (b.status === 'rejected') throw b.reason
      return [a.status === 'fulfilled' ? a.value : null, b.value]
    },
  }
}
