import type { Clock } from '../../src/core/clock.ts'
import { silentLogger } from '../../src/core/logger.ts'
import type { TaskMessage } from '../../src/core/message.ts'
import type { Execution } from '../../src/worker/execute-task.ts'
import { TaskInterrupt } from '../../src/worker/running-task.ts'

/** One execution as the worker would start it: first attempt, never stopped, progress ignored. */
export function execution(message: TaskMessage, clock: Clock, over: Partial<Execution> = {}): Execution {
  return {
    message,
    attempt: 1,
    retries: 0,
    redelivered: false,
    interrupt: new TaskInterrupt(),
    clock,
    log: silentLogger,
    progress: async () => {},
    ...over,
  }
}
