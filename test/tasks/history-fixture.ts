import { z } from 'zod'
import { Client } from '../../src/client/client.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import { defineTask } from '../../src/core/task.ts'
import { debugNoop } from '../../src/tasks/debug/debug-tasks.ts'
import { makeBroker, startWorker, waitForTerminal } from '../worker/helpers.ts'

export const HOSTILE_MESSAGE = '<script>alert("x")</script> & =cmd'

const boom = defineTask({
  name: 'test.boom',
  queue: 'risky',
  input: z.object({}).default({}),
  run: () => {
    throw new Error(HOSTILE_MESSAGE)
  },
})

/** A broker whose history holds `ok` successes of debug.noop and `failed` failures of test.boom. */
export async function brokerWithHistory(ok: number, failed: number) {
  const broker = makeBroker()
  const registry = new TaskRegistry([debugNoop, boom])
  startWorker(broker, { registry, queues: ['default', 'risky'], concurrency: 8 })
  const client = new Client({ broker, registry })
  const ids: string[] = []
  for (let i = 0; i < ok; i++) ids.push((await client.enqueue('debug.noop', {})).id)
  for (let i = 0; i < failed; i++) ids.push((await client.enqueue('test.boom', {})).id)
  for (const id of ids) await waitForTerminal(broker, id)
  return broker
}
