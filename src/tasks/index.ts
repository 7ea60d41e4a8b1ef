import { TaskRegistry } from '../core/registry.ts'
import type { AnyTask } from '../core/task.ts'
import { debugFail, debugNoop, debugSleep } from './debug/debug-tasks.ts'

/** Every built-in task, listed by hand: a compiled binary cannot scan a folder. */
export const builtinTasks: readonly AnyTask[] = [debugNoop, debugSleep, debugFail]

export function createBuiltinRegistry(extra: AnyTask[] = []): TaskRegistry {
  return new TaskRegistry([...builtinTasks, ...extra])
}
