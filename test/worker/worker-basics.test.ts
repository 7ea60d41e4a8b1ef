import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { Client } from '../../src/client/client.ts'
import { buildMessage } from '../../src/core/build-message.ts'
import { systemClock } from '../../src/core/clock.ts'
import { defineTask } from '../../src/core/task.ts'
import { debugNoop } from '../../src/tasks/debug/debug-tasks.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { makeBroker, makeClient, startWorker, waitForState, waitForTerminal } from './helpers.ts'

describe('worker: running tasks', () => {
  test('runs a task to SUCCESS and stores its result', async () => {
    const broker = makeBroker()
    startWorker(broker)
    const handle = await makeClient(broker).enqueue('debug.sleep', { ms: 5 })
    const result = await waitForTerminal(broker, handle.id)
    expect(result.state).toBe('SUCCESS')
    expect(result.result).toEqual({ slept: 5 })
    expect(result.attempts).toBe(1)
  })

  test('retries a failing task with backoff until it succeeds on attempt 3', async () => {
    const broker = makeBroker()
    startWorker(broker)
    const started = Date.now()
    const handle = await makeClient(broker).enqueue('debug.fail', { times: 2 })
    const result = await waitForTerminal(broker, handle.id)
    expect(result.state).toBe('SUCCESS')
    expect(result.result).toEqual({ succeededOnAttempt: 3 })
    expect(result.attempts).toBe(3)
    expect(result.retries).toBe(2)
    // debug.fail backs off 200 ms then 400 ms, without jitter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600)
  })

  test('fails a message for an unknown task at once, without retrying', async () => {
    const broker = makeBroker()
    startWorker(broker)
    const message = { ...noopMessage(), task: 'no.such.task' }
    await broker.enqueue([message])
    const result = await waitForTerminal(broker, message.id)
    expect(result.state).toBe('FAILURE')
    expect(result.deadReason).toBe('unknown_task')
    expect(result.error?.type).toBe('UnknownTaskError')
  })

  test('makes progress meta visible in getResult while the task runs and after', async () => {
    const broker = makeBroker()
    let open: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const halfway = defineTask({
      name: 'test.halfway',
      input: z.object({}),
      run: async (_input, ctx) => {
        await ctx.progress({ done: 1, of: 2 })
        await gate
        return 'done'
      },
    })
    const registry = createBuiltinRegistry([halfway])
    startWorker(broker, { registry })
    const handle = await new Client({ broker, registry }).enqueue('test.halfway', {})
    // The task is parked after its progress call: what getResult shows now is mid-run.
    const during = await waitForState(broker, handle.id, 'PROGRESS')
    expect(during.meta).toEqual({ done: 1, of: 2 })
    expect(during.finishedAt).toBeNull()
    open()
    const result = await waitForTerminal(broker, handle.id)
    expect(result.state).toBe('SUCCESS')
    expect(result.meta).toEqual({ done: 1, of: 2 })
  })

  test('an idempotency key through the client yields one task and one execution', async () => {
    const broker = makeBroker()
    const client = makeClient(broker)
    const first = await client.enqueue('debug.noop', {}, { idempotencyKey: 'order-42' })
    const second = await client.enqueue('debug.noop', {}, { idempotencyKey: 'order-42' })
    expect(second.id).toBe(first.id)
    expect(second.created).toBe(false)
    startWorker(broker)
    const result = await waitForTerminal(broker, first.id)
    expect(result.state).toBe('SUCCESS')
    expect(result.attempts).toBe(1)
  })

  test('parks a message from a newer protocol version instead of failing it', async () => {
    const broker = makeBroker()
    const message = { ...noopMessage(), v: 99 }
    await broker.enqueue([message])
    startWorker(broker)
    for (let i = 0; i < 200; i++) {
      if ((await broker.taskEvents(message.id)).some((e) => e.type === 'task:released')) break
      await Bun.sleep(10)
    }
    const released = (await broker.taskEvents(message.id)).find((e) => e.type === 'task:released')
    expect(released?.data).toMatchObject({ started: false })
    expect(await broker.getResult(message.id)).toMatchObject({ state: 'PENDING', attempts: 0, retries: 0 })
    expect(await broker.reserve({ queues: ['default'], max: 1, leaseMs: 1000, worker: 'w' })).toEqual([])
  })
})

function noopMessage() {
  return buildMessage(debugNoop, {}, {}, systemClock)
}
