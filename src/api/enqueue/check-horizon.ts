import { ValidationError } from '../../core/errors.ts'

/**
 * The API's own limit on how far ahead a task may be scheduled (an operator setting, tighter than
 * the library's one year): a far-future task is more often a unit mistake (s vs ms) than a plan.
 */
export function checkHorizon(task: string, options: unknown, now: number, horizonMs: number): void {
  if (typeof options !== 'object' || options === null) return
  const { countdown, eta } = options as { countdown?: unknown; eta?: unknown }
  const limit = `more than ${Math.round(horizonMs / 1000)} s ahead (the API's ETA horizon)`
  if (typeof countdown === 'number' && countdown > horizonMs) {
    throw new ValidationError(`task '${task}' options`, [{ path: 'countdown', message: limit }])
  }
  const at = typeof eta === 'number' ? eta : typeof eta === 'string' ? Date.parse(eta) : Number.NaN
  if (!Number.isNaN(at) && at > now + horizonMs) {
    throw new ValidationError(`task '${task}' options`, [{ path: 'eta', message: limit }])
  }
}
