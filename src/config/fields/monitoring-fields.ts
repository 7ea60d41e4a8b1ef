import { z } from 'zod'
import { field } from '../define-field.ts'

/** '/seg/seg': at least one segment and no trailing slash, so routes are `${prefix}/status`. */
const PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/
/** Paths the api already answers: a prefix on or under one would shadow its routes or be shadowed. */
const TAKEN = ['/api/v1', '/metrics', '/healthz', '/readyz']
const isFree = (prefix: string | null) =>
  prefix === null || !TAKEN.some((path) => prefix === path || prefix.startsWith(`${path}/`))

/** What existing Celery dashboards and Prometheus boards read: a monitoring API and metric names. */
export const MONITORING_FIELDS = {
  monitoringPrefix: field({
    schema: z
      .string()
      .max(200)
      .regex(PREFIX)
      .nullable()
      .refine(isFree, `already served by the api (${TAKEN.join(', ')})`),
    default: null,
    env: 'CELERIAC_MONITORING_PREFIX',
    kind: 'nullable-string',
    help: 'serve the Celery-dashboard monitoring API under this path (like /api/dashboard/celery)',
    defaultText: 'off',
    expected: `a path like /api/dashboard/celery (no trailing slash, not under ${TAKEN.join(', ')}; empty: off)`,
  }),
  metricsCeleryNames: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_METRICS_CELERY_NAMES',
    kind: 'bool',
    help: "also export celery-exporter's metric names (celery_task_sent_total, celery_queue_length, ...)",
    expected: 'true or false',
  }),
}
