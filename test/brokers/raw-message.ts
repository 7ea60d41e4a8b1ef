import type { TaskMessage } from '../../src/core/message.ts'

/** A stored message as a producer would write it, for broker tests that bypass the client. */
export function rawMessage(
  queue: string,
  createdAt: number,
  overrides: Partial<TaskMessage> = {},
): TaskMessage {
  return {
    v: 1,
    id: Bun.randomUUIDv7(),
    task: 'test.echo',
    input: {},
    queue,
    priority: 5,
    eta: null,
    expires: null,
    retry: { max: 0, backoff: 'fixed', delay: 1000, maxDelay: 1000, jitter: false },
    timeLimit: {},
    ignoreResult: false,
    idempotencyKey: null,
    parentId: null,
    rootId: null,
    headers: {},
    createdAt,
    ...overrides,
  }
}
