import { z } from 'zod'
import { JsonValue } from '../core/json.ts'

const YEAR_MS = 365 * 24 * 3600 * 1000

/**
 * A call of a Python Celery task, as `apply_async` takes it, in our units: countdown and expires
 * in ms from now, eta as epoch ms or an ISO-8601 time. `priority` is Celery's own number, passed
 * as it is (on Redis, kombu serves 0 first), so a Python team's priorities keep their meaning.
 */
export const CeleryCall = z.strictObject({
  args: z.array(JsonValue).default([]),
  kwargs: z.record(z.string(), JsonValue).default({}),
  queue: z.string().min(1).max(200).default('celery'),
  countdown: z.number().int().min(0).max(YEAR_MS).optional(),
  eta: z.union([z.number().int().min(0), z.iso.datetime({ offset: true })]).optional(),
  expires: z.number().int().min(1).max(YEAR_MS).optional(),
  priority: z.number().int().min(0).max(9).optional(),
  ignoreResult: z.boolean().default(false),
})
export type CeleryCall = z.infer<typeof CeleryCall>
export type CeleryCallInput = z.input<typeof CeleryCall>
