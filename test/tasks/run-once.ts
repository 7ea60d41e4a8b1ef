import { buildMessage } from '../../src/core/build-message.ts'
import { systemClock } from '../../src/core/clock.ts'
import type { Json } from '../../src/core/json.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import type { AnyTask } from '../../src/core/task.ts'
import { type ExecutionOutcome, executeTask } from '../../src/worker/execute-task.ts'
import { TaskInterrupt } from '../../src/worker/running-task.ts'

/**
 * Runs one attempt of a task the way the worker does (validation, limits, the retry decision),
 * without a broker: returns the outcome and every progress meta the attempt recorded.
 */
export async function runOnce(
  task: AnyTask,
  input: unknown,
  attempt = { attempt: 1, retries: 0 },
): Promise<{ outcome: ExecutionOutcome; progress: Json[] }> {
  const progress: Json[] = []
  const outcome = await executeTask(new TaskRegistry([task]), {
    message: buildMessage(task, input, {}, systemClock),
    ...attempt,
    redelivered: false,
    interrupt: new TaskInterrupt(),
    clock: systemClock,
    log: silentLogger,
    progress: async (meta) => {
      progress.push(meta)
    },
  })
  return { outcome, progress }
}
