import { hostname } from 'node:os'
import { celeryMetaKey, encodeResultMeta } from '../../../celery/result-meta.ts'
import type { RevokedIds } from '../../../celery/revoked-ids.ts'
import type { Clock } from '../../../core/clock.ts'
import type { Json } from '../../../core/json.ts'
import type { Logger } from '../../../core/logger.ts'
import type { AnyTask } from '../../../core/task.ts'
import type {
  Broker,
  ExtendOutcome,
  Lease,
  RecoverOutcome,
  ReserveRequest,
  Settlement,
  SettleOutcome,
} from '../../broker.ts'
import { type CeleryDelivery, decideDelivery } from './celery-delivery.ts'
import type { CeleryEventPublisher } from './celery-event-publisher.ts'
import { toCelerySettleOp } from './celery-settlement.ts'
import type { CelerySettleOp, CeleryStore } from './celery-store.ts'

export interface CeleryBrokerOptions {
  /** Our own broker: heartbeats, control, rate limits and events stay there. */
  base: Broker
  store: CeleryStore
  findTask: (name: string) => AnyTask | undefined
  clock: Clock
  log: Logger
  /** Our workers renew claims at least this often; a claim older than this is lost. */
  leaseMs: number
  /** kombu's visibility_timeout: how long a Python worker's claim is left alone. */
  visibilityTimeoutMs: number
  exceptionClasses: readonly string[]
  /** Ids `celery control revoke` named: never started, and stopped when running with terminate. */
  revoked: RevokedIds
  /** Celery's monitoring events, when `celeryEvents` is on. */
  events?: CeleryEventPublisher | null
  /**
   * Whether STARTED goes to celery-task-meta (`--track-started`). With events on, the worker
   * reports every start so task-started is sent; the meta is written only when this is true.
   */
  writeStarted?: boolean
  /** Closes what was opened beside the store (the control listener). */
  onClose?: () => Promise<void>
}

/**
 * The worker-facing half of the Broker interface over kombu's Redis lists: reserve claims
 * messages Python Celery sent, settle writes results AsyncResult can read. Everything else
 * (heartbeats, control, rate limits, the dashboard's data) goes to the base broker.
 */
export function createCeleryBroker(o: CeleryBrokerOptions): Broker {
  const { base, store, clock, log } = o
  const held = new Map<string, CeleryDelivery>()

  const reserve = async (req: ReserveRequest): Promise<Lease[]> => {
    if (req.max <= 0 || req.queues.length === 0) return []
    const now = clock.now()
    const leases: Lease[] = []
    // Messages settled at once (refused, expired, revoked, parked): recorded together after the loop.
    const settledNow: CelerySettleOp[] = []
    for (const claimed of await store.claim(req.queues, req.max, now)) {
      const decision = decideDelivery(claimed, o.findTask, now, (id) => o.revoked.get(id, now) !== null)
      if (decision.kind === 'settle') {
        settledNow.push(decision.op)
        const level = decision.why === 'parked' ? 'debug' : 'warn'
        log[level](`celery message ${decision.why}`, { queue: claimed.list, detail: decision.detail })
        continue
      }
      const d = decision.delivery
      held.set(claimed.token, d)
      o.events?.received(d)
      leases.push({
        id: d.request.id,
        token: claimed.token,
        message: d.message,
        attempt: d.request.retries + 1,
        retries: d.request.retries,
        redelivered: d.redelivered,
        expiresAt: now + req.leaseMs,
      })
    }
    await store.settleMany(settledNow)
    return leases
  }

  /** Everything the worker finished in one turn is recorded in one script call. */
  const settle = async (settlements: Settlement[]): Promise<SettleOutcome[]> => {
    const ctx = { now: clock.now(), exceptionClasses: o.exceptionClasses }
    const known = settlements.map((s) => held.get(s.lease.token))
    const ops: CelerySettleOp[] = []
    settlements.forEach((s, i) => {
      const d = known[i]
      if (d) ops.push(toCelerySettleOp(s, d, ctx))
    })
    const replies = await store.settleMany(ops)
    let next = 0
    return settlements.map((s, i): SettleOutcome => {
      const d = known[i]
      if (!d) return 'lease_lost'
      const reply = replies[next++] ?? 'lease_lost'
      held.delete(s.lease.token)
      if (reply !== 'lease_lost') o.events?.settled(d, s)
      if (reply === 'success_kept')
        log.warn('celery result already SUCCESS; left as it was', { id: d.request.id })
      return reply === 'lease_lost' ? 'lease_lost' : 'ok'
    })
  }

  const setState = async (
    lease: Lease,
    state: 'STARTED' | 'PROGRESS',
    meta?: Json,
  ): Promise<SettleOutcome> => {
    const d = held.get(lease.token)
    if (!d) return 'lease_lost'
    if (state === 'STARTED') {
      o.events?.started(d)
      if (o.writeStarted === false) return 'ok'
    }
    const result = state === 'STARTED' ? { pid: process.pid, hostname: hostname() } : (meta ?? null)
    const encoded = d.request.ignoreResult
      ? null
      : encodeResultMeta({
          id: d.request.id,
          status: state,
          result,
          now: clock.now(),
          parentId: d.request.parentId,
        })
    const op = {
      tag: d.claimed.tag,
      token: d.claimed.token,
      metaKey: celeryMetaKey(d.request.id),
      meta: encoded,
      action: 'keep' as const,
    }
    return (await store.settle(op)) === 'lease_lost' ? 'lease_lost' : 'ok'
  }

  const extendLeases = async (leases: Lease[]): Promise<ExtendOutcome[]> => {
    const known = leases.map((l) => held.get(l.token))
    const pairs = known.flatMap((d) => (d ? [{ tag: d.claimed.tag, token: d.claimed.token }] : []))
    const now = clock.now()
    const renewed = await store.extend(pairs, now)
    let next = 0
    return leases.map((l, i) => ({
      id: l.id,
      ok: known[i] ? renewed[next++] === true : false,
      revoked: o.revoked.get(l.id, now),
    }))
  }

  const recoverExpired = async (): Promise<RecoverOutcome> => {
    const requeued = await store.recover(clock.now(), o.leaseMs, o.visibilityTimeoutMs)
    return { requeued, dead: [] }
  }

  return {
    engine: `celery+${base.engine}`,
    capabilities: { blockingReserve: false },
    enqueue: (messages, options) => base.enqueue(messages, options),
    reserve,
    settle,
    extendLeases,
    setState,
    recoverExpired,
    getResult: (id) => base.getResult(id),
    revoke: (id, options) => base.revoke(id, options),
    acquireRate: (key, limit) => base.acquireRate(key, limit),
    heartbeat: (info) => base.heartbeat(info),
    pollControl: (worker, afterSeq) => base.pollControl(worker, afterSeq),
    replyControl: (reply) => base.replyControl(reply),
    joinGroup: (group, index, size, result, ttlMs) => base.joinGroup(group, index, size, result, ttlMs),
    putWorkflow: (id, tree, ttlMs) => base.putWorkflow(id, tree, ttlMs),
    getWorkflow: (id) => base.getWorkflow(id),
    close: async () => {
      await o.onClose?.()
      await store.close()
    },
  } satisfies Broker
}
