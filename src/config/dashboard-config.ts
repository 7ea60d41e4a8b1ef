import { z } from 'zod'
import type { FieldSource } from './field-source.ts'

/** '' or '/seg/seg': no trailing slash, so links are `${basePath}/tasks`. */
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)*$/

/**
 * Settings of the dashboard: spread into Config, its defaults and its field sources, so those
 * shared files carry one line each for them.
 */
export const DASHBOARD_CONFIG = {
  /** Path prefix the dashboard lives under behind a reverse proxy ('' : at `/`). Links carry it. */
  basePath: z.string().max(200).regex(BASE_PATH),
  /** The dashboard forgets a worker silent for this long (offline ones show until then). */
  dashboardWorkerTtlMs: z.number().int().min(60_000),
}

export const DASHBOARD_DEFAULTS = {
  basePath: '',
  dashboardWorkerTtlMs: 3_600_000,
}

export const DASHBOARD_FIELDS = [
  {
    key: 'basePath',
    env: 'CELERIAC_BASE_PATH',
    flag: 'base-path',
    kind: 'string',
    expected: "a path prefix like /celeriac (no trailing slash; '' for /)",
  },
  {
    key: 'dashboardWorkerTtlMs',
    env: 'CELERIAC_DASHBOARD_WORKER_TTL_MS',
    kind: 'int',
    expected: 'milliseconds, at least 60000',
  },
] as const satisfies readonly FieldSource[]
