import { z } from 'zod'
import { QueueName } from '../../core/message.ts'
import { field } from '../define-field.ts'

const HOUR_MS = 3_600_000

/** What a worker consumes and how it behaves. */
export const WORKER_FIELDS = {
  queues: field({
    schema: z.array(QueueName).min(1),
    default: ['default'],
    env: 'CELERIAC_QUEUES',
    kind: 'list',
    flag: { name: 'queues', short: 'Q', value: 'A,B' },
    help: 'queues to consume, in order; all: every queue of the registered tasks',
    expected: 'a comma-separated list of queue names (letters, digits and _ . : -)',
  }),
  concurrency: field({
    schema: z.number().int().min(1).max(10_000),
    default: 10,
    env: 'CELERIAC_CONCURRENCY',
    kind: 'int',
    flag: { name: 'concurrency', short: 'c', value: 'N' },
    help: 'tasks one worker runs at once',
    expected: 'a positive integer (at most 10000)',
  }),
  leaseMs: field({
    schema: z
      .number()
      .int()
      .min(1_000)
      .max(24 * HOUR_MS),
    default: 30_000,
    env: 'CELERIAC_LEASE_MS',
    kind: 'int',
    help: 'how long a reservation holds before another worker may take the task over, in ms',
    expected: 'milliseconds, at least 1000',
  }),
  graceMs: field({
    schema: z
      .number()
      .int()
      .min(0)
      .max(24 * HOUR_MS),
    default: 30_000,
    env: 'CELERIAC_GRACE_MS',
    kind: 'int',
    flag: { name: 'grace', value: 'SECONDS', kind: 'seconds' },
    help: 'on SIGTERM/SIGINT, time running tasks get to finish before they are handed back',
    defaultText: '30 s',
    expected: 'a duration of 0 to 24 h',
  }),
  heartbeatMs: field({
    schema: z.number().int().min(100).max(HOUR_MS),
    default: 1_000,
    env: 'CELERIAC_HEARTBEAT_MS',
    kind: 'int',
    help: 'heartbeat and control-poll period, in ms (control commands wait up to one)',
    expected: 'milliseconds, 100 to 3600000',
  }),
  maxMemoryMb: field({
    schema: z.number().int().min(1).nullable(),
    default: null,
    env: 'CELERIAC_MAX_MEMORY_MB',
    kind: 'nullable-int',
    flag: { name: 'max-memory', value: 'MB' },
    help: 'drain and exit with code 3 above this resident size, for the supervisor to restart it',
    defaultText: 'no limit',
    expected: 'a positive number of MB',
  }),
  workerName: field({
    schema: z.string().min(1).max(200).nullable(),
    default: null,
    env: 'CELERIAC_WORKER_NAME',
    kind: 'nullable-string',
    flag: { name: 'name', short: 'n', value: 'NAME' },
    help: 'worker name for control and status',
    defaultText: 'celeriac@host.pid',
    expected: 'a name of 1 to 200 characters',
  }),
  prefetchMultiplier: field({
    schema: z.number().int().min(1).max(1_000),
    default: 1,
    env: 'CELERIAC_PREFETCH_MULTIPLIER',
    kind: 'int',
    flag: { name: 'prefetch-multiplier', value: 'N' },
    help: "Celery's worker_prefetch_multiplier: tasks reserved per slot (1: only when a slot is free)",
    expected: 'a number from 1 to 1000',
  }),
  maxTasksPerChild: field({
    schema: z.number().int().min(1).nullable(),
    default: null,
    env: 'CELERIAC_MAX_TASKS_PER_CHILD',
    kind: 'nullable-int',
    flag: { name: 'max-tasks-per-child', value: 'N' },
    help: 'drain and exit with code 4 after this many tasks, for the supervisor to restart it',
    defaultText: 'no limit',
    expected: 'a positive number of tasks',
  }),
  pidFile: field({
    schema: z.string().min(1).max(4_096).nullable(),
    default: null,
    env: 'CELERIAC_PIDFILE',
    kind: 'nullable-string',
    flag: { name: 'pidfile', value: 'FILE' },
    help: 'write the process id here while running (refused while another live process holds it)',
    defaultText: 'none',
    expected: 'a file path',
  }),
  healthPort: field({
    schema: z.number().int().min(1).max(65_535).nullable(),
    default: null,
    env: 'CELERIAC_HEALTH_PORT',
    kind: 'nullable-int',
    flag: { name: 'health-port', value: 'PORT' },
    help: 'serve GET /healthz and /readyz on this port for a platform check (worker and beat)',
    defaultText: 'off',
    expected: 'a TCP port (1-65535; empty or 0: off)',
  }),
}
