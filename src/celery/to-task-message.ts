import { PROTOCOL_VERSION, RetryPolicy, type TaskMessage } from '../core/message.ts'
import type { AnyTask } from '../core/task.ts'
import type { CeleryRequest } from './protocol-v2.ts'

/**
 * The message our worker runs for a Celery request: the task's own options (retry policy, time
 * limits) under what the request sets. eta is null: a request is held back before it is run.
 */
export function toTaskMessage(
  request: CeleryRequest,
  input: unknown,
  queue: string,
  task: AnyTask | undefined,
  now: number,
): TaskMessage {
  const own = task?.options
  return {
    v: PROTOCOL_VERSION,
    id: request.id,
    task: request.task,
    input,
    queue,
    priority: request.priority,
    eta: null,
    expires: request.expires,
    retry: own?.retry ?? RetryPolicy.parse({ max: 0 }),
    timeLimit: { ...own?.timeLimit, ...request.timeLimit },
    ignoreResult: request.ignoreResult,
    resultExpires: null,
    idempotencyKey: null,
    parentId: request.parentId,
    rootId: request.rootId ?? request.id,
    headers: {},
    createdAt: now,
  }
}
