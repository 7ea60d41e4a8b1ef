import { z } from 'zod'
import { field } from '../define-field.ts'

/** Python Celery interop: consuming what Celery producers send through kombu's Redis lists. */
export const CELERY_FIELDS = {
  celery: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_CELERY',
    kind: 'bool',
    flag: { name: 'celery' },
    help: "worker: consume Python Celery's messages (kombu's Redis lists of the -Q queues) and write results AsyncResult reads",
    expected: 'true or false',
  }),
  celeryEvents: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_CELERY_EVENTS',
    kind: 'bool',
    flag: { name: 'celery-events' },
    help: "worker --celery: emit Celery's task and worker events on the celeryev exchange (Flower, celery-exporter)",
    expected: 'true or false',
  }),
  celeryEventsListen: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_CELERY_EVENTS_LISTEN',
    kind: 'bool',
    flag: { name: 'celery-events-listen' },
    help: "api: record Python Celery workers' events (celery worker -E) from the broker's Redis, so their tasks and workers show in the dashboard and the task lists",
    expected: 'true or false',
  }),
  celeryEventsMaxTasks: field({
    schema: z.number().int().min(1).max(1_000_000),
    default: 10_000,
    env: 'CELERIAC_CELERY_EVENTS_MAX_TASKS',
    kind: 'int',
    help: 'api --celery-events-listen: Python tasks kept in memory at most (the first seen go first); each is also forgotten after the result expiry',
    expected: 'an integer from 1 to 1000000',
  }),
  celeryVisibilityTimeoutMs: field({
    schema: z.number().int().min(1_000),
    default: 3_600_000,
    env: 'CELERIAC_CELERY_VISIBILITY_TIMEOUT_MS',
    kind: 'int',
    help: "kombu's visibility_timeout, in ms: a message a Python worker claimed is restored only after this",
    defaultText: "3600000 (1 h, kombu's default)",
    expected: 'milliseconds, at least 1000',
  }),
  celeryExceptions: field({
    schema: z.array(z.string().regex(/^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$/)),
    default: [],
    env: 'CELERIAC_CELERY_EXCEPTIONS',
    kind: 'list',
    help: 'module.ClassName entries a task error of that class name is reported as to Python (besides builtins)',
    expected: 'a comma-separated list of module.ClassName (e.g. myapp.errors.PaymentDeclined)',
  }),
}
