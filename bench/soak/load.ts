/** The soak's producer: a steady mix of tasks through the HTTP API, each retried until accepted. */

export interface Accepted {
  key: string
  id: string
  task: string
}

type Pick = () => { task: string; input: unknown }

/** The mix the soak sends, by weight: quick, slow, failing once, email, image. */
const MIX: [number, (n: number) => ReturnType<Pick>][] = [
  [40, () => ({ task: 'debug.noop', input: {} })],
  [20, (n) => ({ task: 'debug.sleep', input: { ms: 20 + (n % 12) * 25 } })],
  [15, () => ({ task: 'debug.fail', input: { times: 1 } })],
  [
    15,
    (n) => ({
      task: 'email.send',
      input: {
        to: 'soak@example.com',
        template: 'notification',
        subject: `soak ${n}`,
        context: { message: `n=${n}` },
      },
    }),
  ],
  [10, () => ({ task: 'image.process', input: { file_path: 'soak.png', max_width: 32, max_height: 32 } })],
]
const TOTAL_WEIGHT = MIX.reduce((s, [w]) => s + w, 0)

function pick(n: number): ReturnType<Pick> {
  let r = (n * 7919) % TOTAL_WEIGHT
  for (const [weight, make] of MIX) {
    if (r < weight) return make(n)
    r -= weight
  }
  return (MIX[0] as (typeof MIX)[number])[1](n)
}

export interface LoadStats {
  accepted: Accepted[]
  /** Answers other than 2xx (503 during an outage, ...), by status; each was retried. */
  refusals: Map<string, number>
  /** Requests that never got an answer (connection refused or reset); each was retried. */
  networkErrors: number
  /** Tasks given up after the retry deadline: a violation (the API never took them). */
  abandoned: number
}

/**
 * Sends `rate` tasks a second until `stopAt`, at most `inFlight` at once. A refused or
 * unanswered request is retried with the same Idempotency-Key until accepted, so the ledger
 * holds exactly what the API accepted, once each.
 */
export async function runLoad(o: {
  base: string
  token: string
  rate: number
  stopAt: number
  inFlight: number
  giveUpAfterMs: number
}): Promise<LoadStats> {
  const stats: LoadStats = { accepted: [], refusals: new Map(), networkErrors: 0, abandoned: 0 }
  let n = 0
  const running = new Set<Promise<void>>()
  const started = Date.now()
  const send = async (i: number) => {
    const { task, input } = pick(i)
    const key = `soak-${i}`
    const deadline = Date.now() + o.giveUpAfterMs
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${o.base}/api/v1/tasks/${task}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${o.token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(input),
          signal: AbortSignal.timeout(10_000),
        })
        const body = (await res.json().catch(() => null)) as { task_id?: string } | null
        if (res.ok && body?.task_id) {
          stats.accepted.push({ key, id: body.task_id, task })
          return
        }
        const status = String(res.status)
        stats.refusals.set(status, (stats.refusals.get(status) ?? 0) + 1)
      } catch {
        stats.networkErrors++
      }
      await Bun.sleep(250)
    }
    stats.abandoned++
  }
  while (Date.now() < o.stopAt) {
    const due = Math.floor(((Date.now() - started) / 1000) * o.rate)
    while (n < due && running.size < o.inFlight) {
      const p = send(n++).finally(() => running.delete(p))
      running.add(p)
    }
    await Bun.sleep(10)
  }
  await Promise.all(running)
  return stats
}
