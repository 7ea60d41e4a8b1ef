import type { RedisServerProcess } from '../../test/brokers/redis-server-process.ts'
import type { RoleProcess } from './processes.ts'

export interface FaultLog {
  total: number
  /** Roles that were killed and restarted: a new process, so their memory is not compared. */
  killed: Set<string>
  summary(): string
}

/** The beat that leads now: the last of its leader lines says it leads. */
function leaderOf(beats: RoleProcess[]): RoleProcess | undefined {
  return beats.find((b) => b.log.lastIndexOf('beat: leading') > b.log.lastIndexOf('beat: lost the leader'))
}

/**
 * Runs the faults at fixed points of the soak, each on its own timer: kill -9 of a worker (twice,
 * restarted after a second), a pause of a worker past its lease, kill -9 of the beat leader, and
 * with Redis two kill -9 + restarts of the server (appendfsync always: nothing acknowledged is lost).
 */
export async function runFaults(o: {
  roles: { workers: RoleProcess[]; beats: RoleProcess[] }
  redis: RedisServerProcess | null
  start: number
  seconds: number
  leaseMs: number
}): Promise<FaultLog> {
  const counts = new Map<string, number>()
  const killed = new Set<string>()
  const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1)
  const at = async (fraction: number, action: () => Promise<void>) => {
    await Bun.sleep(Math.max(0, o.start + o.seconds * 1_000 * fraction - Date.now()))
    await action()
  }
  const killWorker = (worker: RoleProcess | undefined) => async () => {
    if (!worker) return
    await worker.kill9()
    killed.add(worker.name)
    count('worker kill -9')
    await Bun.sleep(1_000)
    worker.restart()
  }
  const [w1, w2, w3] = o.roles.workers
  const faults = [
    at(0.15, killWorker(w1)),
    at(0.3, async () => {
      if (!w2) return
      w2.signal('SIGSTOP')
      count('worker paused past its lease')
      await Bun.sleep(o.leaseMs + 3_000)
      w2.signal('SIGCONT')
    }),
    at(0.45, async () => {
      const leader = leaderOf(o.roles.beats)
      if (!leader) return
      await leader.kill9()
      killed.add(leader.name)
      count('beat leader kill -9')
      await Bun.sleep(1_000)
      leader.restart()
    }),
    at(0.7, killWorker(w3)),
  ]
  const redis = o.redis
  if (redis) {
    for (const fraction of [0.6, 0.8]) {
      faults.push(
        at(fraction, async () => {
          await redis.kill9()
          count('redis kill -9 + restart')
          await Bun.sleep(1_000)
          await redis.restart()
        }),
      )
    }
  }
  await Promise.all(faults)
  return {
    total: [...counts.values()].reduce((s, n) => s + n, 0),
    killed,
    summary: () => [...counts].map(([what, n]) => `${n}x ${what}`).join(', ') || 'none',
  }
}
