import type { BrokerEvent } from '../../brokers/broker.ts'

const ENDS = new Set(['task:succeeded', 'task:failed', 'task:revoked', 'task:retried', 'task:released'])

/**
 * Which worker holds a task, learned from its `task:received` event (the only one naming the
 * worker), so the outcome events that follow can carry the exporter's hostname label. Forgotten
 * at the task's outcome; at most `max` remembered, the oldest dropped first, so tasks whose
 * outcome never arrives cannot grow it without bound.
 */
export class WorkerOfTask {
  private readonly held = new Map<string, string>()

  constructor(private readonly max: number) {}

  /** The worker of the event's task (null when unknown); updates what is remembered. */
  follow(event: BrokerEvent): string | null {
    const id = event.taskId
    if (id === null) return null
    if (event.type === 'task:received') {
      const worker = (event.data as { worker?: unknown } | null)?.worker
      if (typeof worker === 'string') this.remember(id, worker)
    }
    const worker = this.held.get(id) ?? null
    if (ENDS.has(event.type)) this.held.delete(id)
    return worker
  }

  private remember(id: string, worker: string): void {
    this.held.delete(id)
    this.held.set(id, worker)
    if (this.held.size > this.max) {
      const oldest = this.held.keys().next().value
      if (oldest !== undefined) this.held.delete(oldest)
    }
  }
}
