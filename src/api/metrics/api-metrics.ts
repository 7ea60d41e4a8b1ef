import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { BrokerAdmin, BrokerEvent } from '../../brokers/broker.ts'
import { errorLabel, LabelGuard } from './label-guard.ts'

/** Terminal or retry events, and the state each one counts as. */
const STATE_OF: Partial<Record<BrokerEvent['type'], string>> = {
  'task:succeeded': 'SUCCESS',
  'task:failed': 'FAILURE',
  'task:retried': 'RETRY',
  'task:revoked': 'REVOKED',
}
const MAX_QUEUES = 200

/**
 * The api process's Prometheus registry (its own, not prom-client's global one, so two apps in a
 * process never collide). Task counters are fed from the broker's event stream, so they count
 * what every worker did; gauges are read from the broker at scrape time. Labels are task, queue,
 * state and error class: never an id or an input.
 */
export class ApiMetrics {
  readonly registry = new Registry()
  private readonly tasks: Counter<'task' | 'queue' | 'state'>
  private readonly duration: Histogram<'task' | 'queue'>
  private readonly errors: Counter<'task' | 'queue' | 'error'>
  private readonly workers: Gauge
  private readonly backlog: Gauge<'queue'>
  private readonly oldest: Gauge<'queue'>
  private readonly unsafe: Gauge
  private readonly taskLabel = new LabelGuard(1_000)
  private readonly queueLabel = new LabelGuard(MAX_QUEUES)
  private readonly errorLabels = new LabelGuard(200)

  constructor(private readonly offlineAfterMs: number) {
    const registers = [this.registry]
    this.tasks = new Counter({
      name: 'celeriac_tasks_total',
      help: 'Tasks that reached a state, across all workers (since this api process started).',
      labelNames: ['task', 'queue', 'state'],
      registers,
    })
    this.duration = new Histogram({
      name: 'celeriac_task_duration_seconds',
      help: 'Run time of successful tasks.',
      labelNames: ['task', 'queue'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    })
    this.errors = new Counter({
      name: 'celeriac_task_errors_total',
      help: 'Task errors (failures and retried attempts) by error class.',
      labelNames: ['task', 'queue', 'error'],
      registers,
    })
    this.workers = new Gauge({ name: 'celeriac_workers', help: 'Online workers.', registers })
    this.backlog = new Gauge({
      name: 'celeriac_queue_backlog',
      help: 'Tasks due and waiting, per queue.',
      labelNames: ['queue'],
      registers,
    })
    this.oldest = new Gauge({
      name: 'celeriac_queue_oldest_age_seconds',
      help: 'Age of the oldest due task, per queue (0 when none waits).',
      labelNames: ['queue'],
      registers,
    })
    this.unsafe = new Gauge({
      name: 'celeriac_broker_unsafe_config',
      help: '1 when the broker runs on a setting that can lose tasks (Redis started with --allow-eviction).',
      registers,
    })
    collectDefaultMetrics({ register: this.registry, prefix: 'celeriac_process_' })
  }

  /** Counts one event from the broker's stream; events that are not outcomes are ignored. */
  record(event: BrokerEvent): void {
    const state = STATE_OF[event.type]
    if (!state) return
    const labels = { task: this.taskLabel.value(event.task), queue: this.queueLabel.value(event.queue) }
    this.tasks.inc({ ...labels, state })
    const data = (event.data ?? {}) as { runtimeMs?: unknown; error?: { type?: unknown } }
    if (state === 'SUCCESS' && typeof data.runtimeMs === 'number') {
      this.duration.observe(labels, data.runtimeMs / 1000)
    }
    if ((state === 'FAILURE' || state === 'RETRY') && data.error) {
      this.errors.inc({ ...labels, error: this.errorLabels.value(errorLabel(data.error.type)) })
    }
  }

  /** Reads the gauges from the broker, then renders everything in the Prometheus text format. */
  async render(admin: BrokerAdmin): Promise<string> {
    const [workers, queues] = await Promise.all([admin.listWorkers(this.offlineAfterMs), admin.queueStats()])
    this.workers.set(workers.filter((w) => w.online).length)
    this.unsafe.set(admin.unsafeConfig ? 1 : 0)
    this.backlog.reset()
    this.oldest.reset()
    const largest = [...queues].sort((a, b) => b.waiting - a.waiting).slice(0, MAX_QUEUES)
    for (const q of largest) {
      this.backlog.set({ queue: q.queue }, q.waiting)
      this.oldest.set({ queue: q.queue }, (q.oldestAgeMs ?? 0) / 1000)
    }
    return this.registry.metrics()
  }
}
