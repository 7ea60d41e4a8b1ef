import type { Redis } from 'ioredis'
import { openCeleryRedis } from './celery-connection.ts'
import { type CeleryKeys, celeryKeys, celeryQueueLists } from './celery-keys.ts'
import { type CeleryScriptRunner, registerCeleryScripts } from './celery-scripts.ts'

/** One message taken from a kombu list. */
export interface ClaimedMessage {
  list: string
  raw: string
  tag: string
  token: string
}

/** How a claimed message is settled: see celery-settle-6.lua for each action. */
export interface CelerySettleOp {
  tag: string
  token: string
  metaKey: string
  meta: string | null
  action: 'ack' | 'keep' | 'delay' | 'push' | 'requeue' | 'dead'
  list?: string
  payload?: string
  dueMs?: number
  parkedTag?: string
}

export type CelerySettleReply = 'ok' | 'success_kept' | 'lease_lost'

/** Scanned per recovery round; the rest waits for the next round. */
const RECOVER_BATCH = 1_000

/** The Redis side of Celery interop: kombu's lists and unacked records, and Celery's result keys. */
export class CeleryStore {
  readonly keys: CeleryKeys
  private readonly client: Redis
  private readonly run: CeleryScriptRunner

  constructor(
    url: string,
    private readonly resultTtlMs: number,
  ) {
    const { client, prefix } = openCeleryRedis(url, 'celeriac-celery')
    this.client = client
    this.keys = celeryKeys(prefix)
    this.run = registerCeleryScripts(this.client)
  }

  private fixedKeys(): string[] {
    const k = this.keys
    return [k.unacked, k.unackedIndex, k.leases, k.delayed, k.delayedMessages, k.dead]
  }

  async claim(queues: readonly string[], max: number, now: number): Promise<ClaimedMessage[]> {
    const keys = [...this.fixedKeys(), ...celeryQueueLists(queues)]
    const reply = (await this.run('celeryReserve', keys, [now, max, crypto.randomUUID()])) as string[]
    const out: ClaimedMessage[] = []
    for (let i = 0; i < reply.length; i += 4) {
      out.push({
        list: reply[i] as string,
        raw: reply[i + 1] as string,
        tag: reply[i + 2] as string,
        token: reply[i + 3] as string,
      })
    }
    return out
  }

  /** Records one outcome; see settleMany. */
  async settle(op: CelerySettleOp): Promise<CelerySettleReply> {
    const [reply] = await this.settleMany([op])
    return reply ?? 'lease_lost'
  }

  /** Records outcomes in one script call (one round trip however many), each judged on its own. */
  async settleMany(ops: readonly CelerySettleOp[]): Promise<CelerySettleReply[]> {
    if (ops.length === 0) return []
    const k = this.keys
    const keys = [k.unacked, k.unackedIndex, k.leases, k.delayed, k.delayedMessages, k.dead]
    const args: (string | number)[] = [Math.ceil(this.resultTtlMs / 1000)]
    for (const op of ops) {
      keys.push(op.metaKey)
      args.push(
        op.tag,
        op.token,
        op.meta ?? '',
        op.action,
        op.list ?? '',
        op.payload ?? '',
        op.dueMs ?? 0,
        op.parkedTag ?? '',
      )
    }
    const codes = (await this.run('celerySettle', keys, args)) as number[]
    return codes.map((code) => (code === -1 ? 'lease_lost' : code === 2 ? 'success_kept' : 'ok'))
  }

  async extend(leases: { tag: string; token: string }[], now: number): Promise<boolean[]> {
    if (leases.length === 0) return []
    const args = [now, ...leases.flatMap((l) => [l.tag, l.token])]
    const reply = (await this.run(
      'celeryExtendLeases',
      [this.keys.unackedIndex, this.keys.leases],
      args,
    )) as number[]
    return reply.map((n) => n === 1)
  }

  /** Restores messages of claimers gone silent: ours past `leaseMs`, Python's past `visibilityMs`. */
  async recover(now: number, leaseMs: number, visibilityMs: number): Promise<string[]> {
    const k = this.keys
    const keys = [k.unacked, k.unackedIndex, k.leases, k.unackedMutex]
    const args = [(now - leaseMs) / 1000, (now - visibilityMs) / 1000, RECOVER_BATCH]
    return (await this.run('celeryRecoverExpired', keys, args)) as string[]
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect())
  }
}
