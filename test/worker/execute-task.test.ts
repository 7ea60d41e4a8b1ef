import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { buildMessage } from '../../src/core/build-message.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { TaskRevokedError, UnrecoverableError } from '../../src/core/errors.ts'
import type { TaskMessage } from '../../src/core/message.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import { defineTask } from '../../src/core/task.ts'
import { debugFail, debugSleep } from '../../src/tasks/debug/debug-tasks.ts'
import { type Execution, executeTask, ShutdownSignal } from '../../src/worker/execute-task.ts'
import { TaskInterrupt } from '../../src/worker/running-task.ts'
import { execution } from './execution-fixture.ts'

const unrecoverable = defineTask({
  name: 't.unrecoverable',
  input: z.object({}),
  retry: { max: 5 },
  run: () => {
    throw new UnrecoverableError('never')
  },
})
const asksRetry = defineTask({
  name: 't.asks-retry',
  input: z.object({}),
  retry: { max: 5 },
  run: (_input, ctx) => ctx.retry({ countdown: 7_000 }),
})
const registry = new TaskRegistry([debugFail, debugSleep, unrecoverable, asksRetry])
const clock = new FakeClock()

/** An execution on this file's clock. */
const startExecution = (message: TaskMessage, over: Partial<Execution> = {}) =>
  execution(message, clock, over)

const msg = (task: Parameters<typeof buildMessage>[0], input: unknown) => buildMessage(task, input, {}, clock)

describe('executeTask', () => {
  test('returns ack with the JSON result of a task', async () => {
    const outcome = await executeTask(registry, startExecution(msg(debugSleep, { ms: 0 })))
    expect(outcome).toMatchObject({ kind: 'ack', result: { slept: 0 } })
  })

  test('decides a retry at now + the policy delay while retries remain', async () => {
    const outcome = await executeTask(
      registry,
      startExecution(msg(debugFail, { times: 3 }), { retries: 1, attempt: 2 }),
    )
    // Exponential from 200 ms, no jitter: retry number 2 waits 400 ms.
    expect(outcome).toMatchObject({ kind: 'retry', at: clock.now() + 400 })
  })

  test('fails with max_retries once the policy is used up', async () => {
    const message = { ...msg(debugFail, { times: 5 }), retry: { ...debugFail.options.retry, max: 1 } }
    const outcome = await executeTask(registry, startExecution(message, { retries: 1, attempt: 2 }))
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'max_retries', error: { type: 'Error' } })
  })

  test('honours ctx.retry countdown over the policy', async () => {
    const outcome = await executeTask(registry, startExecution(msg(asksRetry, {})))
    expect(outcome).toMatchObject({ kind: 'retry', at: clock.now() + 7_000 })
  })

  test('never retries an UnrecoverableError or a ValidationError of the input', async () => {
    expect(await executeTask(registry, startExecution(msg(unrecoverable, {})))).toMatchObject({
      reason: 'unrecoverable',
    })
    const bad = { ...msg(debugSleep, { ms: 1 }), input: { ms: 'soon' } }
    expect(await executeTask(registry, startExecution(bad))).toMatchObject({
      kind: 'fail',
      reason: 'unrecoverable',
      error: { type: 'ValidationError' },
    })
  })

  test('fails an unknown task with reason unknown_task', async () => {
    const outcome = await executeTask(
      registry,
      startExecution({ ...msg(debugSleep, { ms: 1 }), task: 'nope' }),
    )
    expect(outcome).toMatchObject({
      kind: 'fail',
      reason: 'unknown_task',
      error: { type: 'UnknownTaskError' },
    })
  })

  test('reports revoked when the stop signal carries a revoke, abandoned when it carries a shutdown', async () => {
    const revoke = new TaskInterrupt()
    const running = executeTask(
      registry,
      startExecution(msg(debugSleep, { ms: 10_000 }), { interrupt: revoke }),
    )
    revoke.stop(new TaskRevokedError('revoked'))
    expect(await running).toEqual({ kind: 'revoked', reason: 'revoked' })
    const shutdown = new TaskInterrupt()
    const second = executeTask(
      registry,
      startExecution(msg(debugSleep, { ms: 10_000 }), { interrupt: shutdown }),
    )
    shutdown.stop(new ShutdownSignal('bye'))
    expect(await second).toMatchObject({ kind: 'abandoned' })
  })

  test('a kill stops waiting at once even if the task ignores its signal', async () => {
    const deaf = defineTask({ name: 't.deaf', input: z.object({}), run: () => Bun.sleep(10_000) })
    const kill = new TaskInterrupt()
    const running = executeTask(new TaskRegistry([deaf]), startExecution(msg(deaf, {}), { interrupt: kill }))
    kill.kill(new TaskRevokedError('terminated'))
    expect(await running).toEqual({ kind: 'revoked', reason: 'terminated' })
  })
})
