import { mapArguments } from '../../celery/map-arguments.ts'
import { ValidationError } from '../../core/errors.ts'
import type { TaskRegistry } from '../../core/registry.ts'
import { parseOrThrow } from '../../core/validate.ts'
import { ExecuteBody } from '../schemas/monitoring.ts'
import { unknownTaskError } from '../unknown-task-error.ts'

export interface ExecuteInput {
  input: Record<string, unknown>
  /** Body fields besides args and kwargs (a `user_id` those front ends send): told back, not used. */
  ignored: string[]
}

/**
 * Turns a dashboard's `{args, kwargs}` into the task's object input, the way a Celery message
 * from Python is mapped: kwargs by name, args by the task's `celeryArgs` order. An unknown task
 * is a 404 first, so a typo is not reported as an argument problem.
 */
export function executeInput(registry: TaskRegistry, name: string, raw: unknown): ExecuteInput {
  const task = registry.get(name)
  if (!task) throw unknownTaskError(name, registry.names())
  const body = parseOrThrow(ExecuteBody, raw ?? {}, 'request body')
  const mapped = mapArguments(name, body.args ?? [], body.kwargs ?? {}, task.options.celeryArgs)
  if (!mapped.ok) throw new ValidationError('request body', [{ path: 'args', message: mapped.message }])
  const ignored = Object.keys(body).filter((key) => key !== 'args' && key !== 'kwargs')
  return { input: mapped.input, ignored }
}
