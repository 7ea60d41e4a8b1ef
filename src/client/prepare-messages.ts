import { buildMessage, type EnqueueOptions } from '../core/build-message.ts'
import type { Clock } from '../core/clock.ts'
import { ValidationError } from '../core/errors.ts'
import type { TaskMessage } from '../core/message.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { AnyTask } from '../core/task.ts'

export interface EnqueueRequest {
  task: AnyTask | string
  input: unknown
  options?: EnqueueOptions
}

/** The failing item of a batch, its paths prefixed with its index (`tasks.3.input.ms`). */
function numbered(err: ValidationError, i: number, task: string): ValidationError {
  const part = err.subject.endsWith('options') ? 'options' : 'input'
  const issues = err.issues.map((issue) => ({
    path: [`tasks.${i}.${part}`, issue.path].filter(Boolean).join('.'),
    message: issue.message,
  }))
  return new ValidationError(`tasks[${i}] (${task})`, issues)
}

/**
 * Validates each request once and builds its message. With `numbered`, a validation error names
 * the item by its index in the batch (`tasks[3] (name)`, paths `tasks.3.input.ms`).
 */
export function prepareMessages(
  registry: TaskRegistry,
  requests: EnqueueRequest[],
  clock: Clock,
  options: { numbered?: boolean } = {},
): TaskMessage[] {
  return requests.map((r, i) => {
    const task = typeof r.task === 'string' ? registry.require(r.task) : r.task
    try {
      return buildMessage(task, r.input, r.options ?? {}, clock)
    } catch (err) {
      if (options.numbered && err instanceof ValidationError) throw numbered(err, i, task.name)
      throw err
    }
  })
}
