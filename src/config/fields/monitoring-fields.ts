import { z } from 'zod'
import { field } from '../define-field.ts'

/** '/seg/seg': at least one segment and no trailing slash, so routes are `${prefix}/status`. */
const PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/

/** What existing Celery dashboards and Prometheus boards read: a monitoring API and metric names. */
export const MONITORING_FIELDS = {
  monitoringPrefix: field({
    schema: z.string().max(200).regex(PREFIX).nullable(),
    default: null,
    env: 'CELERIAC_MONITORING_PREFIX',
    kind: 'nullable-string',
    help: 'serve the Celery-dashboard monitoring API under this path (like /api/dashboard/celery)',
    defaultText: 'off',
    expected: 'a path like /api/dashboard/celery (no trailing slash; empty: off)',
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
