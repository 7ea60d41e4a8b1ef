import { hostname } from 'node:os'
import type { ControlMessage, WorkerInfo } from '../brokers/broker.ts'
import type { ControlHandler } from './control-handler.ts'
import type { TaskSlots } from './task-slots.ts'
import type { ResolvedWorkerOptions } from './worker-options.ts'
import type { WorkerStats } from './worker-stats.ts'

export interface HeartbeatDeps {
  options: Readonly<ResolvedWorkerOptions>
  slots: TaskSlots
  stats: WorkerStats
  startedAt: number
  isDraining: () => boolean
  control: ControlHandler
  /** A control `shutdown` arrived (already replied to). */
  onShutdown: () => void
  onMaxMemory: (rssBytes: number) => void
}

/**
 * Once per heartbeatMs: publish WorkerInfo, answer control commands, and check memory. Control
 * messages created before this worker started are skipped, so a broadcast `shutdown` from
 * yesterday does not stop every worker started today.
 */
export class Heartbeat {
  private lastSeq = 0
  private readonly host = hostname()

  constructor(private readonly deps: HeartbeatDeps) {}

  async beat(): Promise<void> {
    const info = this.info()
    // Issued together: an HTTP engine (Upstash bills per request) sends both in one round trip.
    await Promise.all([this.deps.options.broker.heartbeat(info), this.control()])
    const limit = this.deps.options.maxMemoryMb
    if (limit !== null && info.rssBytes > limit * 1024 * 1024 && !this.deps.isDraining()) {
      this.deps.onMaxMemory(info.rssBytes)
    }
  }

  info(): WorkerInfo {
    const { options, slots, stats } = this.deps
    return {
      name: options.name,
      host: this.host,
      pid: process.pid,
      queues: options.queues,
      concurrency: options.concurrency,
      startedAt: this.deps.startedAt,
      processed: stats.processed,
      failed: stats.failed,
      succeeded: stats.succeeded,
      retried: stats.retried,
      rssBytes: process.memoryUsage.rss(),
      active: [...slots.running.values()].map((t) => ({
        id: t.lease.id,
        task: t.lease.message.task,
        startedAt: t.startedAt,
        attempt: t.lease.attempt,
      })),
      reserved: slots.waiting.map((l) => ({ id: l.id, task: l.message.task })),
      registered: options.registry.names(),
      version: options.version,
      status: this.deps.isDraining() ? 'draining' : 'online',
    }
  }

  private async control(): Promise<void> {
    const { broker, name } = this.deps.options
    const messages = await broker.pollControl(name, this.lastSeq)
    for (const message of messages) {
      this.lastSeq = Math.max(this.lastSeq, message.seq)
      if (message.createdAt < this.deps.startedAt) continue
      await this.handle(message)
    }
  }

  private async handle(message: ControlMessage): Promise<void> {
    const { broker, name } = this.deps.options
    const reply = this.deps.control.reply(message)
    await broker.replyControl({ seq: message.seq, worker: name, reply })
    if (message.command === 'shutdown') this.deps.onShutdown()
  }
}
