import { z } from 'zod'
import { field } from '../define-field.ts'

/** '' or '/seg/seg': no trailing slash, so links are `${basePath}/tasks`. */
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)*$/

/** The dashboard. */
export const DASHBOARD_FIELDS = {
  basePath: field({
    schema: z.string().max(200).regex(BASE_PATH),
    default: '',
    env: 'CELERIAC_BASE_PATH',
    kind: 'string',
    flag: { name: 'base-path', value: 'PATH' },
    help: 'serve the dashboard under this prefix behind a reverse proxy',
    defaultText: '/',
    expected: "a path prefix like /celeriac (no trailing slash; '' for /)",
  }),
  dashboardWorkerTtlMs: field({
    schema: z.number().int().min(60_000),
    default: 3_600_000,
    env: 'CELERIAC_DASHBOARD_WORKER_TTL_MS',
    kind: 'int',
    help: 'the dashboard forgets a worker silent for this long, in ms',
    expected: 'milliseconds, at least 60000',
  }),
}
