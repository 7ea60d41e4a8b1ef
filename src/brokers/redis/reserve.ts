import type { TaskMessage } from '../../core/message.ts'
import type { Lease, ReserveRequest } from '../broker.ts'
import type { EventRecord } from './event-log.ts'
import type { RedisContext } from './redis-context.ts'
import { waitArgs, waitFailed, waitForWork } from './wait-for-work.ts'

interface Pass {
  leases: Lease[]
  /** Earliest runAt of a delayed task among queues with nothing due, or null. */
  nextDue: number | null
}

/**
 * Claims up to `max` tasks, queue by queue in the order given (one script each, so each queue's
 * claim and lease record are one atomic step). With nothing due and `waitMs` set, waits on the
 * queues' signal lists, never past the next delayed task's due time. On a wall clock the claim of
 * the first queue rides behind the wait on the same connection, so a wake-up comes back with its
 * task (one round trip); otherwise, or when that claim found nothing, it claims once more.
 *
 * A claim that came back short emptied every queue it was asked for. The next reserve of the same
 * queues then goes straight to the wait: whatever became due since pushed a wake-up token (enqueue,
 * retry, release, recovery and the gates all do), so the wait returns at once with it. Tasks that
 * arrive one at a time thus cost one round trip each instead of two (claim, then wait). Delayed
 * tasks push no token, so the wait still ends at the earliest one that claim saw, as it would have.
 */
export function createReserve(ctx: RedisContext) {
  const claim = createClaim(ctx)
  /** The queues (joined) this process's last claim emptied, and the earliest delayed task it saw. */
  let emptied: { queues: string; nextDue: number | null } | null = null
  const remember = (req: ReserveRequest, queues: string, pass: Pass): void => {
    emptied = pass.leases.length < req.max ? { queues, nextDue: pass.nextDue } : null
  }
  return async (req: ReserveRequest): Promise<Lease[]> => {
    if (req.max <= 0 || req.queues.length === 0) return []
    const known = emptied
    emptied = null
    const queues = req.queues.join('\n')
    const canWait = req.waitMs !== undefined && req.waitMs > 0 && ctx.conn.blocking !== undefined
    let nextDue: number | null
    if (canWait && ctx.clock.wall && known?.queues === queues) {
      nextDue = known.nextDue
    } else {
      const first = await claim(req)
      remember(req, queues, first)
      // A transport that cannot block (HTTP) ignores waitMs, as the interface allows: the worker polls.
      if (first.leases.length > 0 || !canWait) return first.leases
      nextDue = first.nextDue
    }
    const waitMs = Math.min(
      req.waitMs ?? 0,
      nextDue === null ? Number.POSITIVE_INFINITY : nextDue - ctx.clock.now(),
    )
    if (waitMs > 0 && ctx.clock.wall) {
      const woken = await waitThenClaim(ctx, req, waitMs)
      // One queue: the claim behind the wait ran when it ended, so an empty one needs no second.
      if (woken !== null && (woken.leases.length > 0 || req.queues.length === 1)) {
        // That claim asked for the first queue only, so only that queue can it have emptied: with
        // several queues the key differs from `queues`, and the next reserve claims first.
        remember(req, req.queues[0] as string, woken)
        return woken.leases
      }
    } else if (waitMs > 0) {
      await waitForWork(ctx, req.queues, waitMs)
    }
    const again = await claim(req)
    remember(req, queues, again)
    return again.leases
  }
}

/** The reserve script's arguments for one queue; `now` "" lets the server take its own time. */
function claimCall(
  ctx: RedisContext,
  req: ReserveRequest,
  queue: string,
  now: number | '',
  want: number,
  tokenBase: string,
) {
  const k = ctx.keys.queue(queue)
  const keys = [k.ready, k.delayed, k.leases, k.done, k.signal]
  const args = [k.taskPrefix, now, want, req.leaseMs, req.worker, tokenBase, ctx.resultTtlMs]
  return { keys, args }
}

/** Waits on the signal lists with the first queue's claim sent right behind the wait. */
async function waitThenClaim(ctx: RedisContext, req: ReserveRequest, waitMs: number): Promise<Pass | null> {
  const blocking = ctx.conn.blocking
  if (!blocking) return null
  const queue = req.queues[0] as string
  const wait = waitArgs(ctx, req.queues, waitMs)
  const { keys, args } = claimCall(ctx, req, queue, '', req.max, nextTokenBase())
  let reply: Reply
  try {
    ;[, reply] = (await blocking.blpopThenRun(wait, 'reserve', keys, args)) as [unknown, Reply]
  } catch (err) {
    await waitFailed(ctx, err)
    return null
  }
  const pass: Pass = { leases: [], nextDue: null }
  const events: EventRecord[] = []
  collect(reply, { queue, now: Number(reply[3]), req }, pass, events)
  ctx.events.append(events)
  return pass
}

function createClaim(ctx: RedisContext) {
  const { conn, clock } = ctx
  return async (req: ReserveRequest): Promise<Pass> => {
    const now = clock.now()
    const base = nextTokenBase()
    const pass: Pass = { leases: [], nextDue: null }
    ctx.events.sendWithNext()
    const events: EventRecord[] = []
    for (const queue of req.queues) {
      const want = req.max - pass.leases.length
      if (want <= 0) break
      const { keys, args } = claimCall(ctx, req, queue, now, want, `${base}:${pass.leases.length}`)
      const call = conn.run('reserve', keys, args)
      // Sends the outcomes a settle held back together with this claim.
      conn.releaseWrites?.()
      const reply = (await call) as Reply
      collect(reply, { queue, now, req }, pass, events)
    }
    ctx.events.append(events)
    return pass
  }
}

/** Random per process; with the counter, every claim's token base is unique without a UUID per claim. */
const PROCESS_TOKEN = crypto.randomUUID()
let claims = 0
const nextTokenBase = (): string => `${PROCESS_TOKEN}.${(claims++).toString(36)}`

/** claimed, revoked, nextDue, and the `now` the script used. */
type Reply = [(string | number)[], string[], string, string]

interface CallInfo {
  queue: string
  now: number
  req: ReserveRequest
}

/** Turns one queue's reply into leases and events. */
function collect(reply: Reply, call: CallInfo, pass: Pass, events: EventRecord[]): void {
  const { queue, now, req } = call
  const [claimed, revoked, nextDue] = reply
  for (let i = 0; i < claimed.length; i += 6) {
    const id = String(claimed[i])
    const message = JSON.parse(String(claimed[i + 1])) as TaskMessage
    const attempt = Number(claimed[i + 2])
    pass.leases.push({
      id,
      token: String(claimed[i + 5]),
      message,
      attempt,
      retries: Number(claimed[i + 3]),
      redelivered: claimed[i + 4] === 1,
      expiresAt: now + req.leaseMs,
    })
    const data = `{"worker":${JSON.stringify(req.worker)},"attempt":${attempt}}`
    events.push({ type: 'task:received', at: now, taskId: id, task: message.task, queue, data })
  }
  for (let i = 0; i < revoked.length; i += 3) {
    const data = `{"reason":"${revoked[i + 2]}"}`
    events.push({
      type: 'task:revoked',
      at: now,
      taskId: revoked[i] as string,
      task: revoked[i + 1] as string,
      queue,
      data,
    })
  }
  if (nextDue !== '') pass.nextDue = Math.min(pass.nextDue ?? Number.POSITIVE_INFINITY, Number(nextDue))
}
