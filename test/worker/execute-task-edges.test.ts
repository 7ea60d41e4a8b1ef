import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { buildMessage } from '../../src/core/build-message.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { SoftTimeLimitExceeded, TaskRevokedError, TimeLimitExceeded } from '../../src/core/errors.ts'
import { silentLogger } from '../../src/core/logger.ts'
import type { TaskMessage } from '../../src/core/message.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import { type AnyTask, defineTask } from '../../src/core/task.ts'
import { debugSleep } from '../../src/tasks/debug/debug-tasks.ts'
import { type Execution, executeTask, ShutdownSignal } from '../../src/worker/execute-task.ts'
import { TaskInterrupt } from '../../src/worker/running-task.ts'
import { execution } from './execution-fixture.ts'

// Edges of executeTask that mutation testing (bench/mutation.ts) showed untested: JSON results,
// runtimes, signals aborted before the start, what the task's signal says afterwards, and which
// countdown a retry takes.

const clock = new FakeClock()
const noJitter = { max: 5, backoff: 'exponential' as const, delay: 1_000, maxDelay: 60_000, jitter: false }

/** An execution on this file's clock. */
const startExecution = (message: TaskMessage, over: Partial<Execution> = {}) =>
  execution(message, clock, over)

function run(task: AnyTask, input: unknown = {}, over: Partial<Execution> = {}) {
  return executeTask(new TaskRegistry([task]), startExecution(buildMessage(task, input, {}, clock), over))
}

/** A task that never settles by itself and hands over its signal. */
function hangingTask(name: string, timeLimit: { soft?: number; hard?: number } = {}) {
  const signal = Promise.withResolvers<AbortSignal>()
  const task = defineTask({
    name,
    input: z.object({}),
    timeLimit,
    run: (_input, ctx) => {
      signal.resolve(ctx.signal)
      return new Promise<never>(() => {})
    },
  })
  return { task, signal: signal.promise }
}

describe('executeTask results and runtimes', () => {
  test('records a task that returns nothing as result null', async () => {
    const nothing = defineTask({ name: 't.nothing', input: z.object({}), run: () => undefined })
    expect(await run(nothing)).toEqual({ kind: 'ack', result: null, runtimeMs: 0 })
  })

  test('stores the JSON form of a result: a Date becomes its ISO string, a number stays a number', async () => {
    const dated = defineTask({ name: 't.dated', input: z.object({}), run: () => ({ when: new Date(0) }) })
    expect(await run(dated)).toMatchObject({ result: { when: '1970-01-01T00:00:00.000Z' } })
    const seven = defineTask({ name: 't.seven', input: z.object({}), run: () => 7 })
    expect(await run(seven)).toMatchObject({ result: 7 })
  })

  test('measures the runtime on the worker clock, for a success and for a failure', async () => {
    const slow = defineTask({
      name: 't.slow',
      input: z.object({ fail: z.boolean() }),
      run: ({ fail }) => {
        clock.advance(250)
        if (fail) throw new Error('late failure')
        return 'ok'
      },
    })
    expect(await run(slow, { fail: false })).toMatchObject({ kind: 'ack', runtimeMs: 250 })
    expect(await run(slow, { fail: true })).toMatchObject({ kind: 'fail', runtimeMs: 250 })
  })

  test('names the task in the error of an input that fails validation', async () => {
    const bad = { ...buildMessage(debugSleep, { ms: 1 }, {}, clock), input: { ms: 'soon' } }
    const outcome = await executeTask(new TaskRegistry([debugSleep]), startExecution(bad))
    expect(outcome).toMatchObject({ kind: 'fail', reason: 'unrecoverable' })
    expect(outcome.kind === 'fail' && outcome.error.message).toContain("task 'debug.sleep' input")
  })

  test("gives the task the worker's logger as ctx.log", async () => {
    const logs = defineTask({
      name: 't.logs',
      input: z.object({}),
      run: (_input, ctx) => ctx.log === silentLogger,
    })
    expect(await run(logs)).toMatchObject({ kind: 'ack', result: true })
  })
})

describe('executeTask signals', () => {
  test('revokes without running on a task whose stop signal was aborted before it started', async () => {
    const interrupt = new TaskInterrupt()
    interrupt.stop(new TaskRevokedError('revoked'))
    expect(await run(debugSleep, { ms: 3_600_000 }, { interrupt })).toEqual({
      kind: 'revoked',
      reason: 'revoked',
    })
  })

  test('stops at once when the kill signal was aborted before the task started', async () => {
    const { task } = hangingTask('t.hangs-killed')
    const interrupt = new TaskInterrupt()
    interrupt.kill(new TaskRevokedError('terminated'))
    expect(await run(task, {}, { interrupt })).toEqual({ kind: 'revoked', reason: 'terminated' })
  })

  test('abandons a task killed by a shutdown, handing back the shutdown as the reason', async () => {
    const { task, signal } = hangingTask('t.hangs-shutdown')
    const interrupt = new TaskInterrupt()
    const running = run(task, {}, { interrupt })
    await signal
    const bye = new ShutdownSignal('grace period over')
    interrupt.kill(bye)
    expect(await running).toEqual({ kind: 'abandoned', reason: bye })
  })

  test('after a hard time limit, tells the still-running task why through its signal', async () => {
    const { task, signal } = hangingTask('t.hangs-hard', { hard: 20 })
    const outcome = await run(task)
    expect(outcome).toMatchObject({
      kind: 'fail',
      reason: 'time_limit',
      error: { type: 'TimeLimitExceeded' },
    })
    expect((await signal).reason).toBeInstanceOf(TimeLimitExceeded)
  })

  test('a soft time limit aborts the signal with SoftTimeLimitExceeded and the retry policy decides', async () => {
    const soft = defineTask({
      name: 't.soft',
      input: z.object({}),
      timeLimit: { soft: 20 },
      retry: noJitter,
      run: (_input, ctx) => debugSleep.run({ ms: 3_600_000 }, ctx),
    })
    expect(await run(soft)).toMatchObject({
      kind: 'retry',
      at: clock.now() + 1_000,
      error: { type: 'SoftTimeLimitExceeded' },
    })
  })

  test("aborts a finished task's signal, success or failure, so listeners it left behind stop", async () => {
    const seen: AbortSignal[] = []
    const leaves = defineTask({
      name: 't.leaves',
      input: z.object({ fail: z.boolean() }),
      run: ({ fail }, ctx) => {
        seen.push(ctx.signal)
        if (fail) throw new Error('failed')
        return null
      },
    })
    await run(leaves, { fail: false })
    await run(leaves, { fail: true })
    expect(seen).toHaveLength(2)
    for (const signal of seen) {
      expect(signal.aborted).toBe(true)
      expect(signal.reason).toBeInstanceOf(ShutdownSignal)
      expect(signal.reason).not.toBeInstanceOf(SoftTimeLimitExceeded)
    }
  })
})

describe('executeTask retry countdowns', () => {
  const asks = (name: string, countdown: number | undefined) =>
    defineTask({
      name,
      input: z.object({}),
      retry: noJitter,
      run: (_input, ctx) => ctx.retry(countdown === undefined ? {} : { countdown }),
    })

  test('ctx.retry() without a countdown waits the policy delay', async () => {
    expect(await run(asks('t.asks-policy', undefined))).toMatchObject({
      kind: 'retry',
      at: clock.now() + 1_000,
    })
  })

  test('ctx.retry({ countdown: 0 }) retries at once', async () => {
    expect(await run(asks('t.asks-now', 0))).toMatchObject({ kind: 'retry', at: clock.now() })
  })

  test('a countdown field on an ordinary error does not set the retry time', async () => {
    const odd = defineTask({
      name: 't.odd-error',
      input: z.object({}),
      retry: noJitter,
      run: () => {
        throw Object.assign(new Error('has a countdown field'), { countdown: 5 })
      },
    })
    expect(await run(odd)).toMatchObject({ kind: 'retry', at: clock.now() + 1_000 })
  })
})
