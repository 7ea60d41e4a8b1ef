import { z } from 'zod'

export const ErrorBody = z
  .object({
    error: z.string().meta({ description: 'machine code: invalid_json, validation, unknown_task, ...' }),
    message: z.string(),
    fields: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'every wrong field, for error "validation"' }),
  })
  .loose()
  .meta({ id: 'Error' })

/** Epoch ms (digits) or an ISO 8601 date-time with offset, as a query parameter. */
export const Timestamp = z
  .union([
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
    z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
  ])
  .meta({ description: 'epoch ms or ISO 8601 date-time', example: '2026-01-01T00:00:00Z' })

export const TaskId = z.string().min(1).max(100).meta({ description: 'task id', example: '019a...' })

/** A page size from a query string: 1 to 1000, checked before any work is done. */
export const PageLimit = z
  .string()
  .regex(/^\d{1,4}$/, 'expected an integer from 1 to 1000')
  .transform(Number)
  .pipe(z.number().int().min(1).max(1_000))
