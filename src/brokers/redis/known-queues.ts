import type { RedisKeys } from './keys.ts'
import type { RedisCommands } from './redis-commands.ts'

/** Re-announce a queue this often, so a registry lost with a non-persistent server heals itself. */
const REFRESH_MS = 60_000

/**
 * The registry of queue names (a set in its own slot). Operations that know only a task id
 * (getResult, revoke, requeueDead) and the admin views look through it; a queue joins when it
 * first receives a task. SADDs are remembered per process so the hot path rarely repeats them.
 */
export class KnownQueues {
  private readonly announced = new Map<string, number>()

  constructor(
    private readonly client: RedisCommands,
    private readonly keys: RedisKeys,
  ) {}

  /** Adds queues not announced lately; issue it in the same tick as the write it accompanies. */
  announce(queues: Iterable<string>): Promise<unknown> | null {
    const now = performance.now()
    const fresh: string[] = []
    for (const queue of queues) {
      const at = this.announced.get(queue)
      if (at === undefined || now - at > REFRESH_MS) fresh.push(queue)
    }
    if (fresh.length === 0) return null
    for (const queue of fresh) this.announced.set(queue, now)
    return this.client.sadd(this.keys.queues, ...fresh).catch((err: unknown) => {
      for (const queue of fresh) this.announced.delete(queue)
      throw err
    })
  }

  async list(): Promise<string[]> {
    return (await this.client.smembers(this.keys.queues)).sort()
  }
}
