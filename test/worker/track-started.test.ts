import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { Client } from '../../src/client/client.ts'
import { defineTask } from '../../src/core/task.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { makeBroker, startWorker, waitFor, waitForTerminal } from './helpers.ts'

/** Runs until the test opens its gate, so the state while running can be read. */
function gatedTask() {
  let open: () => void = () => {}
  const gate = new Promise<void>((resolve) => {
    open = resolve
  })
  let running = false
  const task = defineTask({
    name: 'test.gated',
    input: z.object({}),
    run: async () => {
      running = true
      await gate
      return 'done'
    },
  })
  return { task, open: () => open(), isRunning: () => running }
}

describe("Celery's task_track_started", () => {
  for (const trackStarted of [true, false]) {
    test(`a running task reads ${trackStarted ? 'STARTED with it on' : 'RECEIVED with it off (the default)'}`, async () => {
      const broker = makeBroker()
      const gated = gatedTask()
      const registry = createBuiltinRegistry([gated.task])
      startWorker(broker, { registry, trackStarted })
      const handle = await new Client({ broker, registry }).enqueue('test.gated', {})
      await waitFor('the task to run', () => gated.isRunning())
      // The STARTED write happens before the task's code is called, so it is visible by now.
      const running = await broker.getResult(handle.id)
      expect(running?.state).toBe(trackStarted ? 'STARTED' : 'RECEIVED')
      expect(running?.startedAt).toBeNumber()
      gated.open()
      expect((await waitForTerminal(broker, handle.id)).state).toBe('SUCCESS')
    })
  }
})
