import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { BrokerAdmin, BrokerEvent } from '../../brokers/broker.ts'
import { CeleryExporterMetrics } from './celery-exporter-metrics.ts'
import { errorLabel, LabelGuard } from './label-guard.ts'
import { queueSnapshots } from './queue-snapshot.ts'

/** Terminal or retry events, and the state each one counts as. */
const STATE_OF: Partial<Record<BrokerEvent['type'], string>> = {
  'task:succeeded': 'SUCCESS',
  'task:failed': 'FAILURE',
  'task:retried': 'RETRY',
  'task:revoked': 'REVOKED',
}
const MAX_QUEUES = 200
const MAX_WORKERS = 200

export interface ApiMetricsOptions {
  /** Also serve celery-exporter's series (celery_task_sent_total, celery_queue_length, ...). */
  celeryNames?: boolean
  /** Queues this process was configured with: each gets its gauges even while empty and unconsumed. */
  knownQueues?: readonly string[]
}

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
  private readonly consumers: Gauge<'queue'>
  private readonly dead: Gauge<'queue'>
  private readonly workerRss: Gauge<'worker'>
  private readonly unsafe: Gauge
  private readonly taskLabel = new LabelGuard(1_000)
  private readonly queueLabel = new LabelGuard(MAX_QUEUES)
  private readonly errorLabels = new LabelGuard(200)
  private readonly celery: CeleryExporterMetrics | null
  private readonly knownQueues: readonly string[]

  constructor(
    private readonly offlineAfterMs: number,
    options: ApiMetricsOptions = {},
  ) {
    const registers = [this.registry]
    this.knownQueues = options.knownQueues ?? []
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
    this.consumers = new Gauge({
      name: 'celeriac_queue_consumers',
      help: 'Online workers consuming the queue (0 with tasks waiting: nothing will run them).',
      labelNames: ['queue'],
      registers,
    })
    this.dead = new Gauge({
      name: 'celeriac_queue_dead',
      help: 'Dead tasks (failed for good) kept per queue.',
      labelNames: ['queue'],
      registers,
    })
    this.workerRss = new Gauge({
      name: 'celeriac_worker_rss_bytes',
      help: 'Resident memory of each online worker process, from its heartbeat.',
      labelNames: ['worker'],
      registers,
    })
    this.unsafe = new Gauge({
      name: 'celeriac_broker_unsafe_config',
      help: '1 when the broker runs on a setting that can lose tasks (Redis started with --allow-eviction).',
      registers,
    })
    collectDefaultMetrics({ register: this.registry, prefix: 'celeriac_process_' })
    this.celery = options.celeryNames
      ? new CeleryExporterMetrics(this.registry, {
          task: this.taskLabel,
          queue: this.queueLabel,
          host: new LabelGuard(MAX_WORKERS),
          error: this.errorLabels,
        })
      : null
  }

  /** Counts one event from the broker's stream; events that are not outcomes are ignored. */
  record(event: BrokerEvent): void {
    this.celery?.record(event)
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
    const online = workers.filter((w) => w.online)
    this.workers.set(online.length)
    this.unsafe.set(admin.unsafeConfig ? 1 : 0)
    const snapshots = queueSnapshots(queues, workers, this.knownQueues, MAX_QUEUES)
    for (const gauge of [this.backlog, this.oldest, this.consumers, this.dead]) gauge.reset()
    for (const q of snapshots) {
      const queue = { queue: q.queue }
      this.backlog.set(queue, q.waiting)
      this.oldest.set(queue, (q.oldestAgeMs ?? 0) / 1000)
      this.consumers.set(queue, q.consumers)
      this.dead.set(queue, q.dead)
    }
    this.workerRss.reset()
    for (const w of online.slice(0, MAX_WORKERS)) this.workerRss.set({ worker: w.name }, w.rssBytes)
    this.celery?.update(workers.slice(0, MAX_WORKERS), snapshots)
    return this.registry.metrics()
  }
}
