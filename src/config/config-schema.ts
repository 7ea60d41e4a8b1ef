import { z } from 'zod'
import type { FieldSpec } from './define-field.ts'
import { API_FIELDS } from './fields/api-fields.ts'
import { BEAT_FIELDS } from './fields/beat-fields.ts'
import { BROKER_FIELDS } from './fields/broker-fields.ts'
import { CELERY_FIELDS } from './fields/celery-fields.ts'
import { DASHBOARD_FIELDS } from './fields/dashboard-fields.ts'
import { EMAIL_FIELDS } from './fields/email-fields.ts'
import { FILE_TASK_FIELDS } from './fields/file-task-fields.ts'
import { HEALTH_FIELDS } from './fields/health-fields.ts'
import { LOG_FIELDS } from './fields/log-fields.ts'
import { MONITORING_FIELDS } from './fields/monitoring-fields.ts'
import { OUTBOUND_FIELDS } from './fields/outbound-fields.ts'
import { PAYLOAD_FIELDS } from './fields/payload-fields.ts'
import { SMS_FIELDS } from './fields/sms-fields.ts'
import { TASK_FIELDS } from './fields/task-fields.ts'
import { WORKER_FIELDS } from './fields/worker-fields.ts'

/** Every config field, declared once in its area's file; everything below is derived. */
export const FIELDS = {
  ...BROKER_FIELDS,
  ...WORKER_FIELDS,
  ...TASK_FIELDS,
  ...LOG_FIELDS,
  ...API_FIELDS,
  ...BEAT_FIELDS,
  ...EMAIL_FIELDS,
  ...SMS_FIELDS,
  ...OUTBOUND_FIELDS,
  ...PAYLOAD_FIELDS,
  ...FILE_TASK_FIELDS,
  ...HEALTH_FIELDS,
  ...DASHBOARD_FIELDS,
  ...MONITORING_FIELDS,
  ...CELERY_FIELDS,
}
type Fields = typeof FIELDS
export type ConfigKey = keyof Fields

function each<T>(pick: (spec: FieldSpec) => T): Record<ConfigKey, T> {
  return Object.fromEntries(Object.entries(FIELDS).map(([key, spec]) => [key, pick(spec)])) as Record<
    ConfigKey,
    T
  >
}

/** Everything a Celeriac process is configured with, once every source is merged and checked. */
export const Config = z.object(each((spec) => spec.schema) as { [K in ConfigKey]: Fields[K]['schema'] })
export type Config = Readonly<z.infer<typeof Config>>

export const DEFAULT_CONFIG: Config = Object.freeze(each((spec) => spec.default) as Config)

/** The fields with their keys, in declaration order: what the loader walks. */
export const CONFIG_FIELDS: readonly (FieldSpec & { key: ConfigKey })[] = Object.entries(FIELDS).map(
  ([key, spec]) => ({ ...(spec as FieldSpec), key: key as ConfigKey }),
)
