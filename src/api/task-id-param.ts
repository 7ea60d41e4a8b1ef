import type { Context } from 'hono'
import { ApiError } from './api-error.ts'

/** The `:id` path parameter, bounded like the ids the API accepts at enqueue (1-100 characters). */
export function taskIdParam(c: Context): string {
  const id = c.req.param('id') ?? ''
  if (id.length < 1 || id.length > 100) {
    throw new ApiError(400, 'validation', 'task id: expected 1 to 100 characters', {
      fields: [{ path: 'id', message: 'expected 1 to 100 characters' }],
    })
  }
  return id
}
