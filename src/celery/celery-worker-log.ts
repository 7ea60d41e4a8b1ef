import type { CeleryTaskEvent, CeleryWorkerEvent } from './monitor-event.ts'

/** A Python Celery worker as its worker-online/heartbeat/offline events describe it. */
export interface CeleryWorkerRecord {
  hostname: string
  pid: number
  /** `celery 5.2.6`: Celery's sw_ident and sw_ver. */
  version: string
  /** Heartbeat period in ms (Celery's `freq`). */
  freqMs: number
  active: number
  processed: number
  succeeded: number
  failed: number
  retried: number
  /** Our clock when it was first and last heard from: the sender's clock may be skewed. */
  firstSeen: number
  lastSeen: number
  /** False after its worker-offline (a warm shutdown). */
  online: boolean
}

/** Workers kept at most; past it the one silent longest is forgotten. */
const MAX_WORKERS = 1_000

/**
 * Python workers seen on the celeryev channel, for the workers view. Celeriac workers that send
 * Celery events (`sw_ident` celeriac) are left out: their own heartbeats already list them.
 */
export class CeleryWorkerLog {
  private readonly workers = new Map<string, CeleryWorkerRecord>()

  apply(e: CeleryWorkerEvent, now: number): void {
    if (e.sw_ident === 'celeriac') return
    const w = this.ensure(e.hostname, now)
    w.lastSeen = now
    w.online = e.type !== 'worker-offline'
    if (e.pid != null) w.pid = e.pid
    if (e.sw_ver) w.version = `${e.sw_ident ?? 'celery'} ${e.sw_ver}`
    if (e.freq != null) w.freqMs = Math.round(e.freq * 1000)
    if (e.active != null) w.active = e.active
    if (e.processed != null) w.processed = e.processed
  }

  /** Counts a task outcome against the worker that reported it, as Flower's per-worker totals. */
  countTask(e: CeleryTaskEvent): void {
    const w = this.workers.get(e.hostname)
    if (!w) return
    if (e.type === 'task-succeeded') w.succeeded++
    else if (e.type === 'task-failed') w.failed++
    else if (e.type === 'task-retried') w.retried++
  }

  list(): CeleryWorkerRecord[] {
    return [...this.workers.values()].map((w) => ({ ...w }))
  }

  /** Forgets workers silent for longer than this; returns how many. */
  prune(olderThanMs: number, now: number): number {
    let pruned = 0
    for (const [name, w] of this.workers)
      if (now - w.lastSeen > olderThanMs) {
        this.workers.delete(name)
        pruned++
      }
    return pruned
  }

  private ensure(hostname: string, now: number): CeleryWorkerRecord {
    const known = this.workers.get(hostname)
    if (known) return known
    if (this.workers.size >= MAX_WORKERS) {
      const stalest = [...this.workers.values()].sort((a, b) => a.lastSeen - b.lastSeen)[0]
      if (stalest) this.workers.delete(stalest.hostname)
    }
    const w: CeleryWorkerRecord = {
      hostname,
      pid: 0,
      version: 'celery',
      freqMs: 2_000,
      active: 0,
      processed: 0,
      succeeded: 0,
      failed: 0,
      retried: 0,
      firstSeen: now,
      lastSeen: now,
      online: true,
    }
    this.workers.set(hostname, w)
    return w
  }
}
