import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { BrokerEvent, WorkerStatus } from '../../brokers/broker.ts'
import { errorLabel, type LabelGuard } from './label-guard.ts'
import type { QueueSnapshot } from './queue-snapshot.ts'
import { WorkerOfTask } from './worker-of-task.ts'

type TaskLabels = 'name' | 'hostname' | 'queue_name'

/** Our event types and the exporter counter each one feeds (its task-* event names). */
const COUNTED = {
  'task:enqueued': 'sent',
  'task:received': 'received',
  'task:started': 'started',
  'task:succeeded': 'succeeded',
  'task:failed': 'failed',
  'task:retried': 'retried',
  'task:revoked': 'revoked',
} as const
type CounterKey = (typeof COUNTED)[keyof typeof COUNTED]

/** The exporter labels a sent task "generic" when the producer's host is not tracked; so do we. */
const PRODUCER_HOST = 'generic'

/** celery-exporter's hostname: a worker name's part after '@' (Celery's nodesplit). */
export function exporterHostname(worker: string): string {
  return worker.slice(worker.indexOf('@') + 1)
}

export interface LabelGuards {
  task: LabelGuard
  queue: LabelGuard
  host: LabelGuard
  error: LabelGuard
}

/**
 * The series danihodovic/celery-exporter serves, under its names and labels, so a Grafana board
 * or alert written for it reads Celeriac unchanged. Fed by the same broker events and scrape-time
 * reads as the celeriac_* series; registered only when the operator turns the names on.
 */
export class CeleryExporterMetrics {
  private readonly counters: Record<CounterKey, Counter<string>>
  private readonly runtime: Histogram<TaskLabels>
  private readonly workerUp: Gauge<'hostname'>
  private readonly workerActive: Gauge<'hostname'>
  private readonly queueLength: Gauge<'queue_name'>
  private readonly consumers: Gauge<'queue_name'>
  private readonly workerCount: Gauge<'queue_name'>
  private readonly processCount: Gauge<'queue_name'>
  private readonly workerOf = new WorkerOfTask(10_000)

  constructor(
    registry: Registry,
    private readonly labels: LabelGuards,
  ) {
    const registers = [registry]
    const labelNames = ['name', 'hostname', 'queue_name']
    const counter = (key: CounterKey, help: string, extra: string[] = []) =>
      new Counter({
        name: `celery_task_${key}_total`,
        help,
        labelNames: [...labelNames, ...extra],
        registers,
      })
    this.counters = {
      sent: counter('sent', 'Sent when a task message is published.'),
      received: counter('received', 'Sent when the worker receives a task.'),
      started: counter('started', 'Sent just before the worker executes the task.'),
      succeeded: counter('succeeded', 'Sent if the task executed successfully.'),
      failed: counter('failed', 'Sent if the execution of the task failed.', ['exception']),
      retried: counter('retried', 'Sent if the task failed, but will be retried in the future.'),
      revoked: counter('revoked', 'Sent if the task has been revoked.'),
    }
    this.runtime = new Histogram({
      name: 'celery_task_runtime',
      help: 'Histogram of task runtime measurements.',
      labelNames: ['name', 'hostname', 'queue_name'],
      registers,
    })
    const gauge = <L extends string>(name: string, help: string, label: L) =>
      new Gauge<L>({ name, help, labelNames: [label], registers })
    this.workerUp = gauge(
      'celery_worker_up',
      'Indicates if a worker has recently sent a heartbeat.',
      'hostname',
    )
    this.workerActive = gauge(
      'celery_worker_tasks_active',
      'The number of tasks the worker is currently processing',
      'hostname',
    )
    this.queueLength = gauge('celery_queue_length', 'The number of message in broker queue.', 'queue_name')
    this.consumers = gauge(
      'celery_active_consumer_count',
      'The number of active consumer in broker queue.',
      'queue_name',
    )
    this.workerCount = gauge(
      'celery_active_worker_count',
      'The number of active workers in broker queue.',
      'queue_name',
    )
    this.processCount = gauge(
      'celery_active_process_count',
      'The number of active processes in broker queue.',
      'queue_name',
    )
  }

  record(event: BrokerEvent): void {
    const key = COUNTED[event.type as keyof typeof COUNTED]
    if (!key) return
    const worker = this.workerOf.follow(event)
    const host = key === 'sent' ? PRODUCER_HOST : this.labels.host.value(worker && exporterHostname(worker))
    const labels = {
      name: this.labels.task.value(event.task),
      hostname: host,
      queue_name: this.labels.queue.value(event.queue),
    }
    if (key !== 'sent') this.showOutcomesAtZero(labels)
    const data = (event.data ?? {}) as { runtimeMs?: unknown; error?: { type?: unknown } }
    if (key === 'failed') {
      this.counters.failed.inc({
        ...labels,
        exception: this.labels.error.value(errorLabel(data.error?.type)),
      })
      return
    }
    this.counters[key].inc(labels)
    if (key === 'succeeded' && typeof data.runtimeMs === 'number')
      this.runtime.observe(labels, data.runtimeMs / 1000)
  }

  /** As the exporter does: once a task is seen on a worker, its other counters exist at 0, so rate() has a series. */
  private showOutcomesAtZero(labels: Record<TaskLabels, string>): void {
    for (const key of ['received', 'started', 'succeeded', 'retried', 'revoked'] as const)
      this.counters[key].inc(labels, 0)
    this.counters.failed.inc({ ...labels, exception: '' }, 0)
  }

  /** Scrape-time gauges: every listed worker (0 when offline) and every known queue. */
  update(workers: readonly WorkerStatus[], queues: readonly QueueSnapshot[]): void {
    this.workerUp.reset()
    this.workerActive.reset()
    for (const w of workers) {
      const hostname = this.labels.host.value(exporterHostname(w.name))
      this.workerUp.set({ hostname }, w.online ? 1 : 0)
      this.workerActive.set({ hostname }, w.online ? w.active.length : 0)
    }
    for (const gauge of [this.queueLength, this.consumers, this.workerCount, this.processCount]) gauge.reset()
    for (const q of queues) {
      const labels = { queue_name: q.queue }
      this.queueLength.set(labels, q.waiting)
      this.consumers.set(labels, q.consumers)
      this.workerCount.set(labels, q.consumers)
      this.processCount.set(labels, q.slots)
    }
  }
}
